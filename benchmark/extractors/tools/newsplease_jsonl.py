"""news-please's extractor on saved HTML behind boilerbench's JSON-lines protocol; run by its own venv's python.

news-please depends on newspaper4k, which installs the module `newspaper`
like newspaper3k, so it runs in a separate interpreter with only the standard
library and news-please. ``NewsPlease.from_html(html, url, fetch_images=False)``
runs its extractor chain (newspaper, readability, date and language
extractors) on the given page: no crawling, no download. The reply's text is
the article's ``maintext`` ("" when none). Network refused (jsonl_stdio.py).
"""

from __future__ import annotations

import sys

from jsonl_stdio import serve


def extract(request: dict) -> str:
    """news-please's maintext for one request."""
    from newsplease import NewsPlease

    article = NewsPlease.from_html(request["html"], url=request.get("url") or "http://localhost/",
                                   fetch_images=False)
    return (getattr(article, "maintext", None) or "") if article is not None else ""


if __name__ == "__main__":
    sys.exit(serve(extract, "newsplease"))
