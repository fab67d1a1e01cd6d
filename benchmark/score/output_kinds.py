"""What an extractor returns (plain text, Markdown or HTML) and the one plain text the token metrics read from it.

An adapter declares its output kind (`ExtractorSpec.output`); the raw output
is kept as returned (extractions.jsonl), and every token metric, leak check
and alignment reads `scored_text`:

* ``text``: the output as it is;
* ``markdown`` and ``html``: the output read into the gold's structure marks
  (`benchmark.corpus.marking`), then the marks removed exactly as the gold's
  are (`goldmarks.plain_text`): blocks separated by a blank line, list items
  and table rows one per line, table cells separated by a tab, no ``#``,
  ``- ``, ``1. ``, ``> ``, ``|`` or ``|---|`` left, images dropped, link text
  kept. So a Markdown extractor is neither rewarded nor punished for its
  markup: an ordered list's numbers are not tokens, a table's bars are not text.
"""

from __future__ import annotations

import functools

__all__ = ["OUTPUT_KINDS", "marked_output", "scored_text", "extraction_text"]

OUTPUT_KINDS = ("text", "markdown", "html")


def _check(kind: str) -> None:
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"unknown output kind {kind!r}: one of {', '.join(OUTPUT_KINDS)}")


@functools.lru_cache(maxsize=64)
def marked_output(text: str, kind: str) -> str | None:
    """The output in the gold's marked form; None for plain text, which carries no structure."""
    _check(kind)
    from benchmark.corpus.marking import html_to_marked, markdown_to_marked

    if kind == "text":
        return None
    return markdown_to_marked(text) if kind == "markdown" else html_to_marked(text)


def scored_text(text: str, kind: str = "text") -> str:
    """The plain text every token metric of this output reads (see the module docstring)."""
    _check(kind)
    if kind == "text" or not text:
        return text or ""
    from benchmark.corpus.goldmarks import plain_text

    return plain_text(marked_output(text, kind) or "")


def extraction_text(extraction) -> str:
    """`scored_text` of an Extraction's output, by its recorded kind."""
    return scored_text(extraction.text or "", getattr(extraction, "output", "text"))
