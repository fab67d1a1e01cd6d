"""The CLI end to end on small corpora: exit codes, messages, files written."""

import json
import os
from pathlib import Path

import pandas as pd

from tests.cli_runner import run_cli as run
from tests.corpus_builders import ARTICLE, card_toml, good_corpus, page_html, write_page

BASELINES = "full-text,gold"


def test_validate_exits_2_with_one_line_per_problem(tmp_path, capsys):
    good_corpus(tmp_path, n=1)
    write_page(tmp_path, "example-2019-typo", gold="The harbour bord aproved the fery on Tusday",
               card=card_toml(must=("harbour", "Tusday")))
    write_page(tmp_path, "example-2019-nogold", gold=None)
    code, out, _ = run(["validate", "--corpus", tmp_path], capsys)
    assert code == 2
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert any("example-2019-typo.txt" in line and "coverage" in line for line in lines)
    assert any("example-2019-nogold.html" in line and "without gold" in line for line in lines)


def test_validate_ok(tmp_path, capsys):
    code, out, _ = run(["validate", "--corpus", good_corpus(tmp_path)], capsys)
    assert code == 0 and "3 pages OK" in out


def test_unknown_extractor_lists_known_ones(tmp_path, capsys):
    code, _, err = run(["run", "--corpus", good_corpus(tmp_path), "--extractors", "trafilatura,nosuch"], capsys)
    assert code == 2
    assert "nosuch" in err and "trafilatura" in err and "readability-lxml" in err


def test_missing_corpus_folder_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["validate", "--corpus", tmp_path / "nope"], capsys)
    assert code == 2 and "no such folder" in err


def test_run_writes_results_and_gold_scores_one(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "corpus")
    write_page(corpus, "example-2019-broken-card", card="url = [")
    code, out, err = run(["run", "--corpus", corpus, "--extractors", BASELINES, "--jobs", 1, "--out",
                          tmp_path / "out", "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    assert "example-2019-broken-card" in err and "page skipped" in err
    (run_dir,) = (tmp_path / "out").iterdir()
    for name in ("run.json", "extractions.jsonl", "scores.csv", "summary.csv", "report.md", "pages.csv"):
        assert (run_dir / name).is_file(), name
    scores = pd.read_csv(run_dir / "scores.csv")
    assert set(scores["extractor"]) == {"full-text", "gold"}
    assert len(scores) == 2 * 3
    assert (scores[scores["extractor"] == "gold"]["f1"] == 1.0).all()
    summary = pd.read_csv(run_dir / "summary.csv")
    for column in ("extractor", "version", "pages", "f1_mean", "f1_ci_low", "f1_ci_high", "precision_mean",
                   "recall_mean", "lcs_f1_mean", "chrome_leak_rate", "must_include_rate", "ms_median",
                   "ms_p95", "failures"):
        assert column in summary.columns
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["status"] == "complete" and meta["corpus"]["skipped"] == ["example-2019-broken-card"]
    assert meta["libraries"]["lxml"] and meta["libraries"]["libxml2"]
    assert "gold" in out and "full-text" in out  # the comparison table is printed

    # re-rendering from stored results runs nothing and rewrites the report
    (run_dir / "report.md").unlink()
    code, out, _ = run(["report", run_dir], capsys)
    assert code == 0 and (run_dir / "report.md").is_file()


def test_bad_pages_run_to_the_end(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "corpus", n=1)
    write_page(corpus, "example-2019-garbage", html=os.urandom(4096))
    write_page(corpus, "example-2019-empty", html=b"")
    write_page(corpus, "example-2019-nested",
               html="<html><body>" + "<div>" * 20000 + "<p>deep</p>" + "</div>" * 20000 + "</body></html>")
    code, _, err = run(["run", "--corpus", corpus, "--jobs", 2, "--out", tmp_path / "out", "--no-cache",
                        "--quiet"], capsys)  # the four required extractors and both baselines
    assert code == 0, err
    (run_dir,) = (tmp_path / "out").iterdir()
    scores = pd.read_csv(run_dir / "scores.csv")
    assert len(scores) == 6 * 4  # every pair recorded
    assert set(scores["outcome"]) <= {"ok", "empty", "error", "timeout", "crash"}
    garbage = scores[scores.page_id == "example-2019-garbage"]
    assert len(garbage) == 6 and (garbage[garbage.extractor == "gold"].outcome == "ok").all()
    outcomes = dict(zip(scores[scores.extractor == "full-text"].page_id, scores[scores.extractor == "full-text"].outcome))
    assert outcomes["example-2019-empty"] == "empty"
    assert outcomes["example-2019-ferry-0"] == "ok"
    assert "example-2019-empty" in err and "page is empty" in err


def test_report_of_a_folder_that_is_no_run(tmp_path, capsys):
    code, _, err = run(["report", tmp_path], capsys)
    assert code == 2 and "run.json" in err


def test_cache_is_reused_shown_and_cleared(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    for i in range(2):  # distinct bytes: identical pages would share one cache entry
        write_page(corpus, f"example-2019-page-{i}", html=page_html(f"Page {i}. {ARTICLE}"))
    args = ["run", "--corpus", corpus, "--extractors", BASELINES, "--jobs", 1, "--quiet", "--cache-dir",
            tmp_path / "cache"]
    assert run([*args, "--out", tmp_path / "a"], capsys)[0] == 0
    assert run([*args, "--out", tmp_path / "b"], capsys)[0] == 0
    (second,) = (tmp_path / "b").iterdir()
    cached = [json.loads(line)["cached"] for line in (second / "extractions.jsonl").read_text().splitlines()]
    assert cached and all(cached)  # the second run extracted nothing
    code, out, _ = run(["cache", "info", "--cache-dir", tmp_path / "cache", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["rows"] == {"full-text": 2, "gold": 2}
    code, out, _ = run(["cache", "info", "--cache-dir", tmp_path / "cache"], capsys)
    lines = out.splitlines()
    assert code == 0 and "extractions.sqlite3" in lines[0]
    assert lines[1].split() == ["extractor", "pairs"] and lines[2].split() == ["full-text", "2"]
    assert lines[-1].split() == ["total", "4"]
    code, out, _ = run(["cache", "clear", "--cache-dir", tmp_path / "cache"], capsys)
    assert code == 0 and "removed 4" in out


def test_ctrl_c_keeps_finished_pairs_and_the_next_run_resumes(tmp_path):
    """SIGINT mid-run: exit 130, an 'interrupted' run that says how to resume, and a resume that reuses the cache."""
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus"
    for i in range(12):
        write_page(corpus, f"example-2019-page-{i}", html=page_html(f"Page {i}. {ARTICLE}"))
    command = [sys.executable, "-m", "benchmark", "run", "--corpus", str(corpus), "--extractors",
               "tests.fakes:slow", "--jobs", "1", "--quiet", "--no-report", "--cache-dir", str(tmp_path / "cache")]
    repo = Path(__file__).resolve().parents[1]
    child = subprocess.Popen([*command, "--out", str(tmp_path / "a")], cwd=repo, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    log = tmp_path / "a"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until a few pairs are finished, then press Ctrl-C
        done = list(log.glob("*/extractions.jsonl"))
        if done and len(done[0].read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "run the same command again to resume" in err
    (first,) = log.iterdir()
    meta = json.loads((first / "run.json").read_text())
    finished = len((first / "extractions.jsonl").read_text().splitlines())
    assert meta["status"] == "interrupted" and 3 <= finished < 12

    resumed = subprocess.run([*command, "--out", str(tmp_path / "b")], cwd=repo, capture_output=True, text=True,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    (second,) = (tmp_path / "b").iterdir()
    records = [json.loads(line) for line in (second / "extractions.jsonl").read_text().splitlines()]
    assert len(records) == 12 and sum(r["cached"] for r in records) >= finished


def test_the_entry_point_ends_without_teardown_but_keeps_exit_code_output_and_exit_handlers(tmp_path):
    """`boilerbench` and `python -m benchmark` skip the interpreter's teardown (0.1-0.17 s with pandas): nothing else."""
    import subprocess
    import sys

    good_corpus(tmp_path / "ok")
    write_page(tmp_path / "bad", "example-2019-nogold", gold=None)
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
              "from benchmark.cli import entry_point\n"
              "entry_point()\n"
              "print('not reached')\n")
    repo = Path(__file__).resolve().parents[1]
    for folder, code, said in (("ok", 0, "3 pages OK"), ("bad", 2, "without gold")):
        done = subprocess.run([sys.executable, "-c", script, "validate", "--corpus", str(tmp_path / folder)],
                              cwd=repo, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, done.stderr
        assert said in done.stdout and "not reached" not in done.stdout
        assert done.stderr.rstrip().endswith("exit handler ran")


def test_under_a_profiler_the_entry_point_exits_the_usual_way_so_the_profile_is_written(tmp_path):
    import subprocess
    import sys

    good_corpus(tmp_path / "ok")
    stats = tmp_path / "run.prof"
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "benchmark", "validate",
                           "--corpus", str(tmp_path / "ok")], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 pages OK" in done.stdout
    assert stats.is_file() and stats.stat().st_size > 0, "cProfile wrote its report after main returned"
