"""The results folder of one run: written atomically, read back without re-running anything.

Layout of `results/<run_id>/`: run.json (self-describing metadata, schema
version first), golds.jsonl, extractions.jsonl (streamed as pairs finish, so
an interrupted run keeps what it did), pages.csv, scores.csv, summary.csv,
report.md, report.html. An existing run folder is never overwritten.
`RunWriter` writes one run's folder in that order; `stored_result` reads a
finished one back for re-rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

from benchmark.run.machine import cpu_seconds, is_busy, machine_load, peak_rss_mb
from benchmark.run_lock import lock_folder, mark_stale_runs
from benchmark.run_metadata import extractor_meta, run_metadata
from benchmark.records import (SCHEMA_VERSION, Corpus, Extraction, ExtractorRun, ExtractorSpec, Gold, Outcome,
                               PageScore)

#: list-valued PageScore fields; stored in CSV cells as JSON arrays
_LIST_COLUMNS = ("chrome_leaked", "lexicon_leaked", "must_missing")
#: PageScore's float fields that may be None (empty in scores.csv, NaN in pandas)
_OPTIONAL_FLOATS = ("chrome_leak", "must_include", "ms", "aeb_precision", "aeb_recall", "structure_f1",
                    "heading_precision", "heading_recall", "heading_f1", "list_f1", "table_f1", "quote_f1", "order")
_EXTRACTION_FIELDS = tuple(f.name for f in dataclasses.fields(Extraction))
#: longest a pair replayed from the cache waits in the buffer of extractions.jsonl
FLUSH_SECONDS = 0.5


class ResultsError(Exception):
    """A results folder that cannot be read as a run of this schema."""


@dataclass(frozen=True)
class StoredRun:
    """A finished run read back from disk."""

    path: Path
    meta: dict[str, Any]
    scores: Any  # pandas.DataFrame of scores.csv
    summary: Any  # pandas.DataFrame of summary.csv


@dataclass(frozen=True)
class RunResult:
    """Where a run was written and what it found."""

    run_dir: Path
    meta: dict[str, Any]
    scores: Any  # pandas.DataFrame (scores.csv)
    summary: Any  # pandas.DataFrame (summary.csv)
    pages: Any  # pandas.DataFrame (pages.csv)
    interrupted: bool = False


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
    """Sortable, unique: UTC time, corpus name (made file-name safe; "corpus" when there is none), random suffix."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{run_folder_corpus(corpus_name)}-{secrets.token_hex(3)}"


def run_folder_corpus(corpus_name: str) -> str:
    """The corpus part of a run folder's name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", corpus_name).strip("-.")[:60] or "corpus"


def corpus_part(run_id: str) -> str:
    """The corpus part read back from a run folder's name (`new_run_id`: <UTC stamp>-<corpus>-<hex>)."""
    return run_id.split("-", 1)[-1].rsplit("-", 1)[0]


def create_run_dir(out_root: Path, run_id: str) -> Path:
    """Make results/<run_id>/, refusing to reuse an existing folder."""
    run_dir = out_root / run_id
    out_root.mkdir(parents=True, exist_ok=True)
    run_dir.mkdir(exist_ok=False)
    return run_dir


class ExtractionLog:
    """extractions.jsonl, appended and flushed pair by pair so no finished work is lost; outcomes counted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("a", encoding="utf-8")
        self.outcomes: Counter[str] = Counter()
        self._flushed = time.monotonic()

    def append(self, extraction: Extraction) -> None:
        record = {name: getattr(extraction, name) for name in _EXTRACTION_FIELDS}  # asdict deep-copies: slow
        record["outcome"] = str(extraction.outcome)
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        # a computed pair is flushed at once; pairs replayed from the cache, which a killed run loses
        # nothing by, every half second (a warm re-run of 6,000 pairs spent a fifth of its time flushing)
        now = time.monotonic()
        if not extraction.cached or now - self._flushed >= FLUSH_SECONDS:
            self._handle.flush()
            self._flushed = now
        self.outcomes[str(extraction.outcome)] += 1

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
                         "without": list(g.snippets_without), "marked": g.marked}, ensure_ascii=False)
             for g in golds]
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
                                  snippets_without=tuple(record.get("without") or ()),
                                  marked=record.get("marked"))
        except (ValueError, KeyError, TypeError) as exc:
            raise ResultsError(f"{path}:{number}: not a gold record ({exc}); the run folder is damaged") from None
    return golds


def scores_frame(scores: Iterable[PageScore]):
    """One row per (extractor, page), list fields as JSON arrays: the scores.csv table."""
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(PageScore)]
    rows = []
    for score in scores:
        row = [getattr(score, name) for name in columns]  # not asdict: it deep-copies every field
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    frame["outcome"] = frame["outcome"].map(str)
    for name in _LIST_COLUMNS:
        frame[name] = [json.dumps(list(value), ensure_ascii=False) for value in frame[name]]
    return frame


def page_scores_from_frame(frame) -> list[PageScore]:
    """Rebuild PageScore records from a scores.csv table."""
    import math

    records = []
    for row in frame.to_dict("records"):
        for name in _LIST_COLUMNS:
            value = row.get(name)
            row[name] = tuple(json.loads(value)) if isinstance(value, str) and value else ()
        for name in _OPTIONAL_FLOATS:
            value = row.get(name)
            if isinstance(value, float) and math.isnan(value):
                row[name] = None
        row["outcome"] = Outcome(row["outcome"])
        for name in ("tp", "n_pred", "n_gold"):
            row[name] = int(row[name])
        records.append(PageScore(**{f.name: row.get(f.name, f.default) for f in dataclasses.fields(PageScore)}))
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


def stored_result(run_dir: Path) -> RunResult:
    """A RunResult read back from disk, for re-rendering without running extractors."""
    import pandas as pd

    stored = read_run(run_dir)
    pages_path = Path(run_dir) / "pages.csv"
    pages = pd.read_csv(pages_path, keep_default_na=False) if pages_path.exists() else pd.DataFrame()
    return RunResult(run_dir=Path(run_dir), meta=stored.meta, scores=stored.scores, summary=stored.summary,
                     pages=pages, interrupted=stored.meta.get("status") == "interrupted")


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


# --------------------------------------------------------------------------- writing one run


class RunWriter:
    """One run's folder, written as the run goes.

    run.json ("running") and golds.jsonl first, before any extractor runs;
    extractions.jsonl pair by pair; then pages.csv, scores.csv, summary.csv
    and the final run.json. The folder is locked meanwhile; on opening, other
    folders under out_root left "running" by a run that is gone are marked
    "interrupted" (`mark_stale_runs`).
    """

    def __init__(self, out_root: Path, corpus: Corpus, specs: Sequence[ExtractorSpec], *, jobs: int,
                 timeout: float, seed: int, n_boot: int, memory_mb: int | None = None,
                 run_id: str | None = None, max_output_bytes: int | None = None) -> None:
        started = dt.datetime.now(dt.timezone.utc)
        run_id = run_id or new_run_id(corpus.name, started)
        self.run_dir = create_run_dir(out_root, run_id)
        # held until finish (or until this process ends, however): a later run tells a live run from a dead one
        self._lock_fd = lock_folder(self.run_dir, wait=True)
        self.stale_marked = mark_stale_runs(out_root, run_id)
        self.meta = run_metadata(corpus, specs, jobs=jobs, timeout=timeout, seed=seed, n_boot=n_boot,
                                 run_id=run_id, started=started, memory_mb=memory_mb,
                                 max_output_bytes=max_output_bytes)
        write_json(self.run_dir / "run.json", self.meta)
        write_golds(self.run_dir / "golds.jsonl", corpus.golds.values())
        self._log: ExtractionLog | None = None

    def extraction_log(self) -> ExtractionLog:
        """extractions.jsonl, opened for appending pair by pair."""
        self._log = ExtractionLog(self.run_dir / "extractions.jsonl")
        return self._log

    def finish(self, *, pages: Any, scores: Any, summary: Any, extractor_runs: Sequence[ExtractorRun],
               elapsed: float, interrupted: bool, isolation: Sequence[dict[str, str]] = (),
               phases: dict[str, Any] | None = None, tables_started: float | None = None,
               inputs_fingerprint: str | None = None) -> RunResult:
        """The tables, then run.json with its status, timings, extractor facts and outcome counts."""
        write_frame(self.run_dir / "pages.csv", pages)
        write_frame(self.run_dir / "scores.csv", scores)
        write_frame(self.run_dir / "summary.csv", summary)
        phases = dict(phases or {})
        if tables_started is not None:
            phases["tables_s"] = round(time.perf_counter() - tables_started, 3)
        self.meta.update({
            "status": "interrupted" if interrupted else "complete",
            "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "elapsed_s": round(elapsed, 3),
            "phases": phases,
            "extractors": extractor_meta(extractor_runs),
            "outcomes": dict(self._log.outcomes) if self._log is not None else {},
            "harness_peak_rss_mb": peak_rss_mb(),
            "harness_cpu_s": cpu_seconds(),
            "load": {**(self.meta.get("load") or {}), "end": machine_load()},
            # what the workers were under, as they reported it; none when every pair came from the cache
            "isolation": list(isolation) or "no worker started (every pair came from the cache or was unavailable)",
            # a later run with the same one would repeat this run exactly (run/unchanged.py); none when interrupted
            "inputs_fingerprint": None if interrupted else inputs_fingerprint,
        })
        self.meta["load"]["busy"] = is_busy(self.meta["load"], int(self.meta["options"].get("jobs") or 0))
        write_json(self.run_dir / "run.json", self.meta)
        self.release()
        return RunResult(run_dir=self.run_dir, meta=self.meta, scores=scores, summary=summary, pages=pages,
                         interrupted=interrupted)

    def release(self) -> None:
        """Let go of the folder's lock: the run is finished, or stopped (a later run may mark it interrupted)."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
