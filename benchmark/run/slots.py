"""One worker slot of the runner: a worker process, its pipes and its captured output.

`runner.Runner` decides what each slot does next; a `Slot` does the process
handling. A worker starts in a session (process group) of its own as
``python -m benchmark.run.worker RESULT_FD``, with fds 1 and 2 on capture
files (unlinked, O_APPEND: the worker truncates them per pair, the harness
preads them). Frames go out without ever blocking the runner's loop (the
selector calls back while the pipe takes more) and come back as they arrive.
`kill` SIGKILLs the worker's whole process group, so whatever an extractor
started goes with it, and reaps the worker.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.run.protocol import FrameReader, describe, encode_frame

if TYPE_CHECKING:
    from benchmark.run.interpreter import WorkerPython

#: bytes of captured stdout / stderr kept per pair and stream (head and tail when longer)
CAPTURE_LIMIT = 8192
#: pipe buffer asked for (Linux F_SETPIPE_SZ; /proc/sys/fs/pipe-max-size is 1 MiB by default)
PIPE_BYTES = 1 << 20
#: seconds to wait for a killed worker to be reaped
_REAP_SECONDS = 10.0


def _capture_file() -> int:
    """An unlinked temporary file opened O_APPEND: the worker truncates it per pair, the harness preads it."""
    fd, path = tempfile.mkstemp(prefix="boilerbench-capture-")
    os.unlink(path)
    import fcntl

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


def _widen_pipe(fd: int) -> None:
    """1 MiB pipes (Linux): a 300 KB page crosses in one write instead of a dozen 64 KiB round trips."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (OSError, ImportError):  # not Linux, or over the user's pipe quota: the default size works
        pass


def read_capture(fd: int, limit: int = CAPTURE_LIMIT) -> str:
    """What a worker wrote to a capture file, head and tail kept when longer than limit."""
    try:
        size = os.fstat(fd).st_size
        if size <= limit:
            data = os.pread(fd, size, 0)
            return data.decode("utf-8", "replace")
        half = limit // 2
        head = os.pread(fd, half, 0).decode("utf-8", "replace")
        tail = os.pread(fd, half, size - half).decode("utf-8", "replace")
    except OSError:
        return ""
    return f"{head}\n[... {size - 2 * half} bytes not kept ...]\n{tail}"


def death_reason(returncode: int | None) -> str:
    """How a worker ended, for the `crash` record of its pair."""
    if returncode is None:
        return "unknown exit status"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name} (signal {-returncode})"
    return f"exited with code {returncode}"


def _worker_env() -> dict[str, str]:
    """The worker's environment: unbuffered output (nothing lost on a crash), this very package importable."""
    import site

    import benchmark

    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    root = str(Path(benchmark.__file__).resolve().parent.parent)
    site_dirs = set(getattr(site, "getsitepackages", list)()) | {getattr(site, "getusersitepackages", str)()}
    if root not in site_dirs:  # a checkout or editable install: `-m benchmark.run.worker` must find it first
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class Slot:
    """One worker slot: at most one live worker, at most one task in flight."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.proc: subprocess.Popen[bytes] | None = None
        self.task_fd = -1
        self.result_fd = -1
        self.reader = FrameReader()
        self.outbuf = b""
        self.outpos = 0
        self.writing = False
        self.capture: tuple[int, int] | None = None  # (stdout fd, stderr fd), O_APPEND, unlinked
        self.task: Any = None  # the runner's task in flight, or None
        self.phase = ""  # "load" until the worker reports the spec loaded, then "call"
        self.deadline = float("inf")
        self.loaded: set[str] = set()
        self.spec_name: str | None = None  # the one spec this slot's current worker serves
        self.selector: selectors.BaseSelector | None = None  # the runner's, given at spawn

    def spawn(self, selector: selectors.BaseSelector, memory_mb: int | None,
              python: WorkerPython | None = None) -> None:
        """A fresh worker in its own session (process group), fds 1 and 2 on the slot's capture files.

        With `python` (another interpreter, interpreter.py) the worker keeps
        that interpreter's own sys.path instead of the harness's.
        """
        self.selector = selector
        if self.capture is None:
            self.capture = (_capture_file(), _capture_file())
        for fd in self.capture:
            os.ftruncate(fd, 0)
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        try:
            argv = ["-m", "benchmark.run.worker", str(result_w)]
            proc = subprocess.Popen(
                [sys.executable, *argv] if python is None else python.command(*argv),
                stdin=task_r, stdout=self.capture[0], stderr=self.capture[1], pass_fds=(result_w,),
                start_new_session=True, env=_worker_env() if python is None else python.environ(),
                close_fds=True)
        except BaseException:
            for fd in (task_w, result_r):
                os.close(fd)
            raise
        finally:
            os.close(task_r)
            os.close(result_w)
        os.set_blocking(task_w, False)
        os.set_blocking(result_r, False)
        _widen_pipe(task_w)
        _widen_pipe(result_r)
        self.proc, self.task_fd, self.result_fd = proc, task_w, result_r
        self.reader = FrameReader()
        self.outbuf, self.outpos, self.writing = b"", 0, False
        self.loaded = set()
        selector.register(result_r, selectors.EVENT_READ, self)
        sys_path = None if python is not None else [entry or os.getcwd() for entry in sys.path]
        self.send({"sys_path": sys_path, "parent_pid": os.getpid(), "memory_mb": memory_mb})

    def send(self, message: Any) -> None:
        frame = encode_frame(message)
        if self.outpos < len(self.outbuf):  # rare: the handshake still on its way
            frame = self.outbuf[self.outpos:] + frame
        self.outbuf, self.outpos = frame, 0
        self.flush()

    def flush(self) -> None:
        """Write what the pipe takes now; the selector calls back for the rest (never blocks the loop)."""
        assert self.selector is not None
        view = memoryview(self.outbuf)
        while self.outpos < len(view):
            try:
                self.outpos += os.write(self.task_fd, view[self.outpos:])
            except BlockingIOError:
                break
            except OSError:  # the worker is gone; EOF on its result pipe records why
                self.outbuf, self.outpos = b"", 0
                break
        view.release()
        pending = self.outpos < len(self.outbuf)
        if not pending:
            self.outbuf, self.outpos = b"", 0
        if pending and not self.writing:
            self.selector.register(self.task_fd, selectors.EVENT_WRITE, self)
            self.writing = True
        elif not pending and self.writing:
            self.selector.unregister(self.task_fd)
            self.writing = False

    def receive(self) -> tuple[list[Any], str | None]:
        """The messages the worker has written so far, and None, or why it is gone ("" at EOF)."""
        messages: list[Any] = []
        while self.proc is not None:
            try:
                data = os.read(self.result_fd, 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                return messages, ""
            try:
                messages.extend(self.reader.feed(data))
            except Exception as exc:  # noqa: BLE001 - garbage on the pipe: treat the worker as broken
                return messages, f"protocol error ({describe(exc)})"
        return messages, None

    def captured(self) -> tuple[str, str]:
        if self.capture is None:
            return "", ""
        return read_capture(self.capture[0]), read_capture(self.capture[1])

    def kill(self) -> int | None:
        """SIGKILL the worker's process group (its children too), reap it, forget its pipes."""
        proc = self.proc
        if proc is None:
            return None
        for fd, registered in ((self.result_fd, True), (self.task_fd, self.writing)):
            if registered and self.selector is not None:
                try:
                    self.selector.unregister(fd)
                except (KeyError, ValueError):
                    pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                proc.kill()
            except ProcessLookupError:
                pass
        try:
            returncode: int | None = proc.wait(timeout=_REAP_SECONDS)
        except subprocess.TimeoutExpired:  # stuck in the kernel; the OS reaps it when it can
            returncode = None
        for fd in (self.task_fd, self.result_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc, self.task_fd, self.result_fd = None, -1, -1
        self.outbuf, self.outpos, self.writing = b"", 0, False
        self.loaded = set()
        self.spec_name = None
        self.phase, self.deadline = "", float("inf")
        return returncode

    def close(self) -> None:
        """Kill the worker (and whatever it started) and release the capture files."""
        self.kill()
        self.task = None
        if self.capture is not None:
            for fd in self.capture:
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.capture = None
