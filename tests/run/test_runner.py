"""The runner keeps the harness alive and honest whatever an extractor does: each pair gets one outcome."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from benchmark.records import Extraction, ExtractorSpec, Gold, Outcome
from benchmark.run.cache import Cache
from benchmark.run.runner import Runner

try:  # tests/ as a package (rootdir on sys.path) or as a plain folder (pytest's default prepend mode)
    from tests import fakes
except ImportError:
    import fakes

FAKES = fakes.__name__
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="workers need POSIX process groups")


def spec(function: str, name: str | None = None, **fields) -> ExtractorSpec:
    return ExtractorSpec(name=name or function, target=f"{FAKES}:{function}", kind="article", input="text",
                         **fields)


def run_all(specs, pages, golds=None, **kwargs):
    """Every extraction of one run, by (extractor, page), with the runner's per-spec facts."""
    kwargs.setdefault("jobs", 1)
    kwargs.setdefault("timeout", 10.0)
    with Runner(specs, **kwargs) as runner:
        results = list(runner.run(pages, golds or {}))
        runs = {run.name: run for run in runner.extractor_runs()}
        started = runner.workers_started
    by_pair = {(e.extractor, e.page_id): e for e in results}
    assert len(by_pair) == len(results) == len(specs) * len(pages), "exactly one Extraction per pair"
    return by_pair, runs, started


def _comparable(by_pair):
    return {pair: (e.outcome, e.text, e.error) for pair, e in by_pair.items()}


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


GOOD, BAD, AFTER = fakes.page("good-1"), fakes.page("bad-1"), fakes.page("good-2")


def test_ok_pairs_carry_text_timing_and_import_time_apart():
    by_pair, runs, _ = run_all([spec("echo")], [GOOD, AFTER])
    extraction = by_pair["echo", "good-1"]
    assert extraction.outcome is Outcome.OK
    assert extraction.text == "Text of good-1."
    assert extraction.ms is not None and extraction.ms >= 0
    assert not extraction.cached and extraction.stdout == "" and extraction.stderr == ""
    run = runs["echo"]
    assert run.available and run.import_ms is not None and run.import_ms > 0
    assert len(run.options_digest) == 64


def test_each_extractor_starts_in_a_clean_worker_and_reports_its_peak_memory():
    with Runner([spec("pollute"), spec("sees_pollution")], jobs=1) as runner:
        by_pair = {(e.extractor, e.page_id): e for e in runner.run([GOOD, AFTER], {})}
        peaks = runner.peak_memory_mb
        started = runner.workers_started
    assert by_pair["sees_pollution", "good-1"].text == "polluted=False"
    assert started == 2, "one worker per extractor, reused across its pages"
    assert all(peak is not None and 5 < peak < 1000 for peak in peaks.values())


def test_raise_is_an_error_with_type_message_and_traceback_tail_then_next_page_ok():
    by_pair, _, started = run_all([spec("raises")], [GOOD, BAD, AFTER])
    error = by_pair["raises", "bad-1"]
    assert error.outcome is Outcome.ERROR
    assert error.error == "ValueError: cannot parse bad-1"
    assert "Traceback" in error.stderr and "fakes.py" in error.stderr
    assert by_pair["raises", "good-2"].outcome is Outcome.OK
    assert started == 1, "an exception does not cost the worker"


@pytest.mark.parametrize("function", ["hang", "spin"])
def test_hang_times_out_within_the_deadline_and_the_run_goes_on(function):
    timeout = 1.0
    arrivals = {}
    start = time.monotonic()
    with Runner([spec(function)], jobs=1, timeout=timeout) as runner:
        for extraction in runner.run([BAD, AFTER], {}):
            arrivals[extraction.page_id] = (time.monotonic() - start, extraction)
        started = runner.workers_started
    elapsed, timed_out = arrivals["bad-1"]
    assert timed_out.outcome is Outcome.TIMEOUT
    assert "1 s" in timed_out.error and timed_out.ms is None
    assert timeout <= elapsed < timeout + 2.0, "killed at the deadline, not long after"
    assert arrivals["good-2"][1].outcome is Outcome.OK
    assert arrivals["good-2"][0] < elapsed + 2.0
    assert started == 2, "the killed worker was replaced"


@pytest.mark.parametrize("function, reason", [("exits", "exited with code 3"),
                                              ("segfault", "killed by SIGSEGV")])
def test_a_dying_worker_is_a_crash_for_that_page_only(function, reason):
    by_pair, _, started = run_all([spec(function)], [GOOD, BAD, AFTER])
    crash = by_pair[function, "bad-1"]
    assert crash.outcome is Outcome.CRASH
    assert reason in crash.error and "during the call" in crash.error
    assert by_pair[function, "good-1"].outcome is Outcome.OK
    assert by_pair[function, "good-2"].outcome is Outcome.OK
    assert started == 2
    if function == "segfault":
        assert "Segmentation fault" in crash.stderr, "faulthandler's traceback is kept"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="compares monotonic clocks across processes")
def test_the_next_page_waits_in_the_worker_so_it_never_waits_for_the_harness():
    """While the harness is busy with one result (scoring, writing), the worker is already on the next pages."""
    pages = [fakes.page(f"good-{i}") for i in range(5)]
    with Runner([spec("stamps")], jobs=1) as runner:
        iterator = runner.run(pages, {})
        next(iterator)
        busy_until = time.monotonic() + 0.5
        time.sleep(0.5)
        rest = {e.page_id: float(e.text.split()[-1]) for e in iterator}
        assert runner.workers_started == 1
    assert rest["good-2"] < busy_until, "page 3 started while the harness was still busy with page 1's result"
    # before the harness got busy it had sent pages 1 and 2, or (had both answers come in one read) 3 and 4;
    # page 5 is sent only once it reads again: one page queued ahead, not the whole corpus
    assert rest["good-4"] > busy_until, "one page queued ahead, not the whole corpus"


def test_meanwhile_runs_once_while_the_first_pages_are_out_before_any_result_is_awaited():
    seen: list[tuple[int, int]] = []
    with Runner([spec("echo")], jobs=1) as runner:
        def meanwhile() -> None:
            seen.append((sum(slot.task is not None for slot in runner._slots), len(yielded)))

        yielded = []
        for extraction in runner.run([GOOD, AFTER, fakes.page("good-3")], {}, meanwhile=meanwhile):
            yielded.append(extraction)
    assert seen == [(1, 0)], "once, with a page in the worker and nothing yielded yet"
    assert [e.outcome for e in yielded] == [Outcome.OK] * 3


def test_printing_is_captured_per_pair_and_never_mixed_into_results():
    by_pair, _, _ = run_all([spec("chatty")], [GOOD, AFTER])
    for page_id in ("good-1", "good-2"):
        extraction = by_pair["chatty", page_id]
        assert extraction.outcome is Outcome.OK
        assert extraction.text == f"Text of {page_id}."
        assert f"hello from the extractor on {page_id}" in extraction.stdout
        assert "not a frame" in extraction.stdout and "raw fd write" in extraction.stdout
        assert extraction.stderr == f"a warning about {page_id}\n"
    assert "good-1" not in by_pair["chatty", "good-2"].stdout, "each pair gets only its own output"


def test_unbounded_allocation_hits_the_memory_cap_and_the_run_goes_on():
    by_pair, _, _ = run_all([spec("hog")], [BAD, AFTER], memory_mb=300)
    hog = by_pair["hog", "bad-1"]
    assert (hog.outcome is Outcome.ERROR and hog.error.startswith("MemoryError")) or hog.outcome is Outcome.CRASH
    assert by_pair["hog", "good-2"].outcome is Outcome.OK


def test_sockets_are_refused_fast_and_nothing_connects():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]
        specs = [spec("network", options={"port": port}),
                 spec("network", name="lookup", options={"port": port, "lookup": True}),
                 spec("raw_socket", options={"port": port}),
                 spec("unix_socketpair")]
        by_pair, _, _ = run_all(specs, [BAD])
        listener.settimeout(0.2)
        with pytest.raises(socket.timeout):
            listener.accept()
    for name in ("network", "lookup", "raw_socket"):
        refused = by_pair[name, "bad-1"]
        assert refused.outcome is Outcome.ERROR
        assert "network disabled in boilerbench workers" in refused.error
        assert refused.ms is not None and refused.ms < 1000
    local = by_pair["unix_socketpair", "bad-1"]
    assert local.outcome is Outcome.OK and local.text.startswith("local")


def test_empty_text_and_non_str_results():
    by_pair, _, _ = run_all([spec("empty"), spec("lie")], [BAD, AFTER])
    assert by_pair["empty", "bad-1"].outcome is Outcome.EMPTY
    assert by_pair["empty", "bad-1"].text == ""
    lie = by_pair["lie", "bad-1"]
    assert lie.outcome is Outcome.ERROR and lie.error == "returned int, expected str"
    assert by_pair["lie", "good-2"].outcome is Outcome.OK


def test_missing_library_is_unavailable_at_once_without_a_worker():
    missing = spec("missing_library", modules=("boilerbench_no_such_library",),
                   install="pip install boilerbench-no-such-library")
    by_pair, runs, started = run_all([missing], [GOOD, AFTER])
    assert {e.outcome for e in by_pair.values()} == {Outcome.UNAVAILABLE}
    assert "pip install boilerbench-no-such-library" in by_pair["missing_library", "good-1"].error
    assert started == 0
    assert not runs["missing_library"].available and runs["missing_library"].import_ms is None


def test_import_error_found_in_the_worker_makes_the_spec_unavailable(monkeypatch):
    from benchmark.extractors import registry

    monkeypatch.setattr(registry, "is_installed", lambda _spec: True)  # the pre-check was fooled
    missing = spec("missing_library", modules=("boilerbench_no_such_library",))
    pages = [fakes.page(f"good-{i}") for i in range(5)]
    by_pair, runs, _ = run_all([missing, spec("echo")], pages, jobs=2)
    outcomes = {pid: by_pair["missing_library", pid].outcome for pid in (p.page_id for p in pages)}
    assert set(outcomes.values()) == {Outcome.UNAVAILABLE}
    assert "boilerbench_no_such_library" in by_pair["missing_library", "good-4"].error
    assert not runs["missing_library"].available
    assert all(by_pair["echo", p.page_id].outcome is Outcome.OK for p in pages)


def test_jobs_1_and_jobs_2_give_identical_results():
    specs = [spec("echo"), spec("raises"), spec("empty"), spec("lie"), spec("exits"), spec("slow",
             options={"seconds": 0.01})]
    pages = [fakes.page("good-1"), fakes.page("bad-1"), fakes.page("good-2"), fakes.page("bad-2"),
             fakes.page("good-3")]
    serial, _, _ = run_all(specs, pages, jobs=1)
    parallel, _, _ = run_all(specs, pages, jobs=2)
    assert _comparable(serial) == _comparable(parallel)


def test_gold_reaches_only_specs_that_need_it():
    golds = {"good-1": Gold(page_id="good-1", path="gold/good-1.txt", text="The gold body.")}
    by_pair, _, _ = run_all([spec("returns_gold", needs_gold=True), spec("shows_gold")], [GOOD], golds)
    assert by_pair["returns_gold", "good-1"].text == "The gold body."
    assert by_pair["shows_gold", "good-1"].text == "gold=None"


def test_user_plugins_resolve_through_the_parents_sys_path(tmp_path, monkeypatch):
    package = tmp_path / "myplugins"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "shout.py").write_text("def extract(page, **options):\n    return page.html.upper()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugin = ExtractorSpec(name="shout", target="myplugins.shout:extract", kind="article", input="text")
    by_pair, _, _ = run_all([plugin], [GOOD])
    assert by_pair["shout", "good-1"].text.startswith("<HTML><BODY>")


def test_a_target_that_cannot_load_is_an_error_on_each_page_with_its_traceback():
    by_pair, runs, started = run_all([spec("no_such_function", name="typo")], [GOOD, AFTER])
    for page_id in ("good-1", "good-2"):
        broken = by_pair["typo", page_id]
        assert broken.outcome is Outcome.ERROR
        assert broken.error.startswith(f"cannot load {FAKES}:no_such_function: AttributeError")
        assert "Traceback" in broken.stderr
    assert started == 1 and "cannot load" in runs["typo"].note


def test_warm_up_failures_are_noted_and_hanging_imports_are_given_up():
    by_pair, runs, _ = run_all([spec("broken_warmup")], [GOOD])
    assert by_pair["broken_warmup", "good-1"].outcome is Outcome.OK
    assert "warm-up raised RuntimeError: warm-up page not understood" in runs["broken_warmup"].note

    pages = [fakes.page(f"good-{i}") for i in range(4)]
    start = time.monotonic()
    by_pair, runs, started = run_all([spec("hangs_in_warmup")], pages, timeout=1.0, load_timeout=0.5)
    assert time.monotonic() - start < 4.0, "two failed loads, then the spec's other pages are not run"
    outcomes = [by_pair["hangs_in_warmup", p.page_id] for p in pages]
    assert all(e.outcome is Outcome.TIMEOUT for e in outcomes)
    assert "import/warm-up" in outcomes[0].error
    assert outcomes[-1].error.startswith("not run: import/warm-up of hangs_in_warmup failed 2 times")
    assert started == 2


def test_breaking_out_of_a_run_kills_the_busy_worker_and_the_runner_stays_usable():
    with Runner([spec("hang"), spec("echo")], jobs=2, timeout=30.0) as runner:
        iterator = runner.run([BAD, GOOD, AFTER], {})
        first = next(e for e in iterator if e.extractor == "hang" and e.page_id != "bad-1")
        assert first.outcome is Outcome.OK
        busy = [slot.proc.pid for slot in runner._slots if slot.task is not None and slot.proc is not None]
        iterator.close()
        assert busy and not any(fakes.alive(pid) for pid in busy)
        again = list(runner.run([GOOD], {}))
        assert {(e.extractor, e.outcome) for e in again} == {("hang", Outcome.OK), ("echo", Outcome.OK)}


def test_shipping_pages_to_workers_does_not_bloat_the_corpus_in_the_harness():
    """Pickling a str makes CPython keep a UTF-8 copy inside it: 175 MB more on 1,000 AEB pages."""
    page = fakes.page("good-1", "Grüße aus Köln, 東京からこんにちは. " * 200)
    size = sys.getsizeof(page.html)
    by_pair, _, _ = run_all([spec("echo")], [page])
    assert by_pair["echo", "good-1"].text.startswith("Grüße aus Köln")
    assert sys.getsizeof(page.html) == size


def test_on_progress_sees_every_extraction():
    seen: list[Extraction] = []
    with Runner([spec("echo")], jobs=1) as runner:
        yielded = list(runner.run([GOOD, AFTER], {}, on_progress=seen.append))
    assert seen == yielded


def test_invalid_configuration_is_refused():
    with pytest.raises(ValueError, match="jobs"):
        Runner([spec("echo")], jobs=0)
    with pytest.raises(ValueError, match="unique"):
        Runner([spec("echo"), spec("echo")], jobs=1)


_ORPHAN_CHILD = textwrap.dedent("""
    import importlib, sys
    from benchmark.records import ExtractorSpec
    from benchmark.run.runner import Runner
    fakes = importlib.import_module(sys.argv[1])
    spec = ExtractorSpec(name="pid", target=sys.argv[1] + ":pid_then_hang", kind="article", input="text",
                         options={"pid_dir": sys.argv[2]})
    with Runner([spec], jobs=2, timeout=120) as runner:
        for extraction in runner.run([fakes.page(f"p{i}") for i in range(4)], {}):
            pass
""")


def test_no_worker_or_its_children_outlive_a_killed_harness(tmp_path):
    harness = subprocess.Popen([sys.executable, "-c", _ORPHAN_CHILD, FAKES, str(tmp_path)], env=_child_env())
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob("*.pid"))) < 2:
            assert harness.poll() is None, "the harness died on its own"
            assert time.monotonic() < deadline, "workers never started"
            time.sleep(0.05)
        pids = [int(pid) for path in tmp_path.glob("*.pid") for pid in path.read_text().split()]
        assert len(pids) == 4 and all(fakes.alive(pid) for pid in pids)
    finally:
        harness.kill()  # SIGKILL: no finally, no atexit in the harness
        harness.wait()
    deadline = time.monotonic() + 5
    while any(fakes.alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if fakes.alive(pid)], "workers (or processes they started) survived"


_RESUME_CHILD = textwrap.dedent("""
    import importlib, json, sys
    from benchmark.run.cache import Cache
    from benchmark.records import ExtractorSpec
    from benchmark.run.runner import Runner
    fakes = importlib.import_module(sys.argv[1])
    specs = [ExtractorSpec(name=n, target=sys.argv[1] + ":counts_calls", kind="article", input="text")
             for n in ("a", "b")]
    pages = [fakes.page(f"good-{i}") for i in range(12)]
    with Runner(specs, jobs=2, timeout=30, cache=Cache(sys.argv[2])) as runner:
        for e in runner.run(pages, {}):
            print(json.dumps([e.extractor, e.page_id]), flush=True)
""")


def test_resume_after_sigkill_computes_only_the_missing_pairs(tmp_path, monkeypatch):
    cache_path = tmp_path / "cache.sqlite3"
    monkeypatch.setenv(fakes.CALL_LOG_VARIABLE, str(tmp_path / "killed-run.log"))
    harness = subprocess.Popen([sys.executable, "-c", _RESUME_CHILD, FAKES, str(cache_path)],
                               env=_child_env(), stdout=subprocess.PIPE, text=True)
    finished_before = []
    try:
        for line in harness.stdout:
            finished_before.append(tuple(json.loads(line)))
            if len(finished_before) == 7:
                break
    finally:
        harness.kill()  # SIGKILL mid-run
        harness.wait()
        harness.stdout.close()
    assert len(finished_before) == 7

    log = tmp_path / "resumed-run.log"
    monkeypatch.setenv(fakes.CALL_LOG_VARIABLE, str(log))
    pages = [fakes.page(f"good-{i}") for i in range(12)]
    specs = [spec("counts_calls", name=name) for name in ("a", "b")]
    with Cache(cache_path) as cache:
        resumed, _, _ = run_all(specs, pages, jobs=2, cache=cache)
    from_cache = {pair for pair, e in resumed.items() if e.cached}
    assert set(finished_before) <= from_cache, "every pair reported before the kill was kept"
    calls = [line for line in log.read_text().splitlines() if not line.startswith("__warmup__")]
    assert len(calls) == 24 - len(from_cache), "only the missing pairs ran"

    uninterrupted, _, _ = run_all(specs, pages, jobs=2)
    assert _comparable(resumed) == _comparable(uninterrupted)


def test_cache_hits_need_no_worker_and_are_marked(tmp_path):
    specs = [spec("echo"), spec("raises"), spec("exits")]
    with Cache(tmp_path / "c.sqlite3") as cache:
        first, _, _ = run_all(specs, [GOOD, BAD], cache=cache)
        second, runs, started = run_all(specs[:2], [GOOD, BAD], cache=cache)
        third, _, _ = run_all([spec("exits")], [GOOD, BAD], cache=cache)
    assert started == 0 and all(e.cached for e in second.values())
    assert _comparable(second) == {pair: value for pair, value in _comparable(first).items()
                                   if pair[0] != "exits"}
    assert "2 of 2 pages from the cache" in runs["echo"].note
    assert third["exits", "good-1"].cached and not third["exits", "bad-1"].cached, "crashes are retried"
    assert third["exits", "bad-1"].outcome is Outcome.CRASH


def test_changed_options_or_page_input_miss_the_cache(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        run_all([spec("slow", options={"seconds": 0.0})], [GOOD], cache=cache)
        other_options, _, _ = run_all([spec("slow", options={"seconds": 0.001})], [GOOD], cache=cache)
        other_language, _, _ = run_all([spec("slow", options={"seconds": 0.0})],
                                       [fakes.page("good-1", language="de")], cache=cache)
    assert not other_options["slow", "good-1"].cached
    assert not other_language["slow", "good-1"].cached


_INTERRUPTED_CHILD = textwrap.dedent("""
    import importlib, json, sys
    from benchmark.run.cache import Cache
    from benchmark.records import ExtractorSpec
    from benchmark.run.runner import Runner
    fakes = importlib.import_module(sys.argv[1])
    spec = ExtractorSpec(name="slow", target=sys.argv[1] + ":counts_calls", kind="article", input="text",
                         options={"seconds": 0.3})
    pages = [fakes.page(f"good-{i}") for i in range(20)]
    with Cache(sys.argv[2]) as cache, Runner([spec], jobs=2, timeout=30, cache=cache) as runner:
        try:
            for e in runner.run(pages, {}):
                print(json.dumps([e.extractor, e.page_id]), flush=True)
        except KeyboardInterrupt:
            print("INTERRUPTED", len(runner.extractor_runs()), flush=True)
""")


def test_ctrl_c_stops_cleanly_keeps_finished_pairs_and_leaves_no_worker(tmp_path, monkeypatch):
    cache_path, log = tmp_path / "cache.sqlite3", tmp_path / "calls.log"
    monkeypatch.setenv(fakes.CALL_LOG_VARIABLE, str(log))
    # a shell's background job ignores SIGINT and its children inherit that: give the harness Python's handler
    harness = subprocess.Popen([sys.executable, "-c", _INTERRUPTED_CHILD, FAKES, str(cache_path)],
                               env=_child_env(), stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        finished = [tuple(json.loads(harness.stdout.readline())) for _ in range(3)]
        harness.send_signal(signal.SIGINT)
        rest, _ = harness.communicate(timeout=10)
    finally:
        if harness.poll() is None:
            harness.kill()
            harness.wait()
    assert harness.returncode == 0
    assert rest.strip().splitlines()[-1] == "INTERRUPTED 1", "the run stopped at once and said so"
    finished += [tuple(json.loads(line)) for line in rest.splitlines()[:-1]]
    assert len(finished) < 20
    worker_pids = {int(line.split()[1]) for line in log.read_text().splitlines()}
    deadline = time.monotonic() + 3
    while any(fakes.alive(pid) for pid in worker_pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in worker_pids if fakes.alive(pid)]
    with Cache(cache_path) as cache:
        # stored before being yielded: up to `jobs` pairs may be stored but not yet printed at the signal
        assert len(finished) <= len(cache) <= len(finished) + 2, "every pair finished before Ctrl-C is kept"


def test_dask_executor_gives_the_same_results_as_a_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    specs = [spec("echo"), spec("raises"), spec("exits"), spec("lie"), spec("returns_gold", needs_gold=True),
             spec("missing_library", modules=("boilerbench_no_such_library",))]
    pages = [fakes.page("good-1"), fakes.page("bad-1"), fakes.page("good-2"), fakes.page("bad-2"),
             fakes.page("good-3")]
    golds = {p.page_id: Gold(page_id=p.page_id, path="-", text=f"gold of {p.page_id}") for p in pages}
    local, _, _ = run_all(specs, pages, golds, jobs=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster, \
            Cache(tmp_path / "c.sqlite3") as cache:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        remote, runs, _ = run_all(specs, pages, golds, executor="dask", scheduler=cluster.scheduler_address,
                                  chunk_size=3, cache=cache)
        assert _comparable(remote) == _comparable(local)
        assert runs["echo"].import_ms is not None and not runs["missing_library"].available
        again, _, started = run_all(specs, pages, golds, cache=cache)  # local run, same cache: same keys
    not_from_cache = {pair for pair, e in again.items() if not e.cached}
    assert not_from_cache == {("exits", "bad-1"), ("exits", "bad-2")} | {
        pair for pair in again if pair[0] == "missing_library"}, "only crashes (never cached) ran again"
    assert started == 2


def test_start_loads_the_first_extractor_ahead_on_a_cold_run_only(tmp_path):
    """Workers import while the caller reads its corpus; a re-run the cache can answer starts none ahead."""
    pages = [fakes.page(f"good-{i}") for i in range(3)]
    with Cache(tmp_path / "c.sqlite3") as cache:
        with Runner([spec("echo")], jobs=2, cache=cache) as runner:
            assert runner.start() and runner.workers_started == 2
            results = list(runner.run(pages, {}))
            assert runner.workers_started == 2, "the workers started ahead extracted the pages"
            assert [r.outcome for r in results] == [Outcome.OK] * 3
            (facts,) = runner.extractor_runs()
            assert facts.import_ms is not None  # the load ahead is measured like any other
        with Runner([spec("echo")], jobs=2, cache=cache) as runner:
            assert not runner.start() and runner.workers_started == 0
            assert all(r.cached for r in runner.run(pages, {})) and runner.workers_started == 0


@pytest.mark.parametrize("target,prepared", [
    ("benchmark.extractors.adapters:trafilatura_extract", True),
    ("benchmark.extractors.optional:resiliparse_extract", True),
    ("benchmark.extractors.baselines:full_text", False),  # reads no lxml-ready text
    ("tests.fakes:echo", False),  # a user's function gets page.html as decoded, untouched
])
def test_the_worker_prepares_pages_for_the_harness_adapters_only(target, prepared):
    """Only the harness's own adapters read page.html through lxml_ready, so only theirs is prepared off the clock."""
    from benchmark.run.worker import _prepares_lxml

    assert _prepares_lxml(ExtractorSpec(name="x", target=target, kind="article", input="text")) is prepared
