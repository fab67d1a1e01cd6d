"""Per-page facts the split tables group by: one row of pages.csv per page.

Site, language, era, charset family and layout tags come from the card and
the decoding; difficulty is the share of the page's visible tokens that are
gold (low = hard). A page's visible tokens are what the full-text baseline
outputs, so they are counted from its output when it runs, and kept in the
cache for later runs. A run without it takes them from the cache, and where
no earlier run counted them the page's difficulty is left empty (the split by
difficulty then has nothing to show): counting them would mean parsing every
page in the harness, which measured as costly as the extractor under test
and was the largest part of the harness's overhead.
"""

from __future__ import annotations

from typing import Any, Sequence

from benchmark.records import Corpus, Extraction, ExtractorSpec, Gold, Outcome, Page, PageScore

#: the baseline whose output is the page's visible text: its token count is the page's, parsed once
FULL_TEXT = "full-text"
#: the page's <title> is looked for in its first bytes only, and kept this short
_TITLE_BYTES = 65536
_TITLE_CHARS = 120


def page_title(page: Page) -> str:
    """The page's own <title>, whitespace collapsed and cut: a readable name beside a hashed page id."""
    import html
    import re

    head = page.raw[:_TITLE_BYTES].decode(page.encoding, errors="replace")
    match = re.search(r"<title\b[^>]*>(.*?)</title\s*>", head, re.I | re.S)
    if not match:
        return ""
    title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", match.group(1))).split())
    return title if len(title) <= _TITLE_CHARS else title[:_TITLE_CHARS - 1].rstrip() + "…"


def page_row(page: Page, gold: Gold | None, page_tokens: int | None = None,
             gold_tokens: int | None = None, *, parse: bool = True) -> dict[str, Any]:
    """Per-page facts the split tables group by: one row of pages.csv.

    Token counts not given are computed; with parse=False an unknown page
    token count (and so the difficulty) is left empty instead.
    """
    import json

    from benchmark.corpus.decoding import charset_family
    from benchmark.corpus.langid import script_family
    from benchmark.corpus.visible_text import visible_text
    from benchmark.score.textnorm import tokenize

    if gold_tokens is None or gold is None or not gold.text:
        gold_tokens = len(tokenize(gold.text)) if gold is not None and gold.text else 0
    if page_tokens is None and parse:
        page_tokens = len(tokenize(visible_text(page.html)))
    card = page.card
    extra = dict(card.extra)
    declared = extra.get("language_declared", "")
    return {
        "page_id": page.page_id,
        "site": card.site,
        "title": page_title(page),
        "language": card.language.split("-")[0].lower() if card.language else "und",
        # where the label came from: the declared one beside it when the language was identified from the text
        "language_declared": declared.split("-")[0].lower() if declared else "",
        "script": script_family(card.language),
        "published": card.published.isoformat() if card.published else "",
        "era": card.era,
        "encoding": page.encoding,
        "encoding_source": page.encoding_source,
        "charset_family": charset_family(dict(card.extra).get("charset") or page.encoding),
        "layout": json.dumps(list(card.layout)),
        "gold_tokens": gold_tokens,
        "page_tokens": page_tokens,  # None: unknown (an empty cell in pages.csv)
        # share of the page's visible tokens that are gold: low = hard
        "difficulty": None if page_tokens is None else (round(min(1.0, gold_tokens / page_tokens), 4)
                                                      if page_tokens else 0.0),
        "page_bytes": len(page.raw),
        "url": card.url,
    }


def pages_frame(corpus: Corpus, rows: dict[str, dict[str, Any]] | None = None, *, parse: bool = True):
    """pages.csv in corpus order; rows already computed (during the run) are reused."""
    import pandas as pd

    rows = rows if rows is not None else {}
    return pd.DataFrame([rows.get(page.page_id) or page_row(page, corpus.golds.get(page.page_id), parse=parse)
                         for page in corpus.pages])


class _PageTokenMemo:
    """Page visible-token counts kept in the extraction cache, so a warm re-run parses no page again."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache if cache is not None and hasattr(cache, "get_page_tokens") else None
        if self.cache is not None:
            from benchmark.run.cache import page_facts_digest

            self.code = page_facts_digest()

    def get(self, page: Page) -> int | None:
        return self.cache.get_page_tokens(page.sha256, page.encoding, self.code) if self.cache else None

    def put(self, page: Page, tokens: int) -> None:
        if self.cache is not None:
            self.cache.put_page_tokens(page.sha256, page.encoding, self.code, tokens)


class PageFacts:
    """pages.csv of one run, its rows taken as each page's first result lands."""

    def __init__(self, corpus: Corpus, specs: Sequence[ExtractorSpec], cache: Any = None) -> None:
        self.corpus = corpus
        self.pages = {page.page_id: page for page in corpus.pages}
        self.rows: dict[str, dict[str, Any]] = {}
        self.full_text_runs = any(spec.name == FULL_TEXT for spec in specs)
        self.memo = _PageTokenMemo(cache)

    def add(self, extraction: Extraction, score: PageScore) -> None:
        """The page's row, from the full-text output's token count, the cache, or a parse (once per page)."""
        page_id = extraction.page_id
        page, gold = self.pages[page_id], self.corpus.golds[page_id]
        gold_tokens = score.n_gold if gold.text is not None else None  # the score counted the gold's tokens
        if extraction.extractor == FULL_TEXT and extraction.outcome in (Outcome.OK, Outcome.EMPTY):
            self.rows[page_id] = page_row(page, gold, page_tokens=score.n_pred, gold_tokens=gold_tokens)
            if not extraction.cached:
                self.memo.put(page, score.n_pred)
        elif not self.full_text_runs and page_id not in self.rows:
            self.rows[page_id] = page_row(page, gold, page_tokens=self.memo.get(page), gold_tokens=gold_tokens,
                                          parse=False)

    def frame(self):
        """pages.csv in corpus order (a page no result reached has only its card's facts)."""
        return pages_frame(self.corpus, self.rows, parse=False)
