"""Issue 7's adapters on the real AEB set: AEB-mode F1 within 0.01 of that benchmark's own scorer.

The figures are what the article extraction benchmark's scorer (evaluate.py)
gave here for these versions called the way our adapters call them (lxml
6.1.3). Measured with this module's run (jobs=2): every one matches to the
third decimal. newspaper4k lives in its own venv (absent in CI: its test
skips there); two Korean AEB pages are errors for it (NLTK's punkt_tab data
is not in that venv and cannot be fetched at run time), as they were for the
figure. readability-js runs where it is set up (.ci/run does it; a test
never installs into the work tree).

One run through the real runner (jobs=2, no cache) serves the whole module;
the data lives beside the repository and is never copied into it; without it
every test here skips.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmark.extractors import registry
from benchmark.records import Outcome

AEB = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "aeb"
#: registry name -> (version measured, AEB F1 from that benchmark's scorer)
FIGURES = {
    "goose3": ("3.1.22", 0.875),
    "boilerpy3": ("1.0.7", 0.860),
    "resiliparse": ("2.0.1", 0.898),
    "inscriptis": ("2.7.6", 0.679),
    "html-text": ("0.7.1", 0.665),
    "magic-html": ("0.1.8", 0.947),
    "readabilipy": ("0.3.0", 0.712),
    "trafilatura-precision": ("2.3.1", 0.964),
    "newspaper4k": ("0.9.6", 0.943),
    "readability-js": ("0.6.0+jsdom.27.0.0.cssstyle.5.3.1", 0.947),
}
TOLERANCE = 0.01
#: pages a library fails on, by design of the comparison (same failures as the figure)
EXPECTED_ERRORS = {"newspaper4k": 2}  # Korean pages: LookupError, punkt_tab not installed


@pytest.fixture(scope="module")
def aeb_run():
    """Every installed adapter of FIGURES on all 181 AEB pages: texts, outcomes and recorded versions."""
    from benchmark.corpus.datasets.aeb import load
    from benchmark.run.runner import Runner

    if not (AEB / "ground-truth.json").is_file():
        pytest.skip(f"the AEB data set is not at {AEB}")
    known = registry.known_specs()
    names = [name for name in FIGURES if registry.is_installed(known[name])]
    if not names:
        pytest.skip("none of the optional extractors is installed")
    corpus = load(AEB)
    texts: dict[str, dict[str, str]] = {name: {} for name in names}
    outcomes: dict[str, Counter] = {name: Counter() for name in names}
    errors: dict[str, list[str]] = {name: [] for name in names}
    with Runner(registry.resolve(names), jobs=2, timeout=60) as runner:
        for extraction in runner.run(corpus.pages, corpus.golds):
            texts[extraction.extractor][extraction.page_id] = (
                extraction.text if extraction.outcome is Outcome.OK else "")
            outcomes[extraction.extractor][extraction.outcome.value] += 1
            if extraction.outcome is not Outcome.OK and extraction.outcome is not Outcome.EMPTY:
                errors[extraction.extractor].append(f"{extraction.page_id[:8]}: {extraction.error[:200]}")
        versions = {run.name: run.version for run in runner.extractor_runs()}
    return corpus, texts, outcomes, errors, versions


@pytest.mark.parametrize("name", list(FIGURES))
def test_aeb_mode_f1_matches_the_benchmarks_own_figure(name, aeb_run):
    from benchmark.score.aeb import aeb_score

    corpus, texts, outcomes, errors, versions = aeb_run
    version, figure = FIGURES[name]
    if name not in texts:
        pytest.skip(f"{name} is not installed: {registry.known_specs()[name].install}")
    if versions[name] != version:
        pytest.skip(f"{name} {versions[name]} installed; the figure is for {version}")
    failed = sum(count for outcome, count in outcomes[name].items() if outcome not in ("ok", "empty"))
    assert failed == EXPECTED_ERRORS.get(name, 0), errors[name][:5]
    result = aeb_score([(corpus.golds[page.page_id].text, texts[name][page.page_id]) for page in corpus.pages])
    assert result.n_pages == 181
    assert abs(result.f1 - figure) <= TOLERANCE, (
        f"{name} {version}: AEB F1 {result.f1:.4f} (P {result.precision:.4f}, R {result.recall:.4f}); "
        f"that benchmark's scorer gave {figure}")


def test_full_text_converters_keep_nearly_all_the_body_and_article_extractors_drop_chrome(aeb_run):
    from benchmark.score.aeb import aeb_score

    corpus, texts, _outcomes, _errors, _versions = aeb_run
    scores = {name: aeb_score([(corpus.golds[p.page_id].text, texts[name][p.page_id]) for p in corpus.pages])
              for name in texts}
    known = registry.known_specs()
    for name, result in scores.items():
        if known[name].kind == "full-text":  # labelled as such: recall near 1, precision near one half
            assert result.recall > 0.97 and result.precision < 0.6, name
        else:
            assert result.precision > 0.8, name
