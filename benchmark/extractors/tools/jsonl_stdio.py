"""The request loop of the JSON-lines tools that run in another venv (standard library only).

A tool script imports this from its own folder and calls ``serve(extract,
library)``: sockets are refused and tldextract gets no suffix-list URLs
before the library is imported (and, for an older tldextract that ignores
the environment, none after); then one request per stdin line ({"id",
"url", "language", "html", ...}) gets one reply per stdout line ({"id",
"text"} or {"id", "error"}); whatever the library prints goes to stderr.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import sys
from typing import Callable


def _refuse(*_args, **_kwargs):
    """Every connection attempt fails at once: the benchmark is offline."""
    raise OSError("network disabled by boilerbench")


def offline() -> None:
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""


def _patch_tldextract() -> None:
    """Older tldextract ignores the environment variable: give its default extractor no URLs."""
    try:
        from tldextract import tldextract as module
    except ImportError:
        return
    current = getattr(module, "TLD_EXTRACTOR", None)
    if current is not None and getattr(current, "suffix_list_urls", ()):
        module.TLD_EXTRACTOR = module.TLDExtract(suffix_list_urls=(), fallback_to_snapshot=True)


def serve(extract: Callable[[dict], str], library: str) -> int:
    """Answer requests until stdin closes."""
    replies, sys.stdout = sys.stdout, sys.stderr
    offline()
    importlib.import_module(library)  # import once, before the first page
    _patch_tldextract()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = {"id": request.get("id"), "text": extract(request)}
        except Exception as exc:  # the harness records it as outcome error
            reply = {"id": request.get("id"), "error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply, ensure_ascii=True) + "\n")
        replies.flush()
    return 0
