"""Hostile extractors: whatever a plugin does, each pair ends as one recorded outcome and nothing outlives the run.

Issue 14's rows p01 (a 200 MB output), p05 (processes that leave the worker's
session) and p06 (the network through `_socket` or a child program), and the
probes that held (`test_held_*`), kept so they go on holding. Each runs the
real worker machinery (slots, keeper, worker) on pages written in the test.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from benchmark.extractors.registry import plugin_spec
from benchmark.records import ExtractorSpec, Outcome
from benchmark.run.runner import Runner
from benchmark.run.protocol import CAPTURE_LIMIT
from tests import fakes
from tests.hostile import hostile_fakes as hf
from tests.hostile.support import (REPO, child_env, jsonl, left_pids, only_run, plain_dataset, plugin_name,
                                   run_cli, survivors)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="boilerbench workers need POSIX")

HOSTILE, CALM = fakes.page("hostile-1", hf.TRIGGER), fakes.page("calm-1")


def plugin(function: str):
    return plugin_spec(plugin_name(function))


def fakes_spec(function: str) -> ExtractorSpec:
    """A spec of one of the runner tests' fakes (misbehaving on pages whose id starts with "bad")."""
    return ExtractorSpec(name=function, target=f"{fakes.__name__}:{function}", kind="article", input="text")


def run_pairs(specs, pages, **kwargs):
    """One run through the real runner: each (extractor function, page id) -> its Extraction."""
    kwargs.setdefault("jobs", 1)
    kwargs.setdefault("timeout", 20.0)
    with Runner(specs, **kwargs) as runner:
        results = list(runner.run(pages, {}))
    by_pair = {(e.extractor.rsplit(":", 1)[-1], e.page_id): e for e in results}
    assert len(by_pair) == len(results) == len(specs) * len(pages), "exactly one Extraction per pair"
    return by_pair


# --------------------------------------------------------------------------- p01: a 200 MB output


def test_p01_a_huge_output_is_an_error_and_never_reaches_results_report_or_cache(tmp_path, monkeypatch, capsys):
    """Probe: a plugin returning "word " * 40_000_000 (200 MB) on one page grew the harness to 12 GB RSS and wrote a
    200 MB extractions line, a 200 MB report.html and a 230 MB cache row. Tested with a 2 MB output against the cap
    lowered to 1 MB through --max-output-mb (default 20 MB, stated in --help)."""
    data = plain_dataset(tmp_path / "data", {"hostile-1": hf.TRIGGER, "calm-1": "A calm page about the harbour."})
    monkeypatch.setenv(hf.CHARS_VARIABLE, str(2_000_000))
    code, _, err = run_cli(["run", "--dataset", f"plain:{data}", "--extractors", plugin_name("huge_output"),
                            "--max-output-mb", 1, "--jobs", 1, "--out", tmp_path / "out", "--cache-dir",
                            tmp_path / "cache", "--quiet"], capsys)
    assert code == 0, err
    run_dir = only_run(tmp_path / "out")
    records = {r["page_id"]: r for r in jsonl(run_dir / "extractions.jsonl")}
    assert records["hostile-1"]["outcome"] == "error" and records["hostile-1"]["text"] == ""
    assert records["hostile-1"]["error"].startswith("output too large (2000000 bytes")
    assert records["calm-1"]["outcome"] == "ok", "the run goes on"
    for path in (p for p in run_dir.rglob("*") if p.is_file()):  # extractions, report, per-page outputs ...
        assert path.stat().st_size < 500_000, path.name
    with sqlite3.connect(tmp_path / "cache" / "extractions.sqlite3") as db:
        longest = db.execute("SELECT MAX(LENGTH(text)) FROM extractions").fetchone()[0]
    assert (longest or 0) < 1000, "nothing over the cap is cached (and the error depends on the cap: not cached)"
    assert json.loads((run_dir / "run.json").read_text())["options"]["max_output_bytes"] == 1024 * 1024
    code, out, _ = run_cli(["run", "--help"], capsys)
    assert code == 0 and "--max-output-mb" in out and "default: 20" in out


def test_p01_a_str_subclass_cannot_lie_its_way_past_the_cap():
    """Probe variant: a returned str subclass whose len() says 1 and whose str() is 10 MB; the cap is measured on
    the plain string (5,000 characters against a cap of 1,000 bytes here)."""
    results = run_pairs([plugin("lying_string")], [HOSTILE, CALM], max_output_bytes=1000)
    lied = results["lying_string", "hostile-1"]
    assert lied.outcome is Outcome.ERROR and lied.error.startswith("output too large (5000 bytes")
    assert results["lying_string", "calm-1"].outcome is Outcome.OK


# --------------------------------------------------------------------------- p05: processes leaving the session


@pytest.mark.parametrize("function", ["setsid_child", "daemon_grandchild", "setsid_exec"])
def test_p05_no_process_an_extractor_starts_outlives_its_worker(function, pid_dir):
    """Probe: a plugin that forks a child which calls setsid() and sleeps left 5 orphaned processes after the run
    (the process group kill missed them). Also a double fork (the grandchild orphaned at once) and a program started
    with start_new_session. Same sizes as the probe."""
    results = run_pairs([plugin(function)], [HOSTILE, CALM])
    assert results[function, "hostile-1"].outcome is Outcome.OK
    assert results[function, "calm-1"].outcome is Outcome.OK
    pids = left_pids(pid_dir)
    assert pids, "the probe started its process"
    assert survivors(pids) == [], f"{function}: processes outlived their worker"


def test_p05_a_timed_out_worker_takes_its_setsid_children_along(pid_dir):
    """Probe variant: the extractor starts a setsid() child and hangs; the deadline kills the worker, and the child
    with it (the probe's 5 orphans came from runs like this too)."""
    results = run_pairs([plugin("setsid_then_hang")], [HOSTILE, CALM], timeout=1.5)
    assert results["setsid_then_hang", "hostile-1"].outcome is Outcome.TIMEOUT
    assert results["setsid_then_hang", "calm-1"].outcome is Outcome.OK
    pids = left_pids(pid_dir)
    assert pids and survivors(pids) == []


def test_p05_a_keeper_stopped_by_its_extractor_does_not_hold_up_the_run(pid_dir):
    """Probe variant: the extractor SIGSTOPs its keeper, then hangs. The harness gives the keeper 3 s, then kills
    keeper and worker itself; the pair times out and the next page runs. (A child the extractor had moved to a
    session of its own would escape in this case: the keeper is the guard, and same-user code can stop it.)"""
    started = time.monotonic()
    results = run_pairs([plugin("stops_keeper_then_hangs")], [HOSTILE, CALM], timeout=1.0)
    assert results["stops_keeper_then_hangs", "hostile-1"].outcome is Outcome.TIMEOUT
    assert results["stops_keeper_then_hangs", "calm-1"].outcome is Outcome.OK
    assert time.monotonic() - started < 20
    pids = left_pids(pid_dir)
    assert len(pids) == 2 and survivors(pids) == []


_HARNESS = textwrap.dedent("""
    import sys
    from benchmark.extractors.registry import plugin_spec
    from benchmark.run.runner import Runner
    from tests import fakes
    spec = plugin_spec("tests.hostile.hostile_fakes:setsid_then_hang")
    with Runner([spec], jobs=1, timeout=120) as runner:
        for extraction in runner.run([fakes.page("hostile-1", "HOSTILE-TRIGGER")], {}):
            pass
""")


def test_p05_a_killed_harness_leaves_no_setsid_child_behind(pid_dir):
    """Probe variant: the harness itself is SIGKILLed (no finally, no atexit) while the extractor's setsid() child
    sleeps: the keeper, a child subreaper, still takes it along."""
    harness = subprocess.Popen([sys.executable, "-c", _HARNESS], cwd=REPO, env=child_env())
    try:
        deadline = time.monotonic() + 30
        while not left_pids(pid_dir):
            assert harness.poll() is None, "the harness died on its own"
            assert time.monotonic() < deadline, "the probe never started its child"
            time.sleep(0.05)
    finally:
        harness.kill()
        harness.wait()
    assert survivors(left_pids(pid_dir)) == []


# --------------------------------------------------------------------------- p06: the network


@pytest.mark.parametrize("function", ["raw_socket_connect", "subprocess_connect"])
def test_p06_workers_have_no_network_even_through_socket_internals_or_a_child(function, local_listener, tmp_path,
                                                                            capsys):
    """Probe: a plugin connecting to 127.0.0.1 through `_socket` directly (or from a child program) connected,
    although "workers have no network". Where the system allows a network namespace (root, or unprivileged user
    namespaces: `unshare --net true` works here and in CI) the connection must fail; either way run.json says which
    isolation was in force."""
    data = plain_dataset(tmp_path / "data", {"hostile-1": hf.TRIGGER, "calm-1": "A calm page."})
    code, _, err = run_cli(["run", "--dataset", f"plain:{data}", "--extractors", plugin_name(function), "--jobs", 1,
                            "--out", tmp_path / "out", "--no-cache", "--no-report", "--quiet"], capsys)
    assert code == 0, err
    run_dir = only_run(tmp_path / "out")
    records = {r["page_id"]: r for r in jsonl(run_dir / "extractions.jsonl")}
    (isolation,) = json.loads((run_dir / "run.json").read_text())["isolation"]
    assert "subreaper" in isolation["processes"]
    assert records["calm-1"]["outcome"] == "ok"
    if "namespace" in isolation["network"]:
        assert records["hostile-1"]["outcome"] == "error", records["hostile-1"]
        assert "connected" not in records["hostile-1"]["text"]
        assert "unreachable" in records["hostile-1"]["error"].lower()
        with pytest.raises(BlockingIOError):
            local_listener.accept()  # nothing arrived
    else:  # no namespace possible here: the run must say so, as the README does
        assert isolation["network"].startswith("socket guard only")
        assert "socket guard only" in (REPO / "README.md").read_text(encoding="utf-8")


def test_p06_where_no_namespace_can_be_made_the_isolation_says_socket_guard_only(monkeypatch):
    """Where unshare is refused (a container without the capability, user namespaces off), the worker records the
    socket guard alone, in the words the README uses. The refusal is simulated (this machine allows namespaces), so
    this process is never moved into one."""
    from benchmark.run import isolation

    monkeypatch.setattr(isolation, "_unshare", lambda flags: "Operation not permitted")
    said = isolation.enter_network_namespace()
    assert said.startswith(isolation.SOCKET_GUARD_ONLY) and "Operation not permitted" in said
    assert "socket guard only" in (REPO / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- probes that held


def test_held_a_hang_times_out_and_the_run_goes_on():
    """Held: an extractor sleeping an hour is killed at the deadline (1 s here, 30 s by default)."""
    started = time.monotonic()
    results = run_pairs([fakes_spec("hang")], [fakes.page("bad-1"), fakes.page("good-1")], timeout=1.0)
    assert results["hang", "bad-1"].outcome is Outcome.TIMEOUT
    assert results["hang", "good-1"].outcome is Outcome.OK
    assert time.monotonic() - started < 15


def test_held_os_exit_is_a_crash_of_that_page_only():
    """Held: os._exit(3) inside the call records crash with the exit code; the next page runs in a fresh worker."""
    results = run_pairs([fakes_spec("exits")], [fakes.page("bad-1"), fakes.page("good-1")])
    assert results["exits", "bad-1"].outcome is Outcome.CRASH
    assert "exited with code 3" in results["exits", "bad-1"].error
    assert results["exits", "good-1"].outcome is Outcome.OK


def test_held_unbounded_allocation_stops_at_the_memory_cap():
    """Held: allocating 32 MB blocks without end hits the worker's address-space cap (512 MB here, 4096 MB by
    default) as a MemoryError or a crash of that page, never the harness."""
    results = run_pairs([fakes_spec("hog")], [fakes.page("bad-1"), fakes.page("good-1")], memory_mb=512)
    assert results["hog", "bad-1"].outcome in (Outcome.ERROR, Outcome.CRASH)
    assert results["hog", "good-1"].outcome is Outcome.OK


def test_held_forked_and_execed_children_die_with_a_timed_out_worker(pid_dir):
    """Held: an extractor that forks a child and execs a program, then hangs: the deadline takes all three."""
    results = run_pairs([plugin("children_then_hang")], [HOSTILE, CALM], timeout=1.5)
    assert results["children_then_hang", "hostile-1"].outcome is Outcome.TIMEOUT
    pids = left_pids(pid_dir)
    assert len(pids) == 2 and survivors(pids) == []


def test_held_a_flood_on_stdout_is_captured_head_and_tail_only(monkeypatch):
    """Held: 500 MB written to stdout during a call; here 32 MB. The pair is ok and keeps 8 KB of the output."""
    monkeypatch.setenv(hf.STDOUT_BYTES_VARIABLE, str(32 * 1024 * 1024))
    results = run_pairs([plugin("floods_stdout")], [HOSTILE, CALM])
    flooded = results["floods_stdout", "hostile-1"]
    assert flooded.outcome is Outcome.OK and hf.TRIGGER in flooded.text
    assert len(flooded.stdout) < CAPTURE_LIMIT + 200 and "bytes not kept" in flooded.stdout
    assert results["floods_stdout", "calm-1"].stdout == ""


def test_held_a_non_string_return_is_an_error():
    """Held: a plugin returning bytes (and a fake returning an int) records error naming the type."""
    results = run_pairs([plugin("non_string"), fakes_spec("lie")], [HOSTILE, fakes.page("bad-1")])
    assert results["non_string", "hostile-1"].outcome is Outcome.ERROR
    assert "returned bytes" in results["non_string", "hostile-1"].error
    assert results["lie", "bad-1"].outcome is Outcome.ERROR and "returned int" in results["lie", "bad-1"].error


def test_held_socket_create_connection_is_refused(local_listener):
    """Held: socket.create_connection to a loopback listener is refused with a message saying why."""
    results = run_pairs([plugin("create_connection")], [HOSTILE])
    refused = results["create_connection", "hostile-1"]
    assert refused.outcome is Outcome.ERROR and "network disabled in boilerbench workers" in refused.error
    with pytest.raises(BlockingIOError):
        local_listener.accept()


def test_held_chdir_and_environment_changes_stay_in_their_worker(tmp_path, monkeypatch, capsys):
    """Held: an extractor that chdirs to / and empties PATH: results still land under the relative --out, and the
    next extractor starts in the harness's folder and environment."""
    data = plain_dataset(tmp_path / "data", {"calm-1": "A calm page.", "calm-2": "Another calm page."})
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["run", "--dataset", f"plain:{data}", "--extractors",
                            f"{plugin_name('chdir_and_environ')},{plugin_name('sees_environment')}", "--jobs", 1,
                            "--out", "out", "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    run_dir = only_run(tmp_path / "out")
    assert os.getcwd() == str(tmp_path) and "BOILERBENCH_HOSTILE_MARK" not in os.environ
    seen = [r for r in jsonl(run_dir / "extractions.jsonl") if r["extractor"].endswith("sees_environment")]
    assert len(seen) == 2
    assert all(r["text"].startswith(f"cwd={tmp_path} mark=unset") for r in seen)
