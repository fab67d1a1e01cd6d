"""External command extractors: tools in other languages or other virtual environments.

Two modes, both given the harness-decoded page so every tool sees the same
characters:

- ``cmd:<command line>`` (``run_command``): one process per page; the page
  goes to stdin as UTF-8 bytes (``utf8_document``: XML declaration dropped,
  every meta charset rewritten to utf-8, one inserted if there was none, so a
  tool that sniffs the charset from the bytes reads them right); stdout,
  decoded as UTF-8, is the text. A non-zero exit is an error with the tail of
  stderr. Process start-up is inside the timed call.
- ``jsonl:<command line>`` (``run_jsonl``): one long-lived process per worker;
  per page one JSON object per line on stdin ``{"id", "url", "language",
  "html"}`` (html as a JSON string, no charset question), one line back
  ``{"text": ...}`` or ``{"error": ...}``. Start-up is paid once, outside the
  page timings after the warm-up page.

Neither starts a new session: when the runner kills a hung worker's process
group, the tool dies with it.
"""

from __future__ import annotations

import atexit
import json
import re
import subprocess
import sys
from typing import Any, Mapping, Sequence

from benchmark.records import PageInput

_XML_DECLARATION_RE = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET_RE = re.compile(r"(<meta\b[^>]*?\bcharset\s*=\s*[\"']?)([\w:.-]+)", re.IGNORECASE)
_DOCTYPE_RE = re.compile(r"^\s*<!doctype[^>]*>", re.IGNORECASE)
_STDERR_TAIL = 2000


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


def run_command(page: PageInput, *, command: Sequence[str], input_encoding: str = "utf-8") -> str:
    """Run the command once for this page: UTF-8 HTML on stdin, text on stdout."""
    if input_encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ValueError(f"unsupported input_encoding {input_encoding!r}")
    done = subprocess.run(list(command), input=utf8_document(page.html), capture_output=True, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    if stderr:
        sys.stderr.write(stderr)
    if done.returncode != 0:
        raise ExternalCommandError(f"{command[0]} exited with status {done.returncode}: {stderr[-_STDERR_TAIL:].strip()}")
    return done.stdout.decode("utf-8", "replace")


_SERVERS: dict[tuple[str, ...], subprocess.Popen] = {}


def _server(command: Sequence[str]) -> subprocess.Popen:
    """The running JSON-lines process for this command, started on first use (and after it died)."""
    key = tuple(command)
    proc = _SERVERS.get(key)
    if proc is None or proc.poll() is not None:
        proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=None, text=True, encoding="utf-8", errors="replace", bufsize=1)
        if not _SERVERS:
            atexit.register(close_servers)
        _SERVERS[key] = proc
    return proc


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


def run_jsonl(page: PageInput, *, command: Sequence[str], protocol: str = "jsonl-v1") -> str:
    """Send one page to the long-lived process and read its one-line JSON answer."""
    if protocol != "jsonl-v1":
        raise ValueError(f"unsupported protocol {protocol!r}")
    return run_jsonl_request(command, page, {})


def run_jsonl_request(command: Sequence[str], page: PageInput, extra: Mapping[str, Any],
                      html: str | None = None) -> str:
    """One request to the JSON-lines process for `command`: page fields plus `extra`; returns its text."""
    proc = _server(command)
    request = {"id": page.page_id, "url": page.url, "language": page.language,
               "html": page.html if html is None else html, **extra}
    try:
        proc.stdin.write(json.dumps(request, ensure_ascii=True) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
    except (BrokenPipeError, OSError) as exc:
        _SERVERS.pop(tuple(command), None)
        raise ExternalCommandError(f"{command[0]} stopped reading requests: {exc}") from None
    if not line:
        _SERVERS.pop(tuple(command), None)
        raise ExternalCommandError(f"{command[0]} exited with status {proc.wait()} without answering")
    try:
        reply = json.loads(line)
    except json.JSONDecodeError:
        raise ExternalCommandError(f"{command[0]} answered with a line that is not JSON: {line[:200]!r}") from None
    if not isinstance(reply, dict):
        raise ExternalCommandError(f"{command[0]} answered {type(reply).__name__}, expected an object")
    if reply.get("error"):
        raise ExternalCommandError(f"{command[0]}: {reply['error']}")
    text = reply.get("text")
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ExternalCommandError(f"{command[0]} answered text of type {type(text).__name__}")
    return text
