"""`boilerbench run` again with nothing changed: answered by the stored run, and only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_cli as run
from tests.corpus_builders import ARTICLE, numbered_corpus, page_html, write_page

REPO = Path(__file__).resolve().parents[2]
BASELINES = "full-text,gold"


def _runs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name != "latest")


def _table(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("full-text", "gold", "moody_plugin"))]


def test_an_unchanged_rerun_is_answered_by_the_stored_run_and_a_forced_one_agrees(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus")
    args = ["run", "--corpus", corpus, "--extractors", BASELINES, "--jobs", 1, "--quiet", "--cache-dir",
            tmp_path / "cache", "--out", tmp_path / "o"]
    assert run(args, capsys)[0] == 0
    (first,) = _runs(tmp_path / "o")

    code, out, err = run(args, capsys)
    assert code == 0, err
    assert _runs(tmp_path / "o") == [first], "nothing new is written"
    assert f"Unchanged: {first} " in out and "all 4 pairs" in out and "--rerun" in out
    answered = _table(out)
    assert len(answered) == 2 and all(line.split()[-2].endswith("*") for line in answered)

    code, out, err = run([*args, "--rerun"], capsys)
    assert code == 0, err
    assert len(_runs(tmp_path / "o")) == 2 and "Unchanged" not in out
    assert _table(out) == answered, "a real re-run prints the very table the stored run answered with"
    second = _runs(tmp_path / "o")[1]
    assert (second / "summary.csv").read_text() == (first / "summary.csv").read_text()
    assert json.loads((second / "run.json").read_text())["inputs_fingerprint"] == \
        json.loads((first / "run.json").read_text())["inputs_fingerprint"]


@pytest.mark.parametrize("change", ["gold", "page", "seed", "extractors", "report wanted", "harness"])
def test_any_changed_input_makes_a_new_run(tmp_path, capsys, monkeypatch, change):
    corpus = numbered_corpus(tmp_path / "corpus")
    args = ["run", "--corpus", corpus, "--jobs", 1, "--quiet", "--cache-dir", tmp_path / "cache", "--out",
            tmp_path / "o"]
    first_args = [*args, "--extractors", BASELINES] + (["--no-report"] if change == "report wanted" else [])
    assert run(first_args, capsys)[0] == 0
    again = [*args, "--extractors", BASELINES]
    if change == "gold":
        gold = corpus / "gold" / "example-2019-page-0.txt"
        gold.write_text(gold.read_text() + "\nOne more sentence the annotator added.\n")
    elif change == "page":
        page = corpus / "pages" / "example-2019-page-1.html"
        page.write_bytes(page.read_bytes() + b"<!-- saved again -->\n")
    elif change == "seed":
        again += ["--seed", 7]
    elif change == "extractors":
        again = [*args, "--extractors", "gold,full-text"]
    elif change == "harness":
        monkeypatch.setattr("benchmark.run.unchanged.harness_digest", lambda: "another harness")
    code, out, err = run(again, capsys)
    assert code == 0, err
    assert "Unchanged" not in out and len(_runs(tmp_path / "o")) == 2


def _plugin(tmp_path: Path, monkeypatch, source: str) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "moody_plugin.py").write_text(source)
    monkeypatch.syspath_prepend(str(plugins))


def test_a_pair_the_cache_does_not_hold_is_run_again(tmp_path, capsys, monkeypatch):
    """A timeout is not cached: the run that had one is never 'unchanged', the next one tries the pair again."""
    _plugin(tmp_path, monkeypatch, "import time\ndef extract(html):\n    if 'Hangs.' in html:\n"
                                   "        time.sleep(3600)\n    return html\n")
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    write_page(corpus, "example-2019-hangs", html=page_html(f"Hangs. {ARTICLE}"))
    args = ["run", "--corpus", corpus, "--extractors", "moody_plugin:extract,gold", "--jobs", 1, "--timeout", 0.5,
            "--load-timeout", 20, "--quiet", "--no-report", "--cache-dir", tmp_path / "cache", "--out", tmp_path / "o"]
    assert run(args, capsys)[0] == 0
    (first,) = _runs(tmp_path / "o")
    assert json.loads((first / "run.json").read_text())["inputs_fingerprint"] is None
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "Unchanged" not in out and len(_runs(tmp_path / "o")) == 2


def test_the_stored_runs_failures_are_told_again(tmp_path, capsys, monkeypatch):
    _plugin(tmp_path, monkeypatch, "def extract(html):\n    if 'Raises.' in html:\n"
                                   "        raise ValueError('cannot parse this page')\n    return html\n")
    corpus = numbered_corpus(tmp_path / "corpus", n=1)
    write_page(corpus, "example-2019-raises", html=page_html(f"Raises. {ARTICLE}"))
    args = ["run", "--corpus", corpus, "--extractors", "moody_plugin:extract,gold", "--jobs", 1, "--quiet",
            "--no-report", "--cache-dir", tmp_path / "cache", "--out", tmp_path / "o"]
    code, _, err = run(args, capsys)
    assert code == 0, err
    told = [line for line in err.splitlines() if line.startswith("failures:")]
    code, out, err = run(args, capsys)
    assert code == 0 and "Unchanged" in out, err
    assert told and [line for line in err.splitlines() if line.startswith("failures:")] == told


def test_machine_formats_print_the_stored_summary_and_keep_stdout_clean(tmp_path, capsys):
    corpus = numbered_corpus(tmp_path / "corpus")
    args = ["run", "--corpus", corpus, "--extractors", BASELINES, "--jobs", 1, "--quiet", "--no-report",
            "--cache-dir", tmp_path / "cache", "--out", tmp_path / "o", "--format", "json"]
    code, fresh, _ = run(args, capsys)
    assert code == 0
    code, answered, err = run(args, capsys)
    assert code == 0 and "Unchanged" in err
    assert json.loads(answered) == json.loads(fresh)


def test_the_unchanged_answer_imports_no_table_library(tmp_path):
    """Its speed is that it skips pandas and rendering; a change that imports them on this path loses it."""
    corpus = numbered_corpus(tmp_path / "corpus")
    args = ["run", "--corpus", str(corpus), "--extractors", BASELINES, "--jobs", "1", "--quiet", "--cache-dir",
            str(tmp_path / "cache"), "--out", str(tmp_path / "o")]
    probe = ("import sys\nfrom benchmark.cli import main\ncode = main(sys.argv[1:])\n"
             "print('IMPORTED', sorted(m for m in ('pandas', 'jinja2', 'numpy') if m in sys.modules))\n"
             "sys.exit(code)\n")
    first = subprocess.run([sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "Unchanged" in again.stdout and "IMPORTED []" in again.stdout, again.stdout
