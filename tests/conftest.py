"""Fixtures shared by test modules: the one real run of the extractors on the bundled corpus per session.

The regression gate (tests/test_regression.py), the artifact audit
(tests/corpus/test_artifact_audit.py) and the check that structure marks do
not move scores (tests/corpus/test_goldmarks.py) all read this run: CI has 2
cores and the corpus is 150 heavy pages, so the extractors run once, not
once per module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "results" / "baseline.json"
#: extractors that score F1 >= 0.89 on AEB (README): the artifact audit asks why any falls below 0.3 here
AUDITED = ("trafilatura", "readability-lxml", "resiliparse", "readability-js", "magic-html")


def pinned_names() -> list[str]:
    """The extractors results/baseline.json pins (none when it is missing or unreadable)."""
    try:
        return sorted(json.loads(BASELINE.read_text(encoding="utf-8"))["extractors"])
    except (OSError, ValueError, KeyError):
        return []


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory):
    """One real run of every pinned and every audited extractor that is installed (no cache: measured now)."""
    from benchmark.corpus.bundled import load_corpus
    from benchmark.extractors.registry import is_installed, resolve
    from benchmark.pipeline import run_benchmark

    corpus = load_corpus(REPO)
    names = list(dict.fromkeys([*pinned_names(), *AUDITED]))
    specs = [spec for spec in resolve(names) if is_installed(spec)]
    result = run_benchmark(corpus, specs, out_root=tmp_path_factory.mktemp("bundled-run"),
                           jobs=os.cpu_count() or 1, timeout=60.0, n_boot=200, reports=False)
    return corpus, result
