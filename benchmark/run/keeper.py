"""The keeper: the process a worker forks off at start-up to stand over it, so nothing it starts outlives it.

A worker started by the runner first forks. The parent stays behind as the
keeper and never runs extractor code; the child goes on as the worker, in a
process group of its own. On Linux the keeper is a child subreaper
(``PR_SET_CHILD_SUBREAPER``): every process the extractor starts, even one
that double-forks or calls ``setsid()`` to leave the worker's session, stays
its descendant, since orphans are reparented to it rather than to init.

The keeper idles in ``poll()`` and acts when

* the harness asks (SIGTERM: time-out, retiring the worker, end of run),
* the harness is gone (its end of the task pipe closes, or the parent-death
  signal arrives), or
* the worker ends (SIGCHLD);

it then SIGKILLs the worker's process group and every descendant it can
find, reaps them, and exits the way the worker ended (same exit code, same
signal), so the harness reads the worker's fate from the keeper's status.
Without a subreaper (not Linux) it does what it can: the worker's process
group and the descendants still linked to it.
"""

from __future__ import annotations

import os
import signal
import sys
import time

#: prctl option numbers (linux/prctl.h)
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 1, 4, 36
#: seconds the keeper keeps killing and reaping before it gives up on a process stuck in the kernel
_CLEANUP_SECONDS = 2.0


def _prctl(option: int, value: int) -> bool:
    """prctl(option, value) on Linux; False where there is no prctl or it refuses."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


#: how processes are kept, as run.json says it
SUBREAPER = "keeper is a child subreaper: every process an extractor starts ends with its worker"
PROCESS_GROUP = ("process group only: a process an extractor starts in a session of its own (setsid) can "
                 "outlive its worker")


def start_keeper(task_fd: int, parent_pid: int) -> str:
    """Fork; the parent becomes the keeper and never returns. In the worker (child), how processes are kept."""
    if not hasattr(os, "fork"):
        return PROCESS_GROUP
    subreaper = _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    keeper = os.getpid()
    worker = os.fork()
    if worker == 0:
        os.setpgid(0, 0)  # the worker's own group: the keeper can kill it without killing itself
        _prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))  # the keeper gone (even SIGKILLed): the worker goes
        if os.getppid() != keeper:  # the keeper died before prctl took effect
            os._exit(0)
        return SUBREAPER if subreaper else PROCESS_GROUP
    try:
        os.setpgid(worker, worker)  # also from this side, so the group exists before anything is killed
    except OSError:  # the child did it first, or has already exited
        pass
    _keep(worker, task_fd, parent_pid)


def _keep(worker: int, task_fd: int, parent_pid: int) -> None:
    """The keeper's whole life: wait for a reason, kill everything below, exit as the worker did."""
    import select

    try:
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        for fd in range(0, 3):  # the capture files belong to the worker's pairs; the keeper writes nothing
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, fd)
            os.close(null)
        keep_fds = sorted({task_fd, wake_r, wake_w})
        os.closerange(3, keep_fds[0])  # above all the result pipe: EOF must reach the harness with the worker
        for low, high in zip(keep_fds, keep_fds[1:] + [_max_fd()]):
            os.closerange(low + 1, high)
        signal.set_wakeup_fd(wake_w)
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, lambda *_: None)
        _prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))  # the harness gone: clean up, as on request
        _prctl(_PR_SET_DUMPABLE, 0)  # mirroring a worker's SIGSEGV must not dump the keeper's core
        if os.getppid() != parent_pid:
            raise SystemExit
        poller = select.poll()
        poller.register(task_fd, 0)  # event mask 0: only POLLHUP/POLLERR/POLLNVAL, i.e. the harness is gone
        poller.register(wake_r, select.POLLIN)
        while not _has_ended(worker):
            if any(fd == task_fd for fd, _event in poller.poll()):
                break
            signals = os.read(wake_r, 512)
            if any(signum in signals for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)):
                break
    except BaseException:  # noqa: BLE001 - whatever happens here, the cleanup below must run
        pass
    finally:
        _exit_as(_kill_all(worker))


def _max_fd() -> int:
    try:
        return max(int(os.sysconf("SC_OPEN_MAX")), 1 << 16)
    except (ValueError, OSError):
        return 1 << 16


def _has_ended(worker: int) -> bool:
    """Whether the worker has exited, left unreaped (WNOWAIT) so its group id stays safe to signal."""
    try:
        return os.waitid(os.P_PID, worker, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True
    except AttributeError:  # no waitid: the SIGCHLD that woke the keeper has to do
        return False


def _descendants(ancestor: int) -> list[int]:
    """Every live process below ancestor, found through /proc's parent links (Linux); [] elsewhere."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields and fields[0] not in (b"Z", b"X"):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [ancestor]
    while stack:
        for child in children.get(stack.pop(), ()):
            found.append(child)
            stack.append(child)
    return found


def _kill_all(worker: int) -> int | None:
    """SIGKILL the worker's group and every descendant, reaping until no child is left; the worker's status.

    The group is signalled while the worker is still unreaped, so its id
    cannot have been reused; after that, descendants are found through /proc.
    """
    try:
        os.killpg(worker, signal.SIGKILL)
    except OSError:
        pass
    status = None
    me = os.getpid()
    deadline = time.monotonic() + _CLEANUP_SECONDS
    while True:
        for pid in _descendants(me):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                pid, child_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return status  # no child left: as a subreaper, no descendant either
            if pid == 0:
                break
            if pid == worker:
                status = child_status
        if time.monotonic() > deadline:
            return status
        time.sleep(0.001)


def _exit_as(status: int | None) -> None:
    """Exit with the worker's exit code, or die of the signal that killed it."""
    if status is None:
        os._exit(0)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
            os.kill(os.getpid(), signum)
        except (OSError, ValueError):
            pass
        os._exit(128 + signum)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
