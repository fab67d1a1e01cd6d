"""Fake extractors for the runner tests, each misbehaving the way a real library can; and tiny pages.

Every fake behaves (returns the page's text) except on pages whose id starts
with "bad", so a test can show the run goes on to the next page. The worker's
warm-up page ("__warmup__") is a good page, so warm-up never trips a fake.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path

from benchmark.records import Card, Page, PageInput

_TAG = re.compile(r"<[^>]+>")


def page(page_id: str, body: str | None = None, *, language: str = "en") -> Page:
    """A tiny decoded page whose visible text is `body`."""
    body = body if body is not None else f"Text of {page_id}."
    html = f"<html><body><p>{body}</p></body></html>"
    raw = html.encode("utf-8")
    card = Card(url=f"https://example.com/{page_id}", site="example", language=language, published=None)
    return Page(page_id=page_id, path=f"pages/{page_id}.html", raw=raw, encoding="utf-8",
                encoding_source="meta", sha256=hashlib.sha256(raw).hexdigest(), card=card)


def _bad(page: PageInput) -> bool:
    return page.page_id.startswith("bad")


def echo(page: PageInput, **_options: object) -> str:
    """The page's text without tags: the well-behaved extractor."""
    return " ".join(_TAG.sub(" ", page.html).split())


def hang(page: PageInput, seconds: float = 3600.0) -> str:
    if _bad(page):
        time.sleep(seconds)
    return echo(page)


def spin(page: PageInput) -> str:
    """Hangs in pure Python bytecode (no sleep), as a runaway regex or loop would."""
    while _bad(page):
        pass
    return echo(page)


def raises(page: PageInput) -> str:
    if _bad(page):
        raise ValueError(f"cannot parse {page.page_id}")
    return echo(page)


def exits(page: PageInput, code: int = 3) -> str:
    if _bad(page):
        os._exit(code)
    return echo(page)


def segfault(page: PageInput) -> str:
    if _bad(page):
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(5)
    return echo(page)


def chatty(page: PageInput) -> str:
    """Prints on stdout and stderr, including bytes that look like a protocol frame header."""
    print(f"hello from the extractor on {page.page_id}")
    sys.stdout.write("\x00\x00\x00\x00\x00\x00\x00\x10not a frame\n")
    print(f"a warning about {page.page_id}", file=sys.stderr)
    os.write(1, b"raw fd write\n")
    return echo(page)


def hog(page: PageInput) -> str:
    """Allocates without bound until the memory cap stops it."""
    chunks = []
    while _bad(page):
        chunks.append(bytearray(32 * 1024 * 1024))
    return echo(page)


def network(page: PageInput, port: int = 9, lookup: bool = False) -> str:
    """Tries to connect to a loopback port (never the outside world, even if the guard failed)."""
    if _bad(page):
        if lookup:
            socket.getaddrinfo("localhost", port)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        return "connected"
    return echo(page)


def raw_socket(page: PageInput, port: int = 9) -> str:
    if _bad(page):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        return "connected"
    return echo(page)


def unix_socketpair(page: PageInput) -> str:
    """Local AF_UNIX sockets stay allowed: asyncio and multiprocessing need them."""
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"local")
        return b.recv(16).decode() + " " + echo(page)


def empty(page: PageInput) -> str:
    return "  \n\t" if _bad(page) else echo(page)


def lie(page: PageInput) -> str:
    """Returns something that is not text."""
    return 42 if _bad(page) else echo(page)  # type: ignore[return-value]


def returns_gold(page: PageInput) -> str:
    return page.gold if page.gold is not None else "NO GOLD"


def shows_gold(page: PageInput) -> str:
    return f"gold={page.gold!r}"


def slow(page: PageInput, seconds: float = 0.2) -> str:
    time.sleep(seconds)
    return echo(page).upper()


def pid_then_hang(page: PageInput, pid_dir: str = "") -> str:
    """Leaves its pid (and its child's) in pid_dir, then hangs: for the orphan test."""
    if page.page_id == "__warmup__":
        return "warm"
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    Path(pid_dir, f"{os.getpid()}.pid").write_text(f"{os.getpid()} {child.pid}")
    time.sleep(3600)
    return "never"


def missing_library(page: PageInput) -> str:
    import boilerbench_no_such_library  # noqa: F401

    return echo(page)


def broken_warmup(page: PageInput) -> str:
    """Raises on the warm-up page only: the note says so, real pages still run."""
    if page.page_id == "__warmup__":
        raise RuntimeError("warm-up page not understood")
    return echo(page)


def hangs_in_warmup(page: PageInput) -> str:
    if page.page_id == "__warmup__":
        time.sleep(3600)
    return echo(page)


#: environment variable naming the file counts_calls appends to (an env var, so the options digest stays put)
CALL_LOG_VARIABLE = "BOILERBENCH_TEST_CALL_LOG"


def counts_calls(page: PageInput, seconds: float = 0.05) -> str:
    """Appends "page_id pid" to a log file: shows which pairs were really computed, and by whom."""
    with open(os.environ[CALL_LOG_VARIABLE], "a", encoding="utf-8") as handle:
        handle.write(f"{page.page_id} {os.getpid()}\n")
    time.sleep(seconds)
    return echo(page)


def stamps(page: PageInput) -> str:
    """When the call started, on the system-wide monotonic clock the harness reads too (Linux)."""
    return f"started at {time.monotonic():.6f}"


def pollute(page: PageInput) -> str:
    """Leaves global state behind, as a library patching a shared module would."""
    import builtins

    builtins.BOILERBENCH_POLLUTED = True  # type: ignore[attr-defined]
    return echo(page)


def sees_pollution(page: PageInput) -> str:
    import builtins

    return f"polluted={hasattr(builtins, 'BOILERBENCH_POLLUTED')}"


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is dead): what the tests ask of a worker that must be gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")
