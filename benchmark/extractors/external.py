"""External command extractors: tools in other languages or other virtual environments.

Two modes, both given the harness-decoded page so every tool sees the same
characters:

- per-page (``run_command``; ``cmd:<command line>``, ``mode = "per-page"``):
  one process per page; the page goes to stdin as UTF-8 bytes
  (``utf8_document``: XML declaration dropped, every meta charset rewritten
  to utf-8, one inserted if there was none, so a tool that sniffs the charset
  from the bytes reads them right), or with ``input = "raw"`` the bytes
  exactly as saved; stdout, decoded as UTF-8, is the text. A non-zero exit is
  an error with the tail of stderr. Process start-up is inside the timed call.
- long-lived (``run_jsonl``; ``jsonl:<command line>``, ``mode = "jsonl"``):
  one process per worker; per page one JSON object per line on stdin
  ``{"id", "url", "language", "html"}`` (html as a JSON string, no charset
  question; with ``input = "raw"`` also ``raw_base64``), one line back
  ``{"text": ...}`` or ``{"error": ...}`` (an ``"id"`` in the reply must be the
  request's). Start-up is paid once, in the worker's import/warm-up phase,
  outside the page timings.

Deadlines and clean-up: neither mode starts a new session, so the tool is in
its worker's process group; when a call passes its deadline the runner
SIGKILLs that group (the tool with it) and the next page gets a fresh worker,
which starts a fresh tool. A reply that breaks the protocol (not JSON, wrong
id) stops the tool too, so one bad line cannot shift every later answer.

Network (``network = "deny"``, the default): the tool is started under
``unshare --net --map-root-user`` when this system allows unprivileged user
and network namespaces (probed once per process; measured here: 3 ms per
start). Inside, only a loopback interface that is down exists, so no
connection can leave, whatever the language. Where namespaces are refused
(some hardened kernels, macOS, containers without the capability) the tool
runs with the network it would have had, and one line on its stderr says so:
the Python worker's socket guard does not reach child processes.
``network = "allow"`` never isolates (a tool that needs a local service).
"""

from __future__ import annotations

import atexit
import base64
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

from benchmark.records import PageInput

_XML_DECLARATION_RE = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET_RE = re.compile(r"(<meta\b[^>]*?\bcharset\s*=\s*[\"']?)([\w:.-]+)", re.IGNORECASE)
_DOCTYPE_RE = re.compile(r"^\s*<!doctype[^>]*>", re.IGNORECASE)
_STDERR_TAIL = 2000
NETWORK_MODES = ("deny", "allow")
INPUTS = ("html", "raw")
#: the unshare call that gives a process an empty network namespace without privileges
UNSHARE_NET = ("unshare", "--net", "--map-root-user")


class ExternalCommandError(RuntimeError):
    """The external tool failed: its exit status or its own error message, with stderr's tail."""


def utf8_document(html: str) -> bytes:
    """The decoded page as UTF-8 bytes whose every charset declaration says UTF-8."""
    html = _XML_DECLARATION_RE.sub("", html, count=1).lstrip("\ufeff")
    html, rewritten = _META_CHARSET_RE.subn(lambda m: m.group(1) + "utf-8", html)
    if not rewritten:
        doctype = _DOCTYPE_RE.match(html)
        at = doctype.end() if doctype else 0
        html = html[:at] + '<meta charset="utf-8">' + html[at:]
    return html.encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- network


@functools.lru_cache(maxsize=None)
def network_namespace_available() -> bool:
    """Whether `unshare --net --map-root-user` works here (probed once per process, never raises)."""
    if not sys.platform.startswith("linux") or shutil.which(UNSHARE_NET[0]) is None:
        return False
    try:
        done = subprocess.run([*UNSHARE_NET, "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def isolated(command: Sequence[str], network: str) -> tuple[list[str], str]:
    """The argv to start (wrapped in a network namespace when denied and possible) and a notice, if any."""
    if network not in NETWORK_MODES:
        raise ValueError(f"network must be one of {', '.join(NETWORK_MODES)}, got {network!r}")
    if network == "allow":
        return list(command), ""
    if network_namespace_available():
        return [*UNSHARE_NET, "--", *command], ""
    return list(command), (f"boilerbench: no network namespace available here (unshare --net --map-root-user "
                           f"failed); {command[0]} runs with the network it would have had\n")


# --------------------------------------------------------------------------- per-page mode


def run_command(page: PageInput, *, command: Sequence[str], mode: str = "per-page", input: str = "html",
                network: str = "deny", cwd: str | None = None, file_sha256: Mapping[str, str] | None = None,
                version: str | None = None, version_cmd: Sequence[str] | None = None) -> str:
    """Run the command once for this page: the page on stdin, text on stdout.

    ``file_sha256``, ``version`` and ``version_cmd`` are facts recorded in the
    spec (so they reach the options digest and the cache key); they do not
    change the call.
    """
    if mode != "per-page":
        raise ValueError(f"run_command runs per-page commands, not mode {mode!r}")
    if input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, got {input!r}")
    argv, notice = isolated(command, network)
    if notice:
        sys.stderr.write(notice)
    data = page.raw if input == "raw" else utf8_document(page.html)
    done = subprocess.run(argv, input=data, capture_output=True, check=False, cwd=cwd or None)
    stderr = done.stderr.decode("utf-8", "replace")
    if stderr:
        sys.stderr.write(stderr)
    if done.returncode != 0:
        raise ExternalCommandError(f"{command[0]} exited with status {done.returncode}: {stderr[-_STDERR_TAIL:].strip()}")
    return done.stdout.decode("utf-8", "replace")


# --------------------------------------------------------------------------- long-lived mode

_SERVERS: dict[tuple[Any, ...], subprocess.Popen] = {}


def _server_key(command: Sequence[str], network: str, cwd: str | None) -> tuple[Any, ...]:
    """One server per distinct way of starting it."""
    return (tuple(command), network, cwd or "")


def _server(command: Sequence[str], network: str = "deny", cwd: str | None = None) -> subprocess.Popen:
    """The running JSON-lines process for this command, started on first use (and after it died).

    Started in this worker's process group (no new session), stderr to the
    worker's stderr (captured per pair by the runner), stdout a pipe of
    replies, stdin a pipe of requests.
    """
    key = _server_key(command, network, cwd)
    proc = _SERVERS.get(key)
    if proc is None or proc.poll() is not None:
        argv, notice = isolated(command, network)
        if notice:
            sys.stderr.write(notice)
            sys.stderr.flush()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
                                text=True, encoding="utf-8", errors="replace", bufsize=1, cwd=cwd or None)
        if not _SERVERS:
            atexit.register(close_servers)
        _SERVERS[key] = proc
    return proc


def _stop(key: tuple[Any, ...]) -> int | None:
    """Kill one server (its answers can no longer be trusted) and forget it; its exit status."""
    proc = _SERVERS.pop(key, None)
    if proc is None:
        return None
    if proc.poll() is None:
        proc.kill()
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        return None


def server_pids() -> list[int]:
    """Pids of the JSON-lines processes this worker runs (for tests and diagnostics)."""
    return [proc.pid for proc in _SERVERS.values() if proc.poll() is None]


def close_servers() -> None:
    """Stop every JSON-lines process this worker started (at exit, or from tests)."""
    while _SERVERS:
        _key, proc = _SERVERS.popitem()
        if proc.poll() is None:
            try:
                proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()


def run_jsonl(page: PageInput, *, command: Sequence[str], mode: str = "jsonl", protocol: str = "jsonl-v1",
              input: str = "html", network: str = "deny", cwd: str | None = None,
              file_sha256: Mapping[str, str] | None = None, version: str | None = None,
              version_cmd: Sequence[str] | None = None) -> str:
    """Send one page to the long-lived process and read its one-line JSON answer."""
    if mode != "jsonl":
        raise ValueError(f"run_jsonl runs long-lived commands, not mode {mode!r}")
    if protocol != "jsonl-v1":
        raise ValueError(f"unsupported protocol {protocol!r}")
    if input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, got {input!r}")
    extra = {"raw_base64": base64.b64encode(page.raw).decode("ascii")} if input == "raw" else {}
    return run_jsonl_request(command, page, extra, network=network, cwd=cwd)


def run_jsonl_request(command: Sequence[str], page: PageInput, extra: Mapping[str, Any],
                      html: str | None = None, *, network: str = "deny", cwd: str | None = None) -> str:
    """One request to the JSON-lines process for `command`: page fields plus `extra`; returns its text."""
    key = _server_key(command, network, cwd)
    proc = _server(command, network, cwd)
    request = {"id": page.page_id, "url": page.url, "language": page.language,
               "html": page.html if html is None else html, **extra}
    try:
        proc.stdin.write(json.dumps(request, ensure_ascii=True) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
    except (BrokenPipeError, OSError) as exc:
        status = _stop(key)
        raise ExternalCommandError(f"{command[0]} stopped reading requests ({exc}); exit status {status}") from None
    if not line:
        status = _stop(key)
        raise ExternalCommandError(f"{command[0]} exited with status {status} without answering")
    try:
        reply = json.loads(line)
    except json.JSONDecodeError:
        _stop(key)
        raise ExternalCommandError(f"{command[0]} answered with a line that is not JSON: {line[:200]!r}; "
                                   "stopped (the next page starts it afresh)") from None
    if not isinstance(reply, dict):
        _stop(key)
        raise ExternalCommandError(f"{command[0]} answered {type(reply).__name__}, expected an object; stopped")
    if "id" in reply and reply["id"] is not None and reply["id"] != page.page_id:
        _stop(key)
        raise ExternalCommandError(f"{command[0]} answered for page {reply['id']!r} while asked for "
                                   f"{page.page_id!r}; stopped (the next page starts it afresh)")
    if reply.get("error"):
        raise ExternalCommandError(f"{command[0]}: {reply['error']}")
    text = reply.get("text")
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ExternalCommandError(f"{command[0]} answered text of type {type(text).__name__}")
    return text


# --------------------------------------------------------------------------- facts for specs


def file_digests(command: Sequence[str], cwd: str | Path | None = None) -> dict[str, str]:
    """sha256 of every argument that names an existing file (a script, a jar): edits change the cache key."""
    import hashlib

    base = Path(cwd) if cwd else Path.cwd()
    digests: dict[str, str] = {}
    for index, arg in enumerate(command):
        if arg.startswith("-") or (index == 0 and os.sep not in arg):
            continue  # options, and a program found on PATH (its version says what it is)
        path = base / arg
        try:
            if not path.is_file():
                continue
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            continue
        digests[arg] = digest.hexdigest()
    return digests


def command_version(version_cmd: Sequence[str], *, cwd: str | Path | None = None, timeout: float = 30.0) -> str:
    """The first line the version command prints; raises ValueError saying why when it fails."""
    try:
        done = subprocess.run(list(version_cmd), stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                              check=False, cwd=str(cwd) if cwd else None)
    except FileNotFoundError:
        raise ValueError(f"version command {version_cmd[0]!r} not found") from None
    except subprocess.TimeoutExpired:
        raise ValueError(f"version command took more than {timeout:g} s") from None
    except OSError as exc:
        raise ValueError(f"version command cannot start: {exc}") from None
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ValueError(f"version command exited with status {done.returncode}: {err}")
    for line in out.splitlines():
        if line.strip():
            return line.strip()[:200]
    raise ValueError("version command printed nothing")
