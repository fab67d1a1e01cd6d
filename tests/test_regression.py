"""The regression gate under pytest: each pinned extractor, run now on the bundled corpus, against its floors.

A failure names the extractor, the page and the old and new figures. The
tolerances live in benchmark.gate, where they are justified, and are shared
with `boilerbench gate`. The run is the session's one run of the bundled
corpus (`bundled_run` in tests/conftest.py), shared with the artifact audit.
"""

from __future__ import annotations

import pytest

from benchmark.baseline import load_baseline
from benchmark.corpus.bundled import load_corpus
from benchmark.gate import PASS, compare
from tests.conftest import BASELINE, REPO, pinned_names


def test_baseline_is_pinned_on_this_corpus():
    """A committed baseline from another corpus would turn the gate into a silent no-op."""
    baseline = load_baseline(BASELINE)
    digest = load_corpus(REPO).digest
    assert baseline["corpus_digest"] == digest, (
        "results/baseline.json was pinned on another corpus: run `boilerbench run` then "
        "`boilerbench gate --update` (it refuses to lower a floor without --allow-regression)")
    assert {"trafilatura", "readability-lxml", "justext", "newspaper3k"} <= set(baseline["extractors"])


@pytest.mark.parametrize("extractor", pinned_names())
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
