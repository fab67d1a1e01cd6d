"""One worker slot of the runner: a worker process, its pipes and its captured output.

`runner.Runner` decides what each slot does next; a `Slot` does the process
handling. A worker starts in a session of its own as
``python -m benchmark.run.worker RESULT_FD``, with fds 1 and 2 on capture
files (unlinked, O_APPEND: the worker truncates them per pair, the harness
preads them). The process the harness starts becomes the worker's keeper
(keeper.py) and forks the worker proper. Frames go out without ever blocking
the runner's loop (the selector calls back while the pipe takes more) and
come back as they arrive. `kill` asks the keeper (SIGTERM) to kill the worker
and every process it started, and reaps it; a keeper that does not answer in
time is SIGKILLed with the worker's process group.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.run.protocol import FrameReader, describe, encode_frame, read_capture

if TYPE_CHECKING:
    from benchmark.run.interpreter import WorkerPython

#: pipe buffer asked for (Linux F_SETPIPE_SZ; /proc/sys/fs/pipe-max-size is 1 MiB by default)
PIPE_BYTES = 1 << 20
#: seconds to wait for a killed worker to be reaped
_REAP_SECONDS = 10.0
#: seconds the keeper gets to kill and reap everything below it (it gives up after 2 s itself)
_KEEPER_SECONDS = 3.0


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker is told at start: its memory cap, the output cap, and whether to cut its network."""

    memory_mb: int | None = None
    max_output_bytes: int | None = None
    isolate_network: bool = True


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


def _parent_of(pid: int) -> int | None:
    """A process's parent pid (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _stop(proc: subprocess.Popen[bytes], worker_pid: int | None) -> int | None:
    """SIGTERM the keeper and wait; if it does not end in time, SIGKILL it and both process groups."""
    try:
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=_KEEPER_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    if worker_pid is not None and sys.platform.startswith("linux") and _parent_of(worker_pid) != proc.pid:
        worker_pid = None  # not the keeper's child any more: its group is not ours to kill
    for group in (worker_pid, proc.pid):
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=_REAP_SECONDS)
    except subprocess.TimeoutExpired:  # stuck in the kernel; the OS reaps it when it can
        return None


class Slot:
    """One worker slot: at most one live worker; one task running in it and at most one queued behind."""

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
        self.task: Any = None  # the runner's task the worker is on (or about to start), or None
        #: the next task, already sent, of the same spec: the worker starts it the moment it answers `task`,
        #: without waiting for the harness (never set while `task` is None)
        self.queued: Any = None
        self.phase = ""  # "load" until the worker reports the spec loaded, then "call"
        self.deadline = float("inf")
        self.loaded: set[str] = set()
        self.spec_name: str | None = None  # the one spec this slot's current worker serves
        self.preload: int | None = None  # id of the load `Runner.start` sent, until the worker answers it
        self.selector: selectors.BaseSelector | None = None  # the runner's, given at spawn
        self.worker_pid: int | None = None  # the worker proper (the keeper is proc), once it is ready
        #: every isolation report its workers gave ({"network": ..., "processes": ...}), as sorted item tuples
        self.isolation: set[tuple[tuple[str, str], ...]] = set()

    def spawn(self, selector: selectors.BaseSelector, settings: WorkerSettings,
              python: WorkerPython | None = None) -> None:
        """A fresh keeper and worker in their own session, fds 1 and 2 on the slot's capture files.

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
        self.worker_pid = None
        self.send({"sys_path": sys_path, "parent_pid": os.getpid(), "memory_mb": settings.memory_mb,
                   "max_output_bytes": settings.max_output_bytes, "isolate_network": settings.isolate_network})

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
                arrived = self.reader.feed(data)
            except Exception as exc:  # noqa: BLE001 - garbage on the pipe: treat the worker as broken
                return messages, f"protocol error ({describe(exc)})"
            for message in arrived:
                self._note_ready(message)
            messages.extend(arrived)
        return messages, None

    def _note_ready(self, message: Any) -> None:
        """("ready", pid, isolation): which process is the worker, and what isolation it is under.

        Only the first of a worker's life counts: it is sent before any
        extractor code runs, so an extractor cannot name another process.
        """
        if isinstance(message, tuple) and len(message) == 3 and message[0] == "ready" and self.worker_pid is None:
            self.worker_pid = message[1] if isinstance(message[1], int) else None
            if isinstance(message[2], dict):
                self.isolation.add(tuple(sorted((str(k), str(v)) for k, v in message[2].items())))

    def captured(self) -> tuple[str, str]:
        if self.capture is None:
            return "", ""
        return read_capture(self.capture[0]), read_capture(self.capture[1])

    def kill(self) -> int | None:
        """Have the keeper kill the worker and everything it started, reap the keeper, forget the pipes.

        Returns the keeper's exit status, which mirrors how the worker ended.
        """
        proc = self.proc
        if proc is None:
            return None
        for fd, registered in ((self.result_fd, True), (self.task_fd, self.writing)):
            if registered and self.selector is not None:
                try:
                    self.selector.unregister(fd)
                except (KeyError, ValueError):
                    pass
        returncode = _stop(proc, self.worker_pid)
        for fd in (self.task_fd, self.result_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc, self.task_fd, self.result_fd = None, -1, -1
        self.outbuf, self.outpos, self.writing = b"", 0, False
        self.loaded = set()
        self.spec_name = None
        self.preload = None
        self.phase, self.deadline = "", float("inf")
        return returncode

    def close(self) -> None:
        """Kill the worker (and whatever it started) and release the capture files."""
        self.kill()
        self.task = self.queued = None
        if self.capture is not None:
            for fd in self.capture:
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.capture = None
