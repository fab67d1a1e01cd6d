"""What a worker does to itself before it runs any extractor: die with the harness, no network, a memory cap.

Also how it measures its own peak memory. POSIX only (process groups,
rlimits); Linux adds PR_SET_PDEATHSIG.
"""

from __future__ import annotations

import os
import sys
from typing import Any

NETWORK_DISABLED = "network disabled in boilerbench workers"


def die_with_parent(parent_pid: int) -> None:
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
