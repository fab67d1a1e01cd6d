"""Hostile extractors for the hostile-input suite, registered only in tests.

Each behaves (returns the page's text) except on pages whose HTML holds
`TRIGGER`, so a test can show the run goes on to the next page. Plugins take
the decoded HTML (the `module:function` plugin convention); options, where a
probe needs them, come from environment variables, which do not enter the
cache key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

#: the marker a hostile page carries
TRIGGER = "HOSTILE-TRIGGER"
#: where probes that start processes leave their pids (one file per process)
PID_DIR_VARIABLE = "BOILERBENCH_HOSTILE_PID_DIR"
#: the loopback port a network probe tries
PORT_VARIABLE = "BOILERBENCH_HOSTILE_PORT"
#: how many characters `huge_output` returns
CHARS_VARIABLE = "BOILERBENCH_HOSTILE_CHARS"
#: how many bytes `floods_stdout` writes
STDOUT_BYTES_VARIABLE = "BOILERBENCH_HOSTILE_STDOUT_BYTES"

_TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(_TAG.sub(" ", html).split())


def _hostile(html: str) -> bool:
    return TRIGGER in html


def _leave_pid(pid: int, label: str) -> None:
    folder = os.environ.get(PID_DIR_VARIABLE)
    if folder:
        Path(folder, f"{label}-{pid}.pid").write_text(str(pid))


def huge_output(html: str) -> str:
    """Returns a string of `"word " * n`: the 200 MB probe when n is 40,000,000."""
    if _hostile(html):
        return "word " * (int(os.environ.get(CHARS_VARIABLE, "40000000")) // 5)
    return _text(html)


def setsid_child(html: str) -> str:
    """Forks a child that leaves the worker's session (setsid) and sleeps, then returns at once."""
    if _hostile(html):
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                _leave_pid(os.getpid(), "setsid")
                time.sleep(300)
            finally:
                os._exit(0)
        time.sleep(0.2)  # the child has written its pid
    return _text(html)


def daemon_grandchild(html: str) -> str:
    """Double fork: the child starts a grandchild in a session of its own and exits, orphaning it."""
    if _hostile(html):
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
                if os.fork() == 0:
                    _leave_pid(os.getpid(), "daemon")
                    time.sleep(300)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.2)
    return _text(html)


def setsid_exec(html: str) -> str:
    """Starts a program in a new session (start_new_session) that outlives the call."""
    if _hostile(html):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True)
        _leave_pid(child.pid, "exec")
        time.sleep(0.1)
    return _text(html)


def raw_socket_connect(html: str) -> str:
    """Connects to a loopback port through `_socket`, under the harness's guard on `socket`."""
    if _hostile(html):
        import _socket

        sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        sock.settimeout(5)
        try:
            sock.connect(("127.0.0.1", int(os.environ[PORT_VARIABLE])))
        finally:
            sock.close()
        return "connected"
    return _text(html)


def subprocess_connect(html: str) -> str:
    """Connects to a loopback port from a fresh Python started by the extractor (no guard in it)."""
    if _hostile(html):
        code = ("import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5); "
                "print('connected')")
        done = subprocess.run([sys.executable, "-c", code, os.environ[PORT_VARIABLE]], capture_output=True,
                              text=True, timeout=30)
        if done.returncode != 0:
            raise OSError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
        return done.stdout.strip()
    return _text(html)


def create_connection(html: str) -> str:
    """socket.create_connection to a loopback port, as a library fetching a URL would."""
    if _hostile(html):
        import socket

        with socket.create_connection(("127.0.0.1", int(os.environ[PORT_VARIABLE])), timeout=5):
            pass
        return "connected"
    return _text(html)


def floods_stdout(html: str) -> str:
    """Writes many megabytes to stdout (the 500 MB probe), then returns the text."""
    if _hostile(html):
        total = int(os.environ.get(STDOUT_BYTES_VARIABLE, str(500 * 1024 * 1024)))
        block = b"x" * (1 << 20)
        written = 0
        while written < total:
            written += os.write(1, block[: min(len(block), total - written)])
    return _text(html)


def chdir_and_environ(html: str) -> str:
    """Changes the working folder and the environment, as a careless library might."""
    os.chdir("/")
    os.environ["PATH"] = ""
    os.environ["HOME"] = "/nonexistent"
    os.environ["BOILERBENCH_HOSTILE_MARK"] = "set"
    return _text(html)


def sees_environment(html: str) -> str:
    """What the next extractor sees: its working folder and whether the mark leaked into it."""
    return f"cwd={os.getcwd()} mark={os.environ.get('BOILERBENCH_HOSTILE_MARK', 'unset')} {_text(html)}"


def non_string(html: str):
    """Returns bytes on a hostile page: not text."""
    return html.encode("utf-8") if _hostile(html) else _text(html)


#: seconds `slow_text` sleeps per page
SLEEP_VARIABLE = "BOILERBENCH_HOSTILE_SLEEP"


def slow_text(html: str) -> str:
    """The text, after a pause: gives a test time to kill the harness mid-run."""
    time.sleep(float(os.environ.get(SLEEP_VARIABLE, "0")))
    return _text(html)


def setsid_then_hang(html: str) -> str:
    """Starts a child in a session of its own, then hangs until the deadline kills the worker."""
    if _hostile(html):
        setsid_child(html)
        time.sleep(3600)
    return _text(html)


def children_then_hang(html: str) -> str:
    """Forks a child and execs another program, both sleeping, then hangs: the held fork-and-exec probe."""
    if _hostile(html):
        pid = os.fork()
        if pid == 0:
            try:
                _leave_pid(os.getpid(), "fork")
                time.sleep(300)
            finally:
                os._exit(0)
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
        _leave_pid(child.pid, "exec")
        time.sleep(3600)
    return _text(html)


class _LyingString(str):
    """A str that claims to be one character long and turns into ten million when converted."""

    def __len__(self) -> int:
        return 1

    def isascii(self) -> bool:
        return True

    def __str__(self) -> str:
        return "x" * 10_000_000


def lying_string(html: str) -> str:
    """Returns a str subclass that lies about its size (5,000 characters that say they are 1)."""
    return _LyingString("word " * 1000) if _hostile(html) else _text(html)


def stops_keeper_then_hangs(html: str) -> str:
    """Sends SIGSTOP to the process above the worker (its keeper), then hangs: the harness must not wait for ever."""
    if _hostile(html):
        import signal

        _leave_pid(os.getppid(), "keeper")
        _leave_pid(os.getpid(), "worker")
        os.kill(os.getppid(), signal.SIGSTOP)
        time.sleep(3600)
    return _text(html)
