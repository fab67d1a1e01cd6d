"""run.json's facts: what a run measured with (corpus, settings, libraries, machine) and each extractor's record.

A reader needs these to reproduce a run and to refuse comparing runs that are
not comparable (the gate and `boilerbench compare` check them); `results.RunWriter` writes
them at the start of a run and completes them at its end.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from typing import Any, Sequence

from benchmark import __version__
from benchmark.records import SCHEMA_VERSION, Corpus, ExtractorRun, ExtractorSpec
from benchmark.run.machine import machine_load


def distribution_versions(names: Sequence[str]) -> dict[str, str | None]:
    """Installed version of each distribution, None where it is not installed (found without importing it)."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def library_versions() -> dict[str, str | None]:
    """lxml and libxml2 change extraction results, so every run records them."""
    versions = distribution_versions(("lxml", "lxml_html_clean", "numpy", "pandas", "rapidfuzz"))
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


def run_options(*, jobs: int, timeout: float, seed: int, n_boot: int, memory_mb: int | None,
                max_output_bytes: int | None) -> dict[str, Any]:
    """The settings a run was made with, as run.json and the inputs fingerprint both hold them."""
    return {"jobs": jobs, "timeout_s": timeout, "seed": seed, "bootstrap_resamples": n_boot,
            "memory_mb": memory_mb, "max_output_bytes": max_output_bytes}


def run_metadata(corpus: Corpus, specs: Sequence[ExtractorSpec], *, jobs: int, timeout: float, seed: int,
                 n_boot: int, run_id: str, started: dt.datetime, memory_mb: int | None = None,
                 max_output_bytes: int | None = None) -> dict[str, Any]:
    """run.json: everything needed to know what was measured and to refuse bad comparisons."""
    from benchmark.score.lexicon import load_lexicon

    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "status": "running",
        "harness_version": __version__,
        "corpus": {"name": corpus.name, "root": corpus.root, "source": corpus.source, "digest": corpus.digest,
                   "pages": len(corpus.pages),
                   "skipped": sorted({p.page_id for p in corpus.problems if p.blocks_page and p.page_id}),
                   "provenance": corpus.provenance.as_dict() if corpus.provenance else None},
        "extractors_requested": [spec.name for spec in specs],
        "options": run_options(jobs=jobs, timeout=timeout, seed=seed, n_boot=n_boot, memory_mb=memory_mb,
                               max_output_bytes=max_output_bytes),
        "lexicon_version": load_lexicon().version,
        "libraries": library_versions(),
        "environment": environment(),
        "started": started.isoformat(timespec="seconds"),
        "load": {"start": machine_load()},
    }


def extractor_meta(runs: Sequence[ExtractorRun]) -> dict[str, Any]:
    return {
        run.name: {"kind": run.kind, "input": run.input, "output": run.output, "version": run.version,
                   "options": dict(run.options),
                   "options_digest": run.options_digest, "available": run.available,
                   "import_ms": run.import_ms, "peak_rss_mb": run.peak_rss_mb, "note": run.note,
                   "pairs_from_cache": run.pairs_from_cache, "code": dict(run.code)}
        for run in runs
    }
