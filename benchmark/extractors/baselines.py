"""The two baselines: all visible text (recall ceiling, precision floor) and the gold itself (scorer check)."""

from __future__ import annotations

from benchmark.records import PageInput


def full_text(page: PageInput, *, include_noscript: bool = True, include_jsonld_body: bool = False) -> str:
    """All visible text of the decoded page, one block per line, as a reader would see it."""
    from benchmark.corpus.visible_text import visible_text

    return visible_text(page.html, include_noscript=include_noscript, include_jsonld_body=include_jsonld_body)


def gold(page: PageInput) -> str:
    """The page's gold text; scoring it must give F1 1.0, or the scorer is broken."""
    if page.gold is None:
        raise ValueError(f"{page.page_id}: no gold body text (snippet-only dataset?); "
                         "the gold baseline needs spec.needs_gold=True and a body gold")
    return page.gold
