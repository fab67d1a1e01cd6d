"""The built-in adapters on the older releases users still run, each installed from the package index into a venv.

Needs the package index (as `boilerbench matrix` does); skipped, saying so,
when it cannot be reached. The venvs are kept under the user cache like the
matrix's own, so a second run of the suite builds nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.corpus.bundled import load_corpus
from benchmark.extractors import registry
from benchmark.records import Outcome
from benchmark.run.runner import Runner
from benchmark.versions.combinations import Combination, Pin
from benchmark.versions.environments import EnvironmentBuilder

ROOT = Path(__file__).resolve().parents[2]


def _index_reachable() -> bool:
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "justext", "--json"],
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


pytestmark = pytest.mark.skipif(not _index_reachable(), reason="the package index cannot be reached")


@pytest.fixture(scope="module")
def envs() -> EnvironmentBuilder:
    return EnvironmentBuilder(installer="pip")


@pytest.fixture(scope="module")
def pages():
    corpus = load_corpus(ROOT)
    english = [page for page in corpus.pages if page.card.language == "en"][:2]
    return english, corpus.golds


def _run(envs: EnvironmentBuilder, package: str, version: str, name: str, pages):
    environment = envs.ensure(Combination((Pin(package, version),)))
    assert environment.ok, environment.message
    with Runner(registry.resolve([name]), jobs=1, python=envs.worker_python(environment)) as runner:
        extractions = list(runner.run(pages[0], pages[1]))
        [facts] = runner.extractor_runs()
    return extractions, facts


@pytest.mark.parametrize("package, version, name", [
    ("trafilatura", "1.6.4", "trafilatura"),
    ("trafilatura", "1.6.4", "trafilatura-fast"),
    ("readability-lxml", "0.8.1", "readability-lxml"),
    ("justext", "2.2.0", "justext"),
    ("newspaper3k", "0.2.0", "newspaper3k"),  # download(html=...) before input_html existed
])
def test_older_releases_extract(envs, pages, package, version, name):
    extractions, facts = _run(envs, package, version, name, pages)
    assert facts.version == version and facts.available
    assert "warm-up raised" not in facts.note
    assert [e.outcome for e in extractions] == [Outcome.OK] * len(extractions), [e.error for e in extractions]
    assert all(len(e.text) > 200 for e in extractions)


def test_trafilatura_1x_gets_fast_as_no_fallback(envs, pages):
    environment = envs.ensure(Combination((Pin("trafilatura", "1.6.4"),)))
    python = envs.worker_python(environment)
    script = ("import trafilatura\nfrom benchmark.extractors.releases import keywords_for\n"
              "print(keywords_for(trafilatura.extract, {'fast': True, 'favor_recall': False}, module='trafilatura',"
              " what='extract', renames={'fast': 'no_fallback'}))")
    done = subprocess.run(python.command("-c", script), capture_output=True, text=True, env=python.environ(),
                          check=True)
    assert done.stdout.strip() == "{'no_fallback': True, 'favor_recall': False}"


def test_an_unsupported_release_is_unavailable_with_the_reason(envs, pages):
    extractions, facts = _run(envs, "trafilatura", "0.9.3", "trafilatura", pages)
    assert {e.outcome for e in extractions} == {Outcome.UNAVAILABLE}
    assert "trafilatura 0.9.3 is not supported by boilerbench's adapter, which speaks 1.x and 2.x" \
        in extractions[0].error
    assert not facts.available
