"""A run's inputs fingerprint: when a re-run would repeat the newest stored run exactly, it is answered by it.

A warm re-run of the same command on unchanged pages computes nothing: every
pair comes from the cache, every score is replayed, and the tables and
reports it would write are the stored run's. The fingerprint says when that
holds. It is a sha256 over the run's settings, the corpus (its digest of
page, gold and card bytes, and its page ids), the harness's own files (a
changed scorer or template is a changed report), the Python and table
libraries, and, per pair, the cache key with the checksum and timing of the
extraction used. A run writes it to run.json; the next run computes it from
the cache before anything is imported for the tables and, when the newest
complete run in the results folder has the same one, says so instead of
writing a copy (`boilerbench run --rerun` writes a new folder anyway).

A pair that is not in the cache (a timeout, a crash, a failed load, or a run
with `--no-cache`) has no checksum there, so such a run is never unchanged:
running it again would try that pair again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from benchmark.records import Corpus, Extraction, ExtractorSpec
from benchmark.run_metadata import distribution_versions

__all__ = ["Fingerprint", "Plan", "UnchangedRun", "find_unchanged_run", "harness_digest", "newest_unchanged_run",
           "planned_fingerprint"]

#: the files a run needs to be answered by its folder, with and without reports
RUN_FILES = ("run.json", "summary.csv", "scores.csv", "pages.csv", "extractions.jsonl")
REPORT_FILES = ("report.md", "report.html")
#: libraries whose versions move figures without moving the harness's files (bootstrap, alignment)
_TABLE_LIBRARIES = ("numpy", "pandas", "rapidfuzz", "jinja2")


@functools.lru_cache(maxsize=1)
def harness_digest() -> str:
    """sha256 over every file of the benchmark package (code, templates, lexicon): any change re-renders."""
    from benchmark.run.code_identity import tree_digest

    return tree_digest(Path(__file__).resolve().parents[1])[0]


def _checksum(extraction: Extraction) -> str | None:
    """The cache's checksum of this extraction's row; None when it cannot be stored."""
    from benchmark.run.cache import extraction_checksum

    try:
        return extraction_checksum(extraction)
    except UnicodeEncodeError:
        return None


class Fingerprint:
    """Settings, corpus and harness, then one entry per pair in any order; `hexdigest()` None once voided."""

    def __init__(self, corpus: Corpus, specs: Sequence[ExtractorSpec], options: Mapping[str, Any]) -> None:
        self._head = json.dumps({
            "corpus": [corpus.name, corpus.root, corpus.source, corpus.digest, [p.page_id for p in corpus.pages]],
            "extractors": [spec.name for spec in specs],
            "options": dict(options),
            "harness": harness_digest(),
            "python": sys.version,
            "libraries": distribution_versions(_TABLE_LIBRARIES),
        }, sort_keys=True, default=str)
        self._entries: list[str] = []
        self.void = False

    def add(self, extractor: str, page_id: str, key: Any, checksum: str | None, ms: float | None) -> None:
        """One pair: its cache key (None when it needs none: unavailable), stored checksum and timing."""
        if checksum is None:
            self.void = True
            return
        row = "\t".join(key.as_row()) if key is not None else ""
        self._entries.append("\n".join((extractor, page_id, row, checksum, repr(ms) if key is not None else "")))

    def add_extraction(self, extraction: Extraction, key: Any) -> None:
        """A pair as a run yields it: with a key it must be what the cache stores, or the run is not repeatable."""
        from benchmark.run.cache import is_cacheable

        if key is not None and not is_cacheable(extraction):
            self.void = True
            return
        self.add(extraction.extractor, extraction.page_id, key, _checksum(extraction), extraction.ms)

    def hexdigest(self) -> str | None:
        if self.void:
            return None
        digest = hashlib.sha256(self._head.encode())
        for entry in sorted(self._entries):
            digest.update(b"\x1e" + entry.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Plan:
    """What a run would be made of now: its fingerprint (None if any pair must be computed) and its cached pairs."""

    fingerprint: str | None
    from_cache: Mapping[str, int]


def planned_fingerprint(runner: Any, cache: Any, corpus: Corpus, specs: Sequence[ExtractorSpec],
                        options: Mapping[str, Any]) -> Plan:
    """The fingerprint a run would get if it ran now, from the cache's rows alone (None if any pair is missing)."""
    fingerprint = Fingerprint(corpus, specs, options)
    from_cache: Counter[str] = Counter()
    for extractor, page_id, key, immediate in runner.planned_pairs(corpus.pages, corpus.golds):
        if immediate is not None:
            fingerprint.add_extraction(immediate, None)
            continue
        stored = cache.stored_mark(key)
        if stored is None:
            return Plan(None, {})
        fingerprint.add(extractor, page_id, key, *stored)
        from_cache[extractor] += 1
    return Plan(fingerprint.hexdigest(), dict(from_cache))


@dataclass(frozen=True)
class UnchangedRun:
    """A stored run a new one would repeat: its folder, its run.json, and the new run's cached pairs per extractor."""

    run_dir: Path
    meta: Mapping[str, Any]
    from_cache: Mapping[str, int]


def find_unchanged_run(runner: Any, cache: Any, corpus: Corpus, specs: Sequence[ExtractorSpec],
                       options: Mapping[str, Any], out_root: Path, *, reports: bool) -> UnchangedRun | None:
    """The stored run under out_root that a run made now would repeat exactly; None when there is none."""
    plan = planned_fingerprint(runner, cache, corpus, specs, options)
    if plan.fingerprint is None:
        return None
    found = newest_unchanged_run(out_root, corpus.name, plan.fingerprint, reports=reports)
    return UnchangedRun(found[0], found[1], plan.from_cache) if found is not None else None


def newest_unchanged_run(out_root: Path, corpus_name: str, fingerprint: str, *,
                         reports: bool) -> tuple[Path, dict[str, Any]] | None:
    """The newest complete run of this corpus under out_root, with its run.json, when it has this fingerprint and
    all its files."""
    for run_dir in _runs_newest_first(out_root, corpus_name):
        try:
            meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("status") == "running":
            continue  # a live run, or one a later writer will mark interrupted: look past it
        wanted = RUN_FILES + (REPORT_FILES if reports else ())
        if meta.get("status") == "complete" and meta.get("inputs_fingerprint") == fingerprint and \
                all((run_dir / name).is_file() for name in wanted):
            return run_dir, meta
        return None  # the newest finished run differs: a new run says what changed
    return None


def _runs_newest_first(out_root: Path, corpus_name: str) -> Iterable[Path]:
    """Run folders of this corpus (<UTC stamp>-<corpus>-<hex>), newest first by their stamp."""
    from benchmark.results import corpus_part, run_folder_corpus

    try:
        names = [p.name for p in out_root.iterdir() if p.is_dir()]
    except OSError:
        return []
    part = run_folder_corpus(corpus_name)
    mine = [n for n in names if n[:1].isdigit() and corpus_part(n) == part]
    return [out_root / n for n in sorted(mine, reverse=True)]
