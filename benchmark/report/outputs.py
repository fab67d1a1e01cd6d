"""A run's stored outputs as the reports need them: parsed only for the pages shown, and each page's raw file.

extractions.jsonl holds every output (33 MB for 1,000 AEB pages and six
extractors). The reports read it in one pass that looks at each line's
extractor, page id and cache flag without parsing the line, and parses only
the lines of pages whose views are rendered. Each page's raw outputs (and its
gold) are also written once to ``outputs/<page>.json`` in the run folder, for
readers who want the texts as returned; the folder is rewritten only when
extractions.jsonl or golds.jsonl changed.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

OUTPUTS_DIR = "outputs"
_STAMP = ".stamp"
#: every line starts with the extractor and page id, as ExtractionLog writes them (json.dumps of the dataclass)
_HEAD_RE = re.compile(r'\{"extractor": ("(?:[^"\\]|\\.)*"), "page_id": ("(?:[^"\\]|\\.)*")')
_CACHED_TAIL = '"cached": true}'


@dataclass
class RunOutputs:
    """The parsed outputs of the pages asked for, and how many pairs of each extractor the cache replayed."""

    present: bool  # False when the run kept no extractions.jsonl
    by_page: dict[str, dict[str, Any]] = field(default_factory=dict)  # page id -> extractor -> Extraction
    cached: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)


def _record(line: str):
    from benchmark.records import Extraction, Outcome

    record = json.loads(line)
    record["outcome"] = Outcome(record["outcome"])
    fields = Extraction.__dataclass_fields__
    return Extraction(**{k: v for k, v in record.items() if k in fields})


def read_outputs(run_dir: Path, pages: Iterable[str] | None) -> RunOutputs:
    """One pass over extractions.jsonl: cache counts for all, Extraction records for `pages` (None: all)."""
    path = Path(run_dir) / "extractions.jsonl"
    if not path.is_file():
        return RunOutputs(present=False)
    wanted = None if pages is None else set(pages)
    found = RunOutputs(present=True, by_page=defaultdict(dict))
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            head = _HEAD_RE.match(line)
            try:
                if head is None:
                    record = _record(line)
                    extractor, page_id = record.extractor, record.page_id
                else:
                    extractor, page_id = json.loads(head.group(1)), json.loads(head.group(2))
                    record = _record(line) if wanted is None or page_id in wanted else None
            except (ValueError, TypeError, KeyError):
                continue  # a truncated last line (a killed run)
            found.pairs[extractor] += 1
            if line.rstrip().endswith(_CACHED_TAIL):
                found.cached[extractor] += 1
            if record is not None:
                found.by_page[page_id][extractor] = record  # the last line of a pair wins
    return found


def output_file_name(page_id: str) -> str:
    """A file name for a page's raw outputs: the page id when it is safe, else a slug with a hash."""
    from benchmark.corpus.datasets.common import safe_page_id

    return f"{safe_page_id(page_id)}.json"


def _stamp(run_dir: Path) -> str:
    parts = []
    for name in ("extractions.jsonl", "golds.jsonl"):
        try:
            stat = (run_dir / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return "\n".join(parts) + "\n"


def write_page_outputs(run_dir: Path) -> Path | None:
    """outputs/<page>.json (gold and each extractor's output as returned) for every page; None without outputs.

    Derived files, written without fsync and only when their sources
    changed; the stamp is written last, so an interrupted write is redone.
    """
    from benchmark.results import ResultsError, read_golds

    run_dir = Path(run_dir)
    source = run_dir / "extractions.jsonl"
    if not source.is_file():
        return None
    folder = run_dir / OUTPUTS_DIR
    stamp = _stamp(run_dir)
    try:
        if (folder / _STAMP).read_text(encoding="utf-8") == stamp:
            return folder
    except OSError:
        pass
    try:
        golds = {page_id: gold.text for page_id, gold in read_golds(run_dir).items()}
    except ResultsError:
        golds = {}
    outputs = read_outputs(run_dir, None).by_page
    folder.mkdir(exist_ok=True)
    for page_id in sorted(outputs):
        record = {"page_id": page_id, "gold": golds.get(page_id),
                  "outputs": {name: {"outcome": str(e.outcome), "text": e.text, "error": e.error, "ms": e.ms,
                                     "cached": e.cached} for name, e in sorted(outputs[page_id].items())}}
        target = folder / output_file_name(page_id)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, target)
    (folder / _STAMP).write_text(stamp, encoding="utf-8")
    return folder
