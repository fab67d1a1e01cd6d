"""What `boilerbench run` tells the user: one test per terminal behaviour, exit code and message asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.cli_runner import run_cli as run
from tests.corpus_builders import ARTICLE, good_corpus, numbered_corpus, page_html, write_page

REPO = Path(__file__).resolve().parents[2]
BASELINES = "full-text,gold"


def test_closing_line_gives_the_whole_time_its_phases_and_the_cache_count(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus")
    args = ["run", "--corpus", corpus, "--extractors", BASELINES, "--jobs", 1, "--quiet", "--cache-dir",
            tmp_path / "cache"]
    code, out, err = run([*args, "--out", tmp_path / "a"], capsys)
    assert code == 0, err
    closing = re.search(r"in (\d+\.\d) s: extract \d+\.\d s, score \d+\.\d s \(during extraction\), "
                        r"tables \d+\.\d s, report \d+\.\d s; 4 pairs, 0 from the cache\.", out)
    assert closing, out
    meta = json.loads(next((tmp_path / "a").glob("*/run.json")).read_text())
    assert {"extract_s", "score_s", "tables_s"} <= set(meta["phases"])
    assert {"start", "end", "busy"} <= set(meta["load"]) and meta["harness_cpu_s"] > 0

    code, out, err = run([*args, "--out", tmp_path / "b"], capsys)
    assert code == 0 and "4 pairs, 4 from the cache (4 scores replayed)." in out
    rows = [line for line in out.splitlines() if line.startswith(("full-text", "gold"))]
    assert rows and all(line.split()[-2].endswith("*") for line in rows), "replayed timings are marked"
    assert "* timings replayed from the cache" in out


def test_a_busy_machine_is_warned_about():
    from benchmark.commands.terminal import load_warning
    from benchmark.run.machine import is_busy

    busy = {"start": [64.0, 64.0, 64.0], "end": [64.0, 64.0, 64.0]}
    assert is_busy(busy, jobs=1)
    assert "machine was busy (load average 64.0 at the start" in load_warning({**busy, "busy": True})
    idle = {"start": [0.0, 0.0, 0.0], "end": [1.0, 0.5, 0.1]}
    assert not is_busy(idle, jobs=1) and load_warning({**idle, "busy": False}) is None


def test_default_table_fits_100_columns_and_formats_give_the_rest(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    long_name = "an-external-extractor-with-a-name-far-too-long-for-any-table"
    base = ["run", "--corpus", corpus, "--extractors", BASELINES, "--extractor-cmd", f"{long_name}=cat",
            "--version-cmd", f"{long_name}=echo 1", "--jobs", 1, "--quiet", "--no-cache", "--no-report"]
    code, out, err = run([*base, "--out", tmp_path / "t"], capsys)
    assert code == 0, err
    table = out.split("\nWrote ")[0].splitlines()
    assert len(table) == 5 and max(len(line) for line in table) <= 100, table
    assert out.splitlines()[0].split() == ["extractor", "F1", "[95%", "CI]", "P", "R", "chrome", "ms", "med",
                                           "failures"]

    code, out, _ = run([*base, "--out", tmp_path / "c", "--format", "csv"], capsys)
    summary = pd.read_csv(pd.io.common.StringIO(out))
    assert code == 0 and {"lcs_f1_mean", "must_include_rate", "ms_p95", "micro_f1"} <= set(summary.columns)
    code, out, _ = run([*base, "--out", tmp_path / "j", "--format", "json"], capsys)
    assert code == 0 and {row["extractor"] for row in json.loads(out)} == {"full-text", "gold", long_name}
    code, out, _ = run([*base, "--out", tmp_path / "m", "--format", "markdown"], capsys)
    assert code == 0 and out.startswith("| extractor | version |") and long_name in out
    code, out, _ = run([*base, "--out", tmp_path / "w", "--format", "wide"], capsys)
    assert code == 0 and "must-include" in out and long_name in out.replace("\n", "")


def test_failures_are_loud_after_the_table(tmp_path, capsys, monkeypatch):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "fragile_plugin.py").write_text(
        "import sys\n"
        "def extract(html):\n"
        "    if 'Broken.' in html:\n"
        "        print('fragile: giving up on this one', file=sys.stderr)\n"
        "        raise ValueError('cannot parse this page')\n"
        "    return html\n")
    monkeypatch.syspath_prepend(str(plugins))
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    write_page(corpus, "example-2019-broken", html=page_html(f"Broken. {ARTICLE}"))
    code, out, err = run(["run", "--corpus", corpus, "--extractors", "fragile_plugin:extract,gold", "--jobs", 1,
                          "--quiet", "--no-cache", "--no-report", "--out", tmp_path / "o"], capsys)
    assert code == 0, err
    (line,) = [line for line in err.splitlines() if line.startswith("failures:")]
    assert "fragile_plugin:extract: 1 error of 2 pairs" in line
    assert "first (example-2019-broken): ValueError: cannot parse this page" in line
    tail = line.split("; stderr: ")[1]  # the tail of what the extractor wrote: its traceback's last lines
    assert tail.startswith("…") and tail.endswith("ValueError: cannot parse this page")


def test_a_plugin_module_that_is_not_there_is_a_usage_error(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    code, _, err = run(["run", "--corpus", corpus, "--extractors", "tests.no_such_plugin:extract", "--no-cache",
                        "--out", tmp_path / "o"], capsys)
    assert code == 2 and err.startswith("error: ")
    assert "no module 'tests.no_such_plugin'" in err
    assert not (tmp_path / "o").exists(), "nothing ran"


def test_a_plugin_that_fails_to_import_is_a_usage_error(tmp_path, capsys, monkeypatch):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "brokenplug.py").write_text("raise ImportError('brokenplug needs libfoo 2')\n"
                                           "def extract(html):\n    return html\n")
    monkeypatch.syspath_prepend(str(plugins))
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    code, _, err = run(["run", "--corpus", corpus, "--extractors", "brokenplug:extract", "--no-cache", "--out",
                        tmp_path / "o"], capsys)
    assert code == 2 and err.startswith("error: ")
    assert "cannot use extractor brokenplug:extract: ImportError: brokenplug needs libfoo 2" in err
    assert not (tmp_path / "o").exists()


def test_a_plugin_function_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    code, _, err = run(["run", "--corpus", corpus, "--extractors", "tests.fakes:no_such_function", "--no-cache",
                        "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert "cannot use extractor tests.fakes:no_such_function: AttributeError" in err
    assert "no_such_function" in err and not (tmp_path / "o").exists()


def test_an_external_command_that_is_not_found_is_a_usage_error(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    code, _, err = run(["run", "--corpus", corpus, "--extractor-cmd", "mine=boilerbench-no-such-program --x",
                        "--version-cmd", "mine=echo 1", "--no-cache", "--out", tmp_path / "o"], capsys)
    assert code == 2 and err.startswith("error: ")
    assert "extractor mine: program 'boilerbench-no-such-program' not found" in err
    assert not (tmp_path / "o").exists()


def test_unknown_extractor_gets_did_you_mean(tmp_path, capsys):
    code, _, err = run(["run", "--corpus", numbered_corpus(tmp_path), "--extractors", "trafilatra"], capsys)
    assert code == 2 and err.startswith("error: unknown extractor 'trafilatra'; did you mean 'trafilatura'")


def test_extractors_installed_runs_every_installed_one_and_all_every_known_one(tmp_path, capsys):
    from benchmark.extractors.registry import is_installed, known_specs

    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    known = known_specs()
    installed = {name for name, spec in known.items() if is_installed(spec)}
    code, out, err = run(["run", "--corpus", corpus, "--extractors", "installed", "--jobs", 2, "--quiet",
                          "--no-cache", "--no-report", "--format", "json", "--out", tmp_path / "i"], capsys)
    assert code == 0, err
    assert {row["extractor"] for row in json.loads(out)} == installed
    code, out, err = run(["run", "--corpus", corpus, "--extractors", "all", "--jobs", 2, "--quiet", "--no-cache",
                          "--no-report", "--format", "json", "--out", tmp_path / "a", "--timeout", 60], capsys)
    assert code == 0, err
    rows = {row["extractor"]: row for row in json.loads(out)}
    assert set(rows) == set(known)
    for name in set(known) - installed:  # not installed: a footnote line, never zeros
        assert rows[name]["n_unavailable"] == 1 and not rows[name]["available"]
        assert f"failures: {name}: 1 unavailable" in err


def test_a_subset_run_leaves_latest_alone_and_a_default_run_updates_it(tmp_path, capsys, monkeypatch):
    """results/latest mirrors the newest run of the default extractors on the bundled corpus, nothing else."""
    from benchmark.extractors import registry

    args = ["run", "--jobs", 2, "--quiet", "--no-cache", "--no-report", "--out", tmp_path]
    code, out, err = run([*args, "--extractors", "gold"], capsys)
    assert code == 0, err
    assert not (tmp_path / "latest").exists()
    assert "results/latest not updated" in out and "full-text" in out
    monkeypatch.setattr(registry, "DEFAULT_NAMES", ("gold",))  # a default run, made cheap
    code, out, err = run([*args, "--extractors", "gold"], capsys)
    assert code == 0 and (tmp_path / "latest" / "scores.csv").is_file()
    assert f"Updated {tmp_path / 'latest'}." in out


def test_ctrl_c_while_rendering_stops_and_keeps_the_run(tmp_path, capsys, monkeypatch):
    """A KeyboardInterrupt raised inside rendering, as Ctrl-C raises it: exit 130, the run's tables kept."""
    from benchmark.report import render

    def interrupted(result, on_step=None, **_options):
        if on_step is not None:
            on_step("analysing the run")
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "write_reports", interrupted)
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    code, out, err = run(["run", "--corpus", corpus, "--extractors", "gold", "--jobs", 1, "--no-cache", "--out",
                          tmp_path / "o"], capsys)
    assert code == 130
    (run_dir,) = (tmp_path / "o").iterdir()
    assert f"Interrupted while rendering the reports: the run is kept in {run_dir}" in err
    assert f"boilerbench report {run_dir}" in err
    assert (run_dir / "scores.csv").is_file() and json.loads((run_dir / "run.json").read_text())["status"] == \
        "complete"


def test_a_command_hanging_on_its_first_page_is_reported_after_timeout_plus_load_timeout(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus", n=3)
    started = time.monotonic()
    code, _, err = run(["run", "--corpus", corpus, "--extractor-cmd", "sleeper=sleep 600", "--version-cmd",
                        "sleeper=echo 1", "--timeout", 1, "--load-timeout", 1.5, "--jobs", 1, "--quiet",
                        "--no-cache", "--no-report", "--out", tmp_path / "o"], capsys)
    elapsed = time.monotonic() - started
    assert code == 0, err
    assert elapsed < 20, "two failed starts of 2.5 s each, then the spec's other pages are not run"
    (line,) = [line for line in err.splitlines() if line.startswith("failures: sleeper")]
    assert "3 timeout of 3 pairs" in line
    assert "no result within 2.5 s (--timeout 1 + --load-timeout 1.5 for start-up, import/warm-up)" in line
    code, out, _ = run(["run", "--help"], capsys)
    assert "--load-timeout" in out and "Start-up allowance" in out


def test_the_console_script_finds_plugins_in_the_current_folder(tmp_path):
    script = Path(sys.executable).parent / "boilerbench"
    if not script.is_file():
        pytest.skip("the boilerbench console script is not installed beside this Python")
    (tmp_path / "myplugin_here.py").write_text("def extract(html):\n    return 'from the plugin'\n")
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    done = subprocess.run([str(script), "run", "--corpus", str(corpus), "--extractors", "myplugin_here:extract",
                           "--jobs", "1", "--quiet", "--no-cache", "--no-report", "--out", str(tmp_path / "o")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(next((tmp_path / "o").glob("*/scores.csv")))
    assert list(scores["outcome"]) == ["ok"]


def test_usage_errors_share_one_style(tmp_path, capsys):
    for args in (["validate", "--corpus", tmp_path / "nope"], ["run", "--jobs", 0],
                 ["run", "--corpus", good_corpus(tmp_path / "c", n=1), "--extractors", "nosuch"]):
        code, _, err = run(args, capsys)
        assert code == 2 and err.startswith("error: ") and "Traceback" not in err, err


def test_the_project_license_is_an_spdx_string():
    """A license table makes every install print setuptools' deprecation warning."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
