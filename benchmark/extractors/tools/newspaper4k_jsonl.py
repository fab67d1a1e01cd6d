"""newspaper4k behind boilerbench's JSON-lines protocol; run by newspaper4k's own venv python.

newspaper4k and newspaper3k both install the module `newspaper`, so this
script runs in a separate interpreter and needs only the standard library and
newspaper4k. One request per stdin line: {"id", "url", "language", "html",
"fetch_images", "follow_meta_refresh", "memoize_articles"}; one reply per line:
{"id", "text"} or {"id", "error"}. Sockets are refused before newspaper is
imported (jsonl_stdio.py): nothing here may touch the network.
"""

from __future__ import annotations

import sys

from jsonl_stdio import serve


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


if __name__ == "__main__":
    sys.exit(serve(extract, "newspaper"))
