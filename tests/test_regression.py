"""The regression gate under pytest: each pinned extractor, run now on the bundled corpus, against its floors.

A failure names the extractor, the page and the old and new figures. The
tolerances live in benchmark.gate, where they are justified, and are shared
with `boilerbench gate`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from benchmark.baseline import load_baseline
from benchmark.corpus.bundled import load_corpus
from benchmark.extractors.registry import is_installed, resolve
from benchmark.gate import PASS, compare
from benchmark.pipeline import run_benchmark

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "results" / "baseline.json"


def _pinned_names() -> list[str]:
    try:
        return sorted(json.loads(BASELINE.read_text(encoding="utf-8"))["extractors"])
    except (OSError, ValueError, KeyError):
        return []


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory):
    """One real run of every pinned extractor on the bundled corpus (no cache: measure now)."""
    corpus = load_corpus(REPO)
    specs = [spec for spec in resolve(_pinned_names()) if is_installed(spec)]
    result = run_benchmark(corpus, specs, out_root=tmp_path_factory.mktemp("regression"),
                           jobs=os.cpu_count() or 1, timeout=60.0, n_boot=200)
    return corpus, result


def test_baseline_is_pinned_on_this_corpus():
    """A committed baseline from another corpus would turn the gate into a silent no-op."""
    baseline = load_baseline(BASELINE)
    digest = load_corpus(REPO).digest
    assert baseline["corpus_digest"] == digest, (
        "results/baseline.json was pinned on another corpus: run `boilerbench run` then "
        "`boilerbench gate --update` (it refuses to lower a floor without --allow-regression)")
    assert {"trafilatura", "readability-lxml", "justext", "newspaper3k"} <= set(baseline["extractors"])


@pytest.mark.parametrize("extractor", _pinned_names())
def test_no_regression(extractor, bundled_run):
    corpus, result = bundled_run
    meta = result.meta["extractors"]
    if extractor not in meta or not meta[extractor]["available"]:
        pytest.fail(f"{extractor} is pinned in results/baseline.json but not installed: "
                    'pip install -e ".[dev]" installs the required extractors')
    verdict = compare(
        load_baseline(BASELINE), result.summary, result.scores,
        {name: info["version"] for name, info in meta.items()}, corpus.digest,
        run_options_digests={name: info["options_digest"] for name, info in meta.items()},
        only=[extractor])
    (mine,) = [v for v in verdict.extractors if v.extractor == extractor]
    problems = [str(f) for f in mine.findings if f.severity != "info"]
    assert mine.status == PASS, f"{extractor}: {mine.status}\n" + "\n".join(problems)


def test_gold_baseline_scores_one_everywhere(bundled_run):
    _, result = bundled_run
    gold = result.scores[result.scores["extractor"] == "gold"]
    assert len(gold) == len(result.pages) and (gold["f1"] == 1.0).all()
