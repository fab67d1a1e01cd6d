"""Hostile files around a run: predictions, baselines, caches and results folders, damaged or edited.

Issue 14's rows p08 (a huge predictions file), p09 (predictions nested past
the parser), p10 (a baseline edited by hand to lower a floor), p11 (a cached
text edited in place), p14 (a killed run's folder; `--corpus .`), the "cache
rebuilt" warning printed twice, and the probes that held: kill -9 then
resume, concurrent runs on one cache, truncated and garbled caches, and every
malformed predictions and baseline file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from benchmark.commands.gate import gate_command
from benchmark.records import Extraction, Outcome
from benchmark.run.cache import Cache, CacheKey
from benchmark.score.predictions import PredictionsError, read_predictions
from tests.corpus_builders import good_corpus
from tests.hostile import hostile_fakes as hf
from tests.hostile.support import cli_process, jsonl, only_run, plain_dataset, plugin_name, run_cli
from tests.test_gate import _scores, _with, _write_run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="boilerbench workers need POSIX")

PAGES = {f"page-{i}": f"Page {i} says the ferry runs at {i} o'clock on weekdays." for i in range(6)}


def _predictions_dataset(tmp_path: Path) -> Path:
    return plain_dataset(tmp_path / "data", {"a1": "The ferry runs at noon.", "b2": "The bridge is closed."})


# --------------------------------------------------------------------------- p08 / p09: predictions


def test_p08_json_lines_are_streamed_and_one_piece_json_over_the_limit_is_refused(tmp_path):
    """Probe: --predictions of 200 MB JSONL took 1.47 GB RSS, a 1 GB file 2.1 GB before failing, and under a memory
    limit a MemoryError traceback. Here 300 KB files against the one-piece JSON limit lowered from 256 MB to 64 KB:
    JSON lines over the limit are read (line by line; tools/bench_hostile.py measures the memory), one-piece JSON is
    refused with a message naming the file and saying what to write instead."""
    text = "word " * 10_000
    lines = tmp_path / "big.jsonl"
    lines.write_text("".join(json.dumps({"page_id": f"p{i}", "text": text}) + "\n" for i in range(6)),
                     encoding="utf-8")
    document = tmp_path / "big.json"
    document.write_text(json.dumps({f"p{i}": {"articleBody": text} for i in range(6)}), encoding="utf-8")
    assert lines.stat().st_size > 64 * 1024 and document.stat().st_size > 64 * 1024
    extractions, _ = read_predictions(lines, "x", max_json_bytes=64 * 1024)
    assert [e.page_id for e in extractions] == [f"p{i}" for i in range(6)] and extractions[0].text == text
    with pytest.raises(PredictionsError) as refused:
        read_predictions(document, "x", max_json_bytes=64 * 1024)
    message = str(refused.value)
    assert message.startswith(str(document)) and "over the 65536-byte limit" in message and "JSON lines" in message
    assert "\n" not in message


@pytest.mark.parametrize("layout", ["json", "jsonl"])
def test_p09_predictions_nested_past_the_parser_are_a_one_line_error(tmp_path, capsys, layout):
    """Probe: --predictions holding 200 KB of "[" raised a RecursionError traceback. Same size as the probe."""
    data = _predictions_dataset(tmp_path)
    path = tmp_path / f"deep.{layout}"
    deep = "[" * 200_000
    path.write_text(deep if layout == "json" else json.dumps({"page_id": "a1", "text": "x"}) + "\n" + deep + "\n",
                    encoding="utf-8")
    code, out, err = run_cli(["score", "--dataset", f"plain:{data}", "--predictions", path], capsys)
    assert code == 2 and out == ""
    (line,) = err.strip().splitlines()
    assert str(path) in line and "nested too deeply" in line


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"  \n\n", "empty"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"a1": {"articleBody": "cut', "neither JSON"),
    (b"[1, 2]", "top level is a JSON list"),
    (b'{"a1": 3, "b2": "x"}', "the value for 'a1' is int"),
    (b'{"a1": {"articleBody": NaN}, "b2": "x"}', "articleBody of 'a1' is float"),
    (b'{"page_id": "a1", "text": "x"}\n{oops\n', ":2: not valid JSON"),
    (b'{"page_id": "a1", "text": "x"}\n{"page_id": "a1", "text": "y"}\n', "page 'a1' again"),
    (b'{"page_id": "a1", "text": "x"}\n\xe9\n', "not UTF-8"),
    (b'{"page_id": "a1", "text": "x", "outcome": "great"}\n', "outcome 'great' is not one of"),
    (b'{"page_id": "a1", "text": "x"}\n{"page_id": "zz", "text": "y"}\n', "not in the dataset: zz"),
])
def test_held_malformed_predictions_are_a_one_line_error_naming_the_file(tmp_path, capsys, content, expected):
    """Held: empty, binary, truncated, mistyped, duplicated and foreign predictions exit 2 with one line."""
    data = _predictions_dataset(tmp_path)
    path = tmp_path / "pred.json"
    path.write_bytes(content)
    code, _, err = run_cli(["score", "--dataset", f"plain:{data}", "--predictions", path], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert str(path) in line and expected in line


# --------------------------------------------------------------------------- p10: a baseline edited by hand


def _gate(*args) -> tuple[int, str]:
    result = CliRunner().invoke(gate_command, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_p10_a_floor_lowered_by_hand_fails_the_gate_instead_of_passing_as_improved(tmp_path):
    """Probe: results/baseline.json edited by hand to lower a page's floor let a -0.424 page drop pass, shown as
    "improved". The baseline carries a digest written by `gate --update`; a hand edit fails the gate (exit 1)."""
    baseline = tmp_path / "baseline.json"
    assert _gate(_write_run(tmp_path / "pinned", _scores()), "--baseline", baseline, "--update")[0] == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["extractors"]["trafilatura"]["pages"]["cnn-2008-bush-putin-sochi"] = 0.4  # the floor was 0.912
    baseline.write_text(json.dumps(data, indent=2), encoding="utf-8")
    dropped = _write_run(tmp_path / "dropped", _scores(_with("trafilatura", 0, 0.488)))  # -0.424
    code, output = _gate(dropped, "--baseline", baseline)
    assert code == 1
    assert "baseline changed outside `gate --update`: re-pin" in output and str(baseline) in output
    assert "improved" not in output
    code, output = _gate(dropped, "--baseline", baseline, "--update")  # its floors cannot be checked either
    assert code == 1 and "baseline changed outside `gate --update`" in output
    assert _gate(dropped, "--baseline", baseline, "--update", "--allow-regression")[0] == 0  # a deliberate re-pin
    assert _gate(dropped, "--baseline", baseline)[0] == 0


def test_p10_reformatting_a_baseline_is_not_an_edit_and_an_unsealed_one_is(tmp_path):
    """The seal covers the content, not its layout; a baseline with no seal at all is not trusted either."""
    baseline = tmp_path / "baseline.json"
    run = _write_run(tmp_path / "pinned", _scores())
    assert _gate(run, "--baseline", baseline, "--update")[0] == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    baseline.write_text(json.dumps(data, indent=4, sort_keys=True), encoding="utf-8")
    assert _gate(run, "--baseline", baseline)[0] == 0
    del data["content_sha256"]
    baseline.write_text(json.dumps(data), encoding="utf-8")
    code, output = _gate(run, "--baseline", baseline)
    assert code == 1 and "baseline changed outside `gate --update`" in output


@pytest.mark.parametrize("content, expected", [
    ("", "not valid JSON"),
    ('{"schema_version": 1, "corpus_digest": "x", ', "not valid JSON at line 1"),
    ("\x00\x01binary", "not valid JSON"),
    ("[]", "expected a JSON object"),
    ('{"schema_version": 9}', "schema_version 9"),
    ('{"schema_version": 1, "corpus_digest": "x", "created": "", "extractors": {"t": {"version": "1", '
     '"options_digest": null, "f1_mean": NaN, "chrome_leak_rate": null, "pages": {"p": 0.5}}}}', "f1_mean"),
    ('{"schema_version": 1, "corpus_digest": "x", "created": "", "extractors": {"t": {"version": "1", '
     '"options_digest": null, "f1_mean": 0.5, "chrome_leak_rate": null, "pages": {"p": 1.5}}}}', "F1 not a number"),
    ("[" * 200_000, "nested too deeply"),
])
def test_held_malformed_baselines_exit_2_naming_the_file(tmp_path, content, expected):
    """Held: empty, truncated, binary, mistyped, out-of-range and over-nested baselines exit 2, one clear message."""
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    code, output = _gate(_write_run(tmp_path / "run", _scores()), "--baseline", baseline)
    assert code == 2 and str(baseline) in output and expected in output


# --------------------------------------------------------------------------- p11 and caches


def _key(page: str = "p1") -> CacheKey:
    return CacheKey(extractor="x", version="1", options_digest="o", page_sha256=page, input_digest="i",
                    code_digest="c")


def test_p11_a_cached_text_edited_in_place_is_a_miss_with_a_warning(tmp_path):
    """Probe: a cached text edited in place with the same length was trusted. Each row carries a checksum."""
    from benchmark.run.cache import CacheRowWarning

    path = tmp_path / "cache.sqlite3"
    with Cache(path) as cache:
        cache.put(_key(), Extraction(extractor="x", page_id="p1", outcome=Outcome.OK, text="the ferry runs"))
        cache.put(_key("p2"), Extraction(extractor="x", page_id="p2", outcome=Outcome.OK, text="untouched"))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE extractions SET text = 'the ferry rune' WHERE page_sha256 = 'p1'")
    with Cache(path) as cache:
        with pytest.warns(CacheRowWarning, match="does not match its checksum"):
            assert cache.get(_key(), "p1") is None
        assert cache.get(_key("p2"), "p2").text == "untouched"
        cache.put(_key(), Extraction(extractor="x", page_id="p1", outcome=Outcome.OK, text="the ferry runs"))
        assert cache.get(_key(), "p1").text == "the ferry runs", "the recomputed pair replaces the row"


def _damaged_cache(folder: Path, how: str) -> Path:
    folder.mkdir()
    path = folder / "extractions.sqlite3"
    with Cache(path) as cache:
        for i in range(200):
            cache.put(_key(f"p{i}"), Extraction(extractor="x", page_id=f"p{i}", outcome=Outcome.OK, text="t" * 500))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if how == "truncated" else data[:100] + os.urandom(4096) + data[4196:])
    return folder


@pytest.mark.parametrize("how", ["truncated", "garbled"])
def test_held_a_damaged_cache_is_rebuilt_and_the_rebuild_is_said_once(tmp_path, how):
    """Held: a truncated or garbled cache file is rebuilt and the run goes on. Also seen: the "cache rebuilt"
    warning printed twice (once by the CLI, once by Python's warnings); it must print once."""
    data = plain_dataset(tmp_path / "data", {"page-1": PAGES["page-1"]})
    cache = _damaged_cache(tmp_path / "cache", how)
    child = cli_process(["run", "--dataset", f"plain:{data}", "--extractors", "full-text", "--jobs", 1, "--out",
                         tmp_path / "out", "--cache-dir", cache, "--quiet", "--no-report"])
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert err.count("was not trusted") == 1, err
    assert "Traceback" not in err
    with Cache(cache / "extractions.sqlite3") as reopened:
        assert len(reopened) == 1, "the rebuilt cache holds this run's pair"


# --------------------------------------------------------------------------- p14 and kill -9


@pytest.fixture(scope="module")
def killed_and_resumed(tmp_path_factory):
    """A run SIGKILLed after two of six pairs, the same command run again, and an uninterrupted run to compare.

    Returns (out folder, the killed run's folder, the resumed run's folder, the uninterrupted run's folder).
    """
    root = tmp_path_factory.mktemp("killed")
    data = plain_dataset(root / "data", PAGES)
    out, cache = root / "out", root / "cache"
    args = ["run", "--dataset", f"plain:{data}", "--extractors", plugin_name("slow_text"), "--jobs", 1, "--quiet",
            "--no-report", "--cache-dir", cache]
    harness = cli_process([*args, "--out", out], **{hf.SLEEP_VARIABLE: "0.4"})
    try:
        deadline = time.monotonic() + 60
        while True:
            logs = list(out.glob("*/extractions.jsonl"))
            if logs and len(logs[0].read_text(encoding="utf-8").splitlines()) >= 2:
                break
            assert harness.poll() is None, harness.communicate()
            assert time.monotonic() < deadline, "the run never got going"
            time.sleep(0.05)
    finally:
        os.killpg(harness.pid, signal.SIGKILL)  # the harness's group: no finally, no atexit
        harness.communicate()
    (killed,) = [p for p in out.iterdir() if p.is_dir()]
    resumed_child = cli_process([*args, "--out", out], **{hf.SLEEP_VARIABLE: "0.4"})
    _, err = resumed_child.communicate(timeout=120)
    assert resumed_child.returncode == 0, err
    (resumed,) = [p for p in out.iterdir() if p.is_dir() and p != killed]
    fresh_child = cli_process([*args, "--out", root / "fresh", "--no-cache"])
    _, err = fresh_child.communicate(timeout=120)
    assert fresh_child.returncode == 0, err
    return out, killed, resumed, only_run(root / "fresh")


def test_p14_a_killed_runs_folder_is_marked_interrupted_by_the_next_run(killed_and_resumed):
    """Probe: a killed run's folder said "running" for ever. The next run into the same folder marks it."""
    _, killed, _, _ = killed_and_resumed
    meta = json.loads((killed / "run.json").read_text(encoding="utf-8"))
    assert meta["status"] == "interrupted" and "killed" in meta["interrupted_note"]


def test_held_kill_9_then_resume_gives_the_same_scores(killed_and_resumed):
    """Held: kill -9 mid-run, run the same command again: the finished pairs come from the cache and scores.csv
    equals an uninterrupted run's (timings aside)."""
    _, _, resumed, fresh = killed_and_resumed
    cached = [r for r in jsonl(resumed / "extractions.jsonl") if r["cached"]]
    assert len(cached) >= 2
    columns = lambda frame: frame.drop(columns=["ms"]).sort_values(["extractor", "page_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(columns(pd.read_csv(resumed / "scores.csv")),
                                  columns(pd.read_csv(fresh / "scores.csv")))
    assert json.loads((resumed / "run.json").read_text())["status"] == "complete"


def test_p14_a_corpus_given_as_dot_still_names_its_runs(tmp_path, monkeypatch, capsys):
    """Probe: `--corpus .` made run ids like 20261201T101500Z--dde0b6 (no name). The folder's own name is used."""
    corpus = good_corpus(tmp_path / "harbour-news", n=1)
    monkeypatch.chdir(corpus)
    code, _, err = run_cli(["run", "--corpus", ".", "--extractors", "full-text", "--jobs", 1, "--out",
                            tmp_path / "out", "--no-cache", "--no-report", "--quiet"], capsys)
    assert code == 0, err
    assert re.fullmatch(r"\d{8}T\d{6}Z-harbour-news-[0-9a-f]{6}", only_run(tmp_path / "out").name)


@pytest.mark.parametrize("runs", [2, 3])
def test_held_concurrent_runs_on_one_cache_all_finish_with_the_same_scores(tmp_path, runs):
    """Held: two and three runs started together on one cache folder all finish, agree, and leave one row a pair."""
    data = plain_dataset(tmp_path / "data", dict(list(PAGES.items())[:4]))
    children = [cli_process(["run", "--dataset", f"plain:{data}", "--extractors", f"full-text,{plugin_name('slow_text')}",
                             "--jobs", 1, "--out", tmp_path / f"out{i}", "--cache-dir", tmp_path / "cache", "--quiet",
                             "--no-report"]) for i in range(runs)]
    for child in children:
        _, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
    tables = [pd.read_csv(only_run(tmp_path / f"out{i}") / "scores.csv").drop(columns=["ms"])
              .sort_values(["extractor", "page_id"]).reset_index(drop=True) for i in range(runs)]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    with Cache(tmp_path / "cache" / "extractions.sqlite3") as cache:
        assert len(cache) == 2 * 4
