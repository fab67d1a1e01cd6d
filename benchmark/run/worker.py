"""A worker process: runs extractors one call at a time so the harness survives whatever they do.

Started by `benchmark.run.runner` as ``python -m benchmark.run.worker RESULT_FD`` in a
session (process group) of its own. The protocol is length-prefixed pickled
frames: tasks arrive on stdin, which the worker moves to a private fd at once
(fd 0 becomes /dev/null); results leave through RESULT_FD, an inherited pipe
that is neither fd 1 nor fd 2. The harness points fds 1 and 2 at capture
files, so whatever an extractor prints lands there, never in the protocol.

Messages, harness -> worker:
    {"sys_path": [...], "parent_pid": int, "memory_mb": int | None}   (handshake, first)
    ("run", task_id, ExtractorSpec, page_to_wire(PageInput))
    ("stop",)
worker -> harness:
    ("ready", pid)
    ("loaded", task_id, spec_name, import_ms, note, peak_rss_mb)   first use of a spec in this worker
    ("unavailable", task_id, spec_name, message)                   a module in spec.modules is missing
    ("result", task_id, outcome, text, error, ms, peak_rss_mb)     outcome: "ok" | "empty" | "error"

POSIX only (process groups, rlimits); Linux adds PR_SET_PDEATHSIG.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import time
import traceback  # imported up front: it is needed right after a MemoryError
from typing import Any

#: frame header: payload length, unsigned 64-bit big-endian
HEADER = struct.Struct("!Q")
#: a frame longer than this is a protocol error, not a result
MAX_FRAME = 1 << 31
NETWORK_DISABLED = "network disabled in boilerbench workers"

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
#: longest error message kept ("TypeName: message")
MAX_ERROR_CHARS = 2000


# --------------------------------------------------------------------------- framing (shared with runner)


def encode_frame(obj: Any) -> bytes:
    """One frame: length header then the pickle.

    Pickled into a file object, not with pickle.dumps: protocol 4+ then writes
    a page's large html and raw bytes straight through instead of regrowing
    one buffer (measured 7x faster on AEB-sized pages).
    """
    buffer = io.BytesIO()
    buffer.write(bytes(HEADER.size))
    pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    size = buffer.tell() - HEADER.size
    buffer.seek(0)
    buffer.write(HEADER.pack(size))
    return buffer.getvalue()


def write_frame(fd: int, obj: Any) -> None:
    """Write one frame to a blocking fd, all of it."""
    view = memoryview(encode_frame(obj))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """size bytes from a blocking fd, or None on EOF."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> Any:
    """The next frame from a blocking fd; None on EOF (the harness is gone or done)."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes")
    payload = _read_exactly(fd, size)
    if payload is None:
        return None
    return pickle.loads(payload)


def page_to_wire(page: Any) -> tuple[Any, ...]:
    """A PageInput as plain fields, without its html: the worker decodes `raw` with the codec itself.

    The html is a function of (raw, encoding), so sending it would double the
    bytes on the pipe; and pickling a str makes CPython keep a UTF-8 copy
    inside it for the rest of the run (measured: +175 MB on 1,000 AEB pages).
    """
    return (page.page_id, page.raw, page.encoding, page.url, page.language, page.gold)


def page_from_wire(fields: tuple[Any, ...]) -> Any:
    from benchmark.records import PageInput

    page_id, raw, encoding, url, language, gold = fields
    return PageInput(page_id=page_id, html=raw.decode(encoding, errors="replace"), raw=raw, encoding=encoding,
                     url=url, language=language, gold=gold)


class FrameReader:
    """Reassembles frames from the chunks a non-blocking read returns (harness side)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        """Every complete message in the bytes seen so far; raises ValueError on garbage."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self._buffer)
            if size > MAX_FRAME:
                raise ValueError(f"frame of {size} bytes")
            end = HEADER.size + size
            if len(self._buffer) < end:
                break
            payload = bytes(self._buffer[HEADER.size:end])
            del self._buffer[:end]
            messages.append(pickle.loads(payload))
        return messages


# --------------------------------------------------------------------------- isolation


def describe(exc: BaseException) -> str:
    """"TypeName: message", or just the type name when the message is empty."""
    try:
        message = str(exc)
    except Exception:  # an exception whose __str__ raises
        message = "<unprintable message>"
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS] + " [...]"


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when the harness dies, even mid-call in C code."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the guard process still ends the worker
            pass
    if os.getppid() != parent_pid:  # the harness died before prctl took effect
        os._exit(0)


def start_guard(task_fd: int) -> None:
    """Fork a tiny guard that SIGKILLs this worker's whole process group once the harness or the worker is gone.

    The guard idles in poll() on two pipes: the harness's task pipe (HUP when
    the harness dies, even by SIGKILL) and a pipe only the worker holds (HUP
    when the worker dies). Being idle, it acts at once even while the worker
    is stuck inside C code, and it takes along whatever processes the
    extractor started. Only when the worker leads its own process group
    (the runner starts it with start_new_session), so nothing else is hit.
    """
    import select
    import signal

    if not hasattr(os, "fork") or not hasattr(select, "poll") or os.getpgid(0) != os.getpid():
        return
    alive_r, alive_w = os.pipe()  # non-inheritable: exec'd children of extractors do not hold it
    if os.fork() == 0:
        try:
            os.close(alive_w)
            low, high = sorted((task_fd, alive_r))
            os.closerange(3, low)  # above all the result pipe: the harness must see EOF when the worker dies
            os.closerange(low + 1, high)
            os.closerange(high + 1, 1 << 16)
            poller = select.poll()
            poller.register(task_fd, 0)  # event mask 0: only POLLHUP/POLLERR/POLLNVAL are reported
            poller.register(alive_r, 0)
            while not poller.poll():
                pass
            os.killpg(os.getpgid(0), signal.SIGKILL)
        finally:
            os._exit(0)
    os.close(alive_r)  # alive_w is never closed: it closes when the worker dies, which wakes the guard


def disable_network() -> None:
    """Refuse network sockets (AF_UNIX stays, for local pipes) and name lookups, with a clear error.

    A guard against extractors that fetch things (a URL, a suffix list), so
    results never depend on the network; not a sandbox against hostile code,
    which can still reach `_socket` directly.
    """
    import errno
    import socket

    original = socket.socket

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.ENETUNREACH, NETWORK_DISABLED)

    class NoNetworkSocket(original):  # type: ignore[misc, valid-type]
        """socket.socket that closes itself at once unless it is a local (AF_UNIX) socket."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if getattr(socket, "AF_UNIX", None) is None or self.family != socket.AF_UNIX:
                self.close()
                raise OSError(errno.ENETUNREACH, NETWORK_DISABLED)

    NoNetworkSocket.__name__ = NoNetworkSocket.__qualname__ = "socket"
    socket.socket = NoNetworkSocket  # type: ignore[misc]
    socket.SocketType = NoNetworkSocket  # type: ignore[misc]
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "gethostbyaddr", "getnameinfo"):
        if hasattr(socket, name):
            setattr(socket, name, refuse)


def limit_memory(memory_mb: int | None) -> None:
    """Cap the address space, so an extractor allocating without bound gets MemoryError (or dies alone)."""
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # not POSIX
        return
    limit = int(memory_mb) * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # macOS ignores or refuses RLIMIT_AS
        pass


# --------------------------------------------------------------------------- extractors


def peak_rss_mb() -> float | None:
    """This process's peak resident memory so far, in MB.

    Linux: VmHWM, which starts afresh at exec; ru_maxrss would carry over the
    harness's own peak from the fork that started this worker.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


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


def _reset_capture() -> None:
    """Empty the capture files so each pair gets only its own output (the files are O_APPEND)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    for fd in (1, 2):
        try:
            os.ftruncate(fd, 0)
        except OSError:  # not a regular file (worker started by hand): nothing to reset
            pass


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


class Worker:
    """The worker's state: which specs it has loaded, and how to answer one task."""

    def __init__(self, result_fd: int) -> None:
        self.result_fd = result_fd
        self.loaded: dict[str, _Loaded] = {}

    def send(self, message: tuple[Any, ...]) -> None:
        write_frame(self.result_fd, message)

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
        _reset_capture()
        if loaded.load_error:  # every page of a spec that cannot load says why, traceback included
            sys.stderr.write(loaded.load_trace)
            _flush_capture()
            self.send(("result", task_id, "error", "", loaded.load_error, None, peak_rss_mb()))
            return
        options = dict(spec.options)
        function = loaded.function
        started = time.perf_counter()
        try:
            text = function(page, **options)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and MemoryError included
            ms = (time.perf_counter() - started) * 1000.0
            traceback.clear_frames(exc.__traceback__)  # free what an allocation loop held, first
            error = describe(exc)
            _print_traceback_tail(exc)
            del exc
            _flush_capture()
            self.send(("result", task_id, "error", "", error, ms, peak_rss_mb()))
            return
        ms = (time.perf_counter() - started) * 1000.0
        if not isinstance(text, str):
            outcome, error, text = "error", f"returned {type(text).__name__}, expected str", ""
        elif not text.strip():
            outcome, error, text = "empty", "", ""
        else:
            outcome, error, text = "ok", "", str(text)
        _flush_capture()
        self.send(("result", task_id, outcome, text, error, ms, peak_rss_mb()))


def main(argv: list[str] | None = None) -> int:
    """Serve tasks until the harness says stop or goes away."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isdigit():
        print("benchmark.run.worker is started by benchmark.run.runner: python -m benchmark.run.worker RESULT_FD",
              file=sys.stderr)
        return 2
    result_fd = int(args[0])
    os.set_inheritable(result_fd, False)  # a crashed worker's result pipe must close, whoever it spawned
    task_fd = os.dup(0)  # the protocol leaves fd 0, so an extractor reading stdin reads /dev/null
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)

    hello = read_frame(task_fd)
    if hello is None:
        return 0
    _die_with_parent(int(hello["parent_pid"]))
    sys.path[:] = list(hello["sys_path"])
    import faulthandler

    start_guard(task_fd)  # the worker's end of the guard pipe stays open until the worker exits
    faulthandler.enable()  # a segfault leaves a Python traceback in the pair's stderr

    from benchmark.extractors.registry import prepare_worker_environment

    prepare_worker_environment()
    disable_network()
    limit_memory(hello.get("memory_mb"))

    worker = Worker(result_fd)
    worker.send(("ready", os.getpid()))
    while True:
        message = read_frame(task_fd)
        if message is None or message[0] == "stop":
            return 0
        if message[0] == "run":
            _, task_id, spec, page = message
            worker.run(task_id, spec, page_from_wire(page))


if __name__ == "__main__":
    sys.exit(main())
