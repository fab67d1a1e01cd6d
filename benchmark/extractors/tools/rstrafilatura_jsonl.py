"""rs-trafilatura (the Rust port of trafilatura, through its trafipy bindings) behind boilerbench's JSON-lines protocol.

rs-trafilatura publishes only a source distribution that compiles the Rust
crate and downloads its crates from crates.io; trafipy publishes wheels of the
same crate for Python >= 3.12 (abi3), so it runs in a venv of its own made
with a Python 3.12 or newer. ``trafipy.extract(html, url=...)`` with its
defaults (include_tables, include_links, include_images True,
include_comments False, favor_recall True, min_extracted_size 100,
deduplicate False); the reply's text is its GitHub-flavoured Markdown. It has
no HTTP client; the network is refused anyway (jsonl_stdio.py).
"""

from __future__ import annotations

import sys

from jsonl_stdio import serve


def extract(request: dict) -> str:
    """rs-trafilatura's Markdown for one request ("" when it extracts nothing)."""
    import trafipy

    result = trafipy.extract(request["html"], url=request.get("url") or None)
    return result.markdown or ""


if __name__ == "__main__":
    sys.exit(serve(extract, "trafipy"))
