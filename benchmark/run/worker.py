"""A worker process: runs extractors one call at a time so the harness survives whatever they do.

Started by `benchmark.run.slots` as ``python -m benchmark.run.worker RESULT_FD``
in a session (process group) of its own. The protocol is length-prefixed
pickled frames (protocol.py): tasks arrive on stdin, which the worker moves to
a private fd at once (fd 0 becomes /dev/null); results leave through
RESULT_FD, an inherited pipe that is neither fd 1 nor fd 2. The harness points
fds 1 and 2 at capture files, so whatever an extractor prints lands there,
never in the protocol; the worker reads them back itself and sends each
pair's output with its result (its next task may already be waiting in the
pipe, and starting it empties the files). Before the first task the process
forks: the parent stays behind as the keeper (keeper.py), which kills everything the worker
starts once the worker ends or the harness asks or goes; the child serves as
the worker. It isolates itself (isolation.py): an empty network namespace
where the system allows one, the socket guard, a memory cap. Its "ready"
message tells the harness which isolation is in force. A text longer than
the output cap (``max_output_bytes`` in the handshake) is not sent back: the
pair records ``error: output too large (N bytes)``.

POSIX only (fork, rlimits); Linux adds the subreaper and network namespaces.
"""

from __future__ import annotations

import os
import sys
import time
import traceback  # imported up front: it is needed right after a MemoryError
from typing import Any

from benchmark.run.isolation import disable_network, enter_network_namespace, limit_memory, peak_rss_mb
from benchmark.run.keeper import start_keeper
from benchmark.run.protocol import describe, page_from_wire, read_capture, read_frame, write_frame

#: the warm-up page: small, article-shaped, with chrome, so every library takes its usual path
WARMUP_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour bridge reopens after repairs - Example News</title>
<meta name="description" content="The harbour bridge reopened on Monday."></head>
<body><div id="nav"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></div>
<div class="share">E-mail to a friend | Share this on Facebook</div>
<article><h1>Harbour bridge reopens after repairs</h1><p class="byline">By A. Writer, Example News</p>
<p>PORTSMOUTH, England -- The harbour bridge reopened to traffic on Monday after eight months of repairs
that cost the city council more than it had planned, officials said.</p>
<p>Engineers replaced the corroded steel cables and resurfaced the deck, which carries about twenty
thousand vehicles a day between the two halves of the town.</p>
<p>"We are glad to have it back," said the council leader, who thanked residents for their patience
during the long closure and the diversions it caused.</p>
<p>The work was first expected to take five months, but storms in the winter delayed the delivery of
parts and forced the contractor to stop for several weeks.</p></article>
<div class="related"><h3>Related articles</h3><ul><li><a href="/a">Ferry prices rise</a></li>
<li><a href="/b">New bus routes announced</a></li></ul></div>
<div id="footer">Copyright 2024 Example News. All rights reserved. | Advertisement</div>
</body></html>
"""
WARMUP_GOLD = """PORTSMOUTH, England -- The harbour bridge reopened to traffic on Monday after eight months of repairs \
that cost the city council more than it had planned, officials said.

Engineers replaced the corroded steel cables and resurfaced the deck, which carries about twenty \
thousand vehicles a day between the two halves of the town.

"We are glad to have it back," said the council leader, who thanked residents for their patience \
during the long closure and the diversions it caused.

The work was first expected to take five months, but storms in the winter delayed the delivery of \
parts and forced the contractor to stop for several weeks.
"""
WARMUP_PAGE_ID = "__warmup__"


class _Loaded:
    """A spec resolved in this worker: its function, or why it could not be loaded."""

    __slots__ = ("function", "load_error", "load_trace")

    def __init__(self, function: Any = None, load_error: str = "", load_trace: str = "") -> None:
        self.function = function
        self.load_error = load_error
        self.load_trace = load_trace


def resolve_target(target: str) -> Any:
    """The object named by "module:qualname", imported now (inside a worker)."""
    import importlib

    module_name, _, attr_path = target.partition(":")
    if not module_name or not attr_path:
        raise ValueError(f"extractor target {target!r} is not 'module:function'")
    obj: Any = importlib.import_module(module_name)
    for attr in attr_path.split("."):
        obj = getattr(obj, attr)
    return obj


def probe_targets(targets: list[str]) -> dict[str, str]:
    """Import each "module:function" a user named; what is wrong with each ("" when it is a callable)."""
    problems = {}
    for target in targets:
        try:
            obj = resolve_target(target)
            problems[target] = "" if callable(obj) else f"{target} is a {type(obj).__name__}, not a function"
        except BaseException as exc:  # noqa: BLE001 - whatever an import raises is the answer
            problems[target] = describe(exc)
    return problems


def is_missing_module(exc: BaseException, modules: tuple[str, ...]) -> bool:
    """Whether exc says one of the spec's own modules is not installed (=> unavailable, not error)."""
    name = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
    if not name:
        return False
    return any(name == m or name.startswith(m + ".") or m.startswith(name + ".") for m in modules)


def warmup_page(needs_gold: bool) -> Any:
    """The built-in page every extractor runs once before it is timed."""
    from benchmark.records import PageInput

    return PageInput(page_id=WARMUP_PAGE_ID, html=WARMUP_HTML, raw=WARMUP_HTML.encode("utf-8"),
                     encoding="utf-8", url="https://news.example.com/2024/harbour-bridge-reopens",
                     language="en", gold=WARMUP_GOLD if needs_gold else None)


def output_too_large(text: str, limit: int | None) -> str | None:
    """The error for a text over the cap ("output too large (N bytes)"), or None when it fits.

    Measured in UTF-8 bytes, as it would be stored; a text of more characters
    than the cap is over it without encoding it, one of at most a quarter as
    many fits without encoding it either.
    """
    if not limit or len(text) * 4 <= limit:
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return (f"output too large ({size} bytes; the cap is {limit} bytes, --max-output-mb): "
            "not kept, scored as a miss")


def _flush_capture() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass


def _print_traceback_tail(exc: BaseException) -> None:
    """The last frames of a failure, into the captured stderr of its pair."""
    try:
        traceback.print_exception(type(exc), exc, exc.__traceback__, limit=-4, file=sys.stderr)
    except Exception:  # MemoryError aftermath, broken stderr: the message alone still goes back
        pass


def _prepares_lxml(spec: Any) -> bool:
    """The harness's own adapters (not its baselines, not a user's function) read the page through lxml_ready."""
    target = str(getattr(spec, "target", ""))
    return target.startswith("benchmark.extractors.") and not target.startswith("benchmark.extractors.baselines")


class Worker:
    """The worker's state: which specs it has loaded, and how to answer one task."""

    def __init__(self, result_fd: int, max_output_bytes: int | None, capture_fds: tuple[int, int]) -> None:
        self.result_fd = result_fd
        self.max_output_bytes = max_output_bytes
        #: private copies of fds 1 and 2 as they were at start (the capture files), whatever an extractor
        #: later does to fds 1 and 2 themselves
        self.capture_fds = capture_fds
        self.loaded: dict[str, _Loaded] = {}

    def send(self, message: tuple[Any, ...]) -> None:
        write_frame(self.result_fd, message)

    def reset_capture(self) -> None:
        """Empty the capture files so each pair gets only its own output (the files are O_APPEND)."""
        _flush_capture()
        for fd in self.capture_fds:
            try:
                os.ftruncate(fd, 0)
            except OSError:  # not a regular file (worker started by hand): nothing to reset
                pass

    def send_result(self, task_id: int, outcome: str, text: str, error: str, ms: float | None) -> None:
        """A pair's answer with what it printed, read back here: the harness may already have queued the
        next task, whose start empties the capture files."""
        _flush_capture()
        stdout, stderr = (read_capture(fd) for fd in self.capture_fds)
        self.send(("result", task_id, outcome, text, error, ms, peak_rss_mb(), stdout, stderr))

    def load(self, task_id: int, spec: Any) -> _Loaded | None:
        """Import and warm up a spec (timed together as import_ms); None when it is unavailable."""
        note = ""
        started = time.perf_counter()
        try:
            function = resolve_target(spec.target)
        except BaseException as exc:  # noqa: BLE001 - anything an import can raise is data
            if is_missing_module(exc, tuple(spec.modules)):
                self.send(("unavailable", task_id, spec.name, describe(exc)))
                return None
            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-4))
            loaded = _Loaded(load_error=f"cannot load {spec.target}: {describe(exc)}", load_trace=trace)
            note = loaded.load_error
        else:
            loaded = _Loaded(function=function)
            try:
                function(warmup_page(spec.needs_gold), **dict(spec.options))
            except BaseException as exc:  # noqa: BLE001
                if is_missing_module(exc, tuple(spec.modules)):
                    self.send(("unavailable", task_id, spec.name, describe(exc)))
                    return None
                note = f"warm-up raised {describe(exc)}"
        import_ms = (time.perf_counter() - started) * 1000.0
        self.loaded[spec.name] = loaded
        self.send(("loaded", task_id, spec.name, import_ms, note, peak_rss_mb()))
        return loaded

    def run(self, task_id: int, spec: Any, page: Any) -> None:
        """Answer one task: load the spec if new here, then time the extractor call alone."""
        loaded = self.loaded.get(spec.name)
        if loaded is None:
            loaded = self.load(task_id, spec)
            if loaded is None:
                return
        self.reset_capture()
        if loaded.load_error:  # every page of a spec that cannot load says why, traceback included
            sys.stderr.write(loaded.load_trace)
            self.send_result(task_id, "error", "", loaded.load_error, None)
            return
        options = dict(spec.options)
        function = loaded.function
        if _prepares_lxml(spec):  # input preparation is the harness's work: done before the clock starts
            from benchmark.extractors.adapters import prepare_lxml

            prepare_lxml(page.html, page.raw, page.encoding)
        started = time.perf_counter()
        try:
            text = function(page, **options)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and MemoryError included
            ms = (time.perf_counter() - started) * 1000.0
            traceback.clear_frames(exc.__traceback__)  # free what an allocation loop held, first
            error = describe(exc)
            _print_traceback_tail(exc)
            del exc
            self.send_result(task_id, "error", "", error, ms)
            return
        ms = (time.perf_counter() - started) * 1000.0
        if isinstance(text, str):
            text = str.__str__(text)  # a plain str: a subclass's __len__, __str__ or strip cannot lie from here on
        if not isinstance(text, str):
            outcome, error, text = "error", f"returned {type(text).__name__}, expected str", ""
        elif (too_large := output_too_large(text, self.max_output_bytes)) is not None:
            outcome, error, text = "error", too_large, ""
        elif not text.strip():
            outcome, error, text = "empty", "", ""
        else:
            outcome, error = "ok", ""
        self.send_result(task_id, outcome, text, error, ms)


def main(argv: list[str] | None = None) -> int:
    """Serve tasks until the harness says stop or goes away."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("benchmark.run.worker is started by the runner (benchmark.run.slots): "
              "python -m benchmark.run.worker RESULT_FD", file=sys.stderr)
        return 2
    result_fd = int(args[0])
    os.set_inheritable(result_fd, False)  # a crashed worker's result pipe must close, whoever it spawned
    task_fd = os.dup(0)  # the protocol leaves fd 0, so an extractor reading stdin reads /dev/null
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    capture_fds = (os.dup(1), os.dup(2))  # not inheritable: what the worker starts writes to fds 1 and 2 only

    hello = read_frame(task_fd)
    if hello is None:
        return 0
    if os.getppid() != int(hello["parent_pid"]):  # the harness is already gone
        return 0
    processes = start_keeper(task_fd, int(hello["parent_pid"]))  # from here on: the worker, the keeper above it
    # first, while this process is fresh and single-threaded (a user namespace needs that)
    network = enter_network_namespace() if hello.get("isolate_network", True) else "not isolated (network = allow)"
    if hello.get("sys_path") is not None:  # None: another interpreter (a release's venv) keeps its own path
        sys.path[:] = list(hello["sys_path"])
    import faulthandler

    faulthandler.enable()  # a segfault leaves a Python traceback in the pair's stderr

    from benchmark.extractors.environment import prepare_worker_environment

    prepare_worker_environment()
    disable_network()
    limit_memory(hello.get("memory_mb"))

    worker = Worker(result_fd, hello.get("max_output_bytes"), capture_fds)
    worker.send(("ready", os.getpid(), {"network": network, "processes": processes}))
    while True:
        message = read_frame(task_fd)
        if message is None or message[0] == "stop":
            return 0
        if message[0] == "run":
            _, task_id, spec, page = message
            worker.run(task_id, spec, page_from_wire(page))
        elif message[0] == "load" and message[2].name not in worker.loaded:  # ahead of its pages
            worker.load(message[1], message[2])
        elif message[0] == "probe":
            worker.send(("probed", message[1], probe_targets(message[2])))


if __name__ == "__main__":
    sys.exit(main())
