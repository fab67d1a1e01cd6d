"""A run's stored outputs as the reports need them: parsed only for the pages shown, and each page's raw file.

extractions.jsonl holds every output (33 MB for 1,000 AEB pages and six
extractors). The reports read it in one pass that looks at each line's
extractor, page id and cache flag without parsing the line, and parses only
the lines of pages whose views are rendered. Each page's raw outputs are also
written to ``outputs/<page>.jsonl`` in the run folder, for readers who want
the texts as returned: the page's gold first, then its lines of
extractions.jsonl exactly as stored (so writing them parses nothing); the
folder is rewritten only when extractions.jsonl or golds.jsonl changed.
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
    lines: dict[str, list[str]] | None = None  # page id -> its raw lines, when asked for (outputs/ is stale)


def _record(line: str):
    from benchmark.records import Extraction, Outcome

    record = json.loads(line)
    record["outcome"] = Outcome(record["outcome"])
    fields = Extraction.__dataclass_fields__
    return Extraction(**{k: v for k, v in record.items() if k in fields})


def read_outputs(run_dir: Path, pages: Iterable[str] | None, *, keep_lines: bool | None = None) -> RunOutputs:
    """One pass over extractions.jsonl: cache counts for all, Extraction records for `pages` (None: all).

    With `keep_lines` (default: when outputs/ is missing or stale) each
    page's raw lines are kept too, for `write_page_outputs`.
    """
    path = Path(run_dir) / "extractions.jsonl"
    if not path.is_file():
        return RunOutputs(present=False)
    wanted = None if pages is None else set(pages)
    if keep_lines is None:
        keep_lines = not outputs_current(Path(run_dir))
    found = RunOutputs(present=True, by_page=defaultdict(dict), lines=defaultdict(list) if keep_lines else None)
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
            if found.lines is not None:
                found.lines[page_id].append(line if line.endswith("\n") else line + "\n")
            if line.rstrip().endswith(_CACHED_TAIL):
                found.cached[extractor] += 1
            if record is not None:
                found.by_page[page_id][extractor] = record  # the last line of a pair wins
    return found


def output_file_name(page_id: str) -> str:
    """A file name for a page's raw outputs: the page id when it is safe, else a slug with a hash."""
    from benchmark.corpus.datasets.common import safe_page_id

    return f"{safe_page_id(page_id)}.jsonl"


def _stamp(run_dir: Path) -> str:
    parts = []
    for name in ("extractions.jsonl", "golds.jsonl"):
        try:
            stat = (run_dir / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return "\n".join(parts) + "\n"


def outputs_current(run_dir: Path) -> bool:
    """True when outputs/ was written from the run's present extractions.jsonl and golds.jsonl."""
    try:
        return (run_dir / OUTPUTS_DIR / _STAMP).read_text(encoding="utf-8") == _stamp(run_dir)
    except OSError:
        return False


def write_page_outputs(run_dir: Path, found: RunOutputs | None = None) -> Path | None:
    """outputs/<page>.jsonl for every page: a gold line, then the page's extractions.jsonl lines as stored.

    Derived files, written without fsync and only when their sources
    changed; the stamp is written last, so an interrupted write is redone.
    None when the run kept no outputs.
    """
    run_dir = Path(run_dir)
    folder = run_dir / OUTPUTS_DIR
    if not (run_dir / "extractions.jsonl").is_file():
        return None
    if outputs_current(run_dir):
        return folder
    if found is None or found.lines is None:
        found = read_outputs(run_dir, (), keep_lines=True)
    golds: dict[str, str] = {}
    try:
        with (run_dir / "golds.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                head = re.match(r'\{"page_id": ("(?:[^"\\]|\\.)*")', line)
                if head:
                    golds[json.loads(head.group(1))] = line if line.endswith("\n") else line + "\n"
    except OSError:
        pass
    folder.mkdir(exist_ok=True)
    stamp = _stamp(run_dir)
    for page_id, lines in (found.lines or {}).items():
        target = folder / output_file_name(page_id)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(golds.get(page_id, "") + "".join(lines), encoding="utf-8")
        os.replace(temporary, target)
    (folder / _STAMP).write_text(stamp, encoding="utf-8")
    return folder
