"""What a worker does to itself before it runs any extractor: no network, a memory cap.

Also how it measures its own peak memory. Processes are kept by the keeper
(keeper.py). POSIX only (rlimits); network namespaces are Linux only.
"""

from __future__ import annotations

import os
import sys
from typing import Any

NETWORK_DISABLED = "network disabled in boilerbench workers"


#: clone flags (linux/sched.h)
_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000
#: what run.json says when no namespace could be made: the socket guard alone, which hostile code can pass
SOCKET_GUARD_ONLY = ("socket guard only: Python's socket module refuses connections, but code that reaches "
                     "_socket directly or starts another program still has the network")


def _unshare(flags: int) -> str:
    """unshare(flags); "" on success, else why not."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) == 0:
        return ""
    return os.strerror(ctypes.get_errno())


def enter_network_namespace() -> str:
    """Move this (single-threaded, fresh) worker into an empty network namespace; how its network is isolated.

    An empty namespace has only a loopback interface that is down, so no
    connection leaves, whatever the code does (``_socket``, ctypes, a child
    program). With CAP_SYS_ADMIN (root) a plain network namespace; otherwise a
    user namespace around it, this user mapped to itself so files keep their
    owner. Where neither is allowed (not Linux, a container without the
    capability, unprivileged user namespaces switched off), only the socket
    guard of `disable_network` stands, and the returned text says so.
    """
    if not sys.platform.startswith("linux"):
        return f"{SOCKET_GUARD_ONLY} (network namespaces are Linux only)"
    try:
        if not _unshare(_CLONE_NEWNET):
            return "network namespace (empty: loopback down)"
        uid, gid = os.getuid(), os.getgid()
        refused = _unshare(_CLONE_NEWUSER | _CLONE_NEWNET)
    except (OSError, AttributeError) as exc:  # no libc unshare
        return f"{SOCKET_GUARD_ONLY} (unshare unavailable: {exc})"
    if refused:
        return f"{SOCKET_GUARD_ONLY} (unshare of a network namespace refused here: {refused})"
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w", encoding="ascii") as handle:
                handle.write(text)
        except OSError:  # the namespaces stand; only the id mapping is missing (ids show as "nobody")
            pass
    return "user and network namespace (empty: loopback down)"


def disable_network() -> None:
    """Refuse network sockets (AF_UNIX stays, for local pipes) and name lookups, with a clear error.

    A guard against extractors that fetch things (a URL, a suffix list), so
    results never depend on the network and the error says why; it is the
    network namespace (`enter_network_namespace`) that stops hostile code
    reaching `_socket` directly or through a child program.
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
