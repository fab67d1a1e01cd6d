"""The results folder of one run: written atomically, read back without re-running anything.

Layout of `results/<run_id>/`: run.json (self-describing metadata, schema
version first), extractions.jsonl (streamed as pairs finish, so an
interrupted run keeps what it did), scores.csv, summary.csv, report.md,
report.html. An existing run folder is never overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from benchmark.records import SCHEMA_VERSION, Extraction, Gold, Outcome, PageScore

#: list-valued PageScore fields; stored in CSV cells as JSON arrays
_LIST_COLUMNS = ("chrome_leaked", "lexicon_leaked", "must_missing")


class ResultsError(Exception):
    """A results folder that cannot be read as a run of this schema."""


@dataclass(frozen=True)
class StoredRun:
    """A finished run read back from disk."""

    path: Path
    meta: dict[str, Any]
    scores: Any  # pandas.DataFrame of scores.csv
    summary: Any  # pandas.DataFrame of summary.csv


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; results are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_run_id(corpus_name: str, now: dt.datetime | None = None) -> str:
    """Sortable, unique: UTC time, corpus name and a random suffix."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{corpus_name}-{secrets.token_hex(3)}"


def create_run_dir(out_root: Path, run_id: str) -> Path:
    """Make results/<run_id>/, refusing to reuse an existing folder."""
    run_dir = out_root / run_id
    out_root.mkdir(parents=True, exist_ok=True)
    run_dir.mkdir(exist_ok=False)
    return run_dir


def library_versions() -> dict[str, str | None]:
    """lxml and libxml2 change extraction results, so every run records them."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for dist in ("lxml", "lxml_html_clean", "numpy", "pandas", "rapidfuzz"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    try:
        from lxml import etree

        versions["libxml2"] = ".".join(map(str, etree.LIBXML_VERSION))
        versions["libxml2_compiled"] = ".".join(map(str, etree.LIBXML_COMPILED_VERSION))
        versions["libxslt"] = ".".join(map(str, etree.LIBXSLT_VERSION))
    except ImportError:
        versions["libxml2"] = None
    return versions


def environment() -> dict[str, str]:
    """Python and platform facts a reader needs to reproduce a run."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": str(os.cpu_count()),
    }


class ExtractionLog:
    """extractions.jsonl, appended and flushed pair by pair so no finished work is lost."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("a", encoding="utf-8")

    def append(self, extraction: Extraction) -> None:
        record = dataclasses.asdict(extraction)
        record["outcome"] = str(extraction.outcome)
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ExtractionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_extractions(run_dir: Path) -> Iterator[Extraction]:
    """Read extractions.jsonl back; a truncated last line (a killed run) is skipped."""
    path = run_dir / "extractions.jsonl"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            record["outcome"] = Outcome(record["outcome"])
            fields = {f.name for f in dataclasses.fields(Extraction)}
            yield Extraction(**{k: v for k, v in record.items() if k in fields})


def write_golds(path: Path, golds: Iterable[Gold]) -> None:
    """golds.jsonl: the gold texts beside the outputs, so a run can be re-scored and re-rendered without its corpus."""
    lines = [json.dumps({"page_id": g.page_id, "text": g.text, "with": list(g.snippets_with),
                         "without": list(g.snippets_without)}, ensure_ascii=False) for g in golds]
    atomic_write_text(path, "\n".join(lines) + "\n")


def read_golds(run_dir: Path) -> dict[str, Gold]:
    """golds.jsonl back as Gold records; a damaged or missing file is a ResultsError naming it."""
    path = Path(run_dir) / "golds.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ResultsError(f"{path}: missing; runs written before golds were stored cannot be re-scored or "
                           "re-rendered with their texts: run the benchmark again") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read ({exc})") from None
    golds: dict[str, Gold] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            page_id = record["page_id"]
            golds[page_id] = Gold(page_id=page_id, path=f"{path}#{page_id}", text=record.get("text"),
                                  snippets_with=tuple(record.get("with") or ()),
                                  snippets_without=tuple(record.get("without") or ()))
        except (ValueError, KeyError, TypeError) as exc:
            raise ResultsError(f"{path}:{number}: not a gold record ({exc}); the run folder is damaged") from None
    return golds


def scores_frame(scores: Iterable[PageScore]):
    """One row per (extractor, page), list fields as JSON arrays: the scores.csv table."""
    import pandas as pd

    rows = []
    for score in scores:
        row = dataclasses.asdict(score)
        row["outcome"] = str(score.outcome)
        for name in _LIST_COLUMNS:
            row[name] = json.dumps(list(row[name]), ensure_ascii=False)
        rows.append(row)
    columns = [f.name for f in dataclasses.fields(PageScore)]
    return pd.DataFrame(rows, columns=columns)


def page_scores_from_frame(frame) -> list[PageScore]:
    """Rebuild PageScore records from a scores.csv table."""
    import math

    records = []
    for row in frame.to_dict("records"):
        for name in _LIST_COLUMNS:
            value = row.get(name)
            row[name] = tuple(json.loads(value)) if isinstance(value, str) and value else ()
        for name in ("chrome_leak", "must_include", "ms"):
            value = row.get(name)
            if isinstance(value, float) and math.isnan(value):
                row[name] = None
        row["outcome"] = Outcome(row["outcome"])
        for name in ("tp", "n_pred", "n_gold"):
            row[name] = int(row[name])
        records.append(PageScore(**{f.name: row[f.name] for f in dataclasses.fields(PageScore)}))
    return records


def write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def write_frame(path: Path, frame) -> None:
    atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def read_run(run_dir: Path) -> StoredRun:
    """Load a finished run; refuse another schema or a run that never finished."""
    import pandas as pd

    run_dir = Path(run_dir)
    meta_path = run_dir / "run.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{meta_path}: not found; is {run_dir} a boilerbench results folder?") from None
    except ValueError as exc:
        raise ResultsError(f"{meta_path}: not valid JSON ({exc})") from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise ResultsError(f"{meta_path}: schema version {meta.get('schema_version')!r}, this boilerbench "
                           f"reads {SCHEMA_VERSION}; re-run with this version")
    try:
        scores = pd.read_csv(run_dir / "scores.csv", keep_default_na=False, na_values=[""])
        summary = pd.read_csv(run_dir / "summary.csv", keep_default_na=False, na_values=[""],
                              dtype={"version": str})
    except FileNotFoundError as exc:
        raise ResultsError(f"{exc.filename}: missing; the run did not finish (status "
                           f"{meta.get('status')!r}). Start it again to resume from the cache.") from None
    return StoredRun(path=run_dir, meta=meta, scores=scores, summary=summary)


def update_latest(run_dir: Path, latest: Path) -> None:
    """Mirror a run into results/latest/, keeping files only latest/ has (screenshots)."""
    staging = latest.with_name(f".{latest.name}.{secrets.token_hex(3)}.tmp")
    shutil.copytree(run_dir, staging)
    if latest.is_dir():
        for keep in latest.iterdir():
            if not (staging / keep.name).exists() and keep.suffix == ".png":
                shutil.copy2(keep, staging / keep.name)
        old = latest.with_name(f".{latest.name}.{secrets.token_hex(3)}.old")
        latest.rename(old)
        staging.rename(latest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(latest)
