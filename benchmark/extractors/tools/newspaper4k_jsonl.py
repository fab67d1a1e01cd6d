"""newspaper4k behind boilerbench's JSON-lines protocol; run by newspaper4k's own venv python.

newspaper4k and newspaper3k both install the module `newspaper`, so this
script runs in a separate interpreter and needs only the standard library and
newspaper4k. One request per stdin line: {"id", "url", "language", "html",
"fetch_images", "follow_meta_refresh", "memoize_articles"}; one reply per line:
{"id", "text"} or {"id", "error"}. Sockets are refused before newspaper is
imported: nothing here may touch the network.
"""

from __future__ import annotations

import json
import os
import socket
import sys


def _refuse(*_args, **_kwargs):
    """Every connection attempt fails at once: the benchmark is offline."""
    raise OSError("network disabled by boilerbench")


def _offline() -> None:
    """No sockets, and tldextract (imported by newspaper) with no suffix-list URLs."""
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


def extract(request: dict) -> str:
    """newspaper4k's article text for one request."""
    import newspaper
    from newspaper.utils import get_available_languages

    kwargs = {"fetch_images": bool(request.get("fetch_images", False)),
              "follow_meta_refresh": bool(request.get("follow_meta_refresh", False)),
              "memoize_articles": bool(request.get("memoize_articles", False))}
    language = (request.get("language") or "").replace("_", "-").split("-")[0].lower()
    if language and language in get_available_languages():
        kwargs["language"] = language
    article = newspaper.Article(request.get("url") or "http://localhost/", **kwargs)
    article.download(input_html=request["html"])
    article.parse()
    return article.text or ""


def main() -> int:
    """Answer requests until stdin closes; anything the library prints goes to stderr, not the replies."""
    replies, sys.stdout = sys.stdout, sys.stderr
    _offline()
    import newspaper  # noqa: F401  (import once, before the first page)

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


if __name__ == "__main__":
    sys.exit(main())
