"""Plugins: a user's function named by import path, and an installed package's entry point.

The entry-point test really installs tests/plugin_fixture into the running
interpreter (pip, offline: ``--no-index --no-deps --no-build-isolation``; the
fixture's build backend is a stdlib-only file beside it), finds it in
`boilerbench list`, runs it through the real runner and uninstalls it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmark.extractors import registry
from benchmark.records import Outcome
from benchmark.run.runner import Runner
from tests.fakes import page

FIXTURE = Path(__file__).resolve().parents[1] / "plugin_fixture"
DISTRIBUTION = "boilerbench-plugin-fixture"
PLUGIN = "fixture-paragraphs"


def _pip(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def _installed() -> bool:
    try:
        importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _forget_plugin() -> None:
    importlib.invalidate_caches()
    sys.modules.pop("bb_plugin_fixture", None)


@pytest.fixture()
def installed_plugin(tmp_path):
    """tests/plugin_fixture installed into this interpreter for the test, uninstalled after."""
    if _pip("--version").returncode != 0:
        pytest.skip("pip is not available in this interpreter")
    source = tmp_path / "plugin_fixture"
    shutil.copytree(FIXTURE, source)  # a build writes nothing into the repository
    done = _pip("install", "--no-deps", "--no-build-isolation", "--no-index", str(source))
    assert done.returncode == 0, done.stdout + done.stderr
    _forget_plugin()
    try:
        yield
    finally:
        _pip("uninstall", "--yes", DISTRIBUTION)
        _forget_plugin()


def test_an_installed_package_adds_its_extractor_through_the_entry_point(installed_plugin, capsys):
    from benchmark.cli import main

    assert importlib.metadata.version(DISTRIBUTION) == "0.1.0"
    assert main(["list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(PLUGIN + " "))
    assert line.split()[1:6] == ["article", "extractor", "text", "yes", "0.1.0"]
    # a fresh interpreter finds it too, with its exact options
    done = subprocess.run([sys.executable, "-m", "benchmark", "list", "--json", "--installed"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert rows[PLUGIN]["options"] == {"min_chars": 20} and rows[PLUGIN]["distribution"] == DISTRIBUTION

    spec, = registry.resolve([PLUGIN])
    pages = [page("long", "A paragraph long enough to be kept by the plugin."), page("short", "Too short.")]
    with Runner([spec], jobs=1, timeout=30) as runner:
        results = {e.page_id: e for e in runner.run(pages, {})}
        run, = runner.extractor_runs()
    assert results["long"].outcome is Outcome.OK
    assert results["long"].text == "A paragraph long enough to be kept by the plugin."
    assert results["short"].outcome is Outcome.EMPTY
    assert (run.version, run.kind) == ("0.1.0", "article")


def test_an_uninstalled_plugin_is_gone_from_the_registry(installed_plugin):
    assert PLUGIN in registry.known_specs()
    done = _pip("uninstall", "--yes", DISTRIBUTION)
    assert done.returncode == 0, done.stderr
    _forget_plugin()
    assert not _installed()
    assert PLUGIN not in registry.known_specs()
    with pytest.raises(registry.UnknownExtractorError):
        registry.resolve([PLUGIN])


def test_a_function_by_import_path_runs_beside_a_builtin_from_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from benchmark.cli import cli
    from tests.corpus_builders import good_corpus

    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "bb_user_extractors.py").write_text(textwrap.dedent("""
        import re

        def story(html, url=None):
            match = re.search(r"<div class='story'><p>(.*?)</p>", html)
            return match.group(1) if match and url else ""
    """))
    monkeypatch.syspath_prepend(str(plugins))  # workers get the harness's sys.path
    corpus = good_corpus(tmp_path / "corpus", n=2)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--corpus", str(corpus), "--out", str(out), "--no-cache", "--quiet",
                                      "--jobs", "1", "--extractors", "trafilatura,bb_user_extractors:story"])
    assert result.exit_code == 0, result.output
    run_json = json.loads(next(out.glob("*/run.json")).read_text())
    assert run_json["extractors_requested"] == ["trafilatura", "bb_user_extractors:story"]
    assert run_json["outcomes"] == {"ok": 4}
    scores = (next(out.glob("*/scores.csv"))).read_text()
    story_rows = [row for row in scores.splitlines() if row.startswith("bb_user_extractors:story,")]
    assert len(story_rows) == 2 and all(",1.0," in row for row in story_rows)  # exactly the gold: F1 1.0
