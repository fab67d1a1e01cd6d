"""Markdown and HTML read into the gold's structure marks, so outputs and structured golds compare block by block.

The marked form is the bundled gold's (``benchmark.corpus.goldmarks``):
blocks separated by one blank line; ``## `` / ``### `` / ``#### `` subheads,
``- `` and ``1. `` list items, ``> `` quote lines, ``| a | b |`` table rows
with ``|---|`` under the header rows; any other line is paragraph text (a
backslash in front where it would otherwise read as a mark).

One reading for every source, so an extractor's Markdown, an extractor's
HTML, Readability's ``expected.html`` and WebMainBench's Markdown all become
the same blocks:

* ``html_to_marked(html)``: headings ``h1``/``h2`` -> ``## ``, ``h3`` ->
  ``### ``, ``h4``-``h6`` -> ``#### ``; ``ul``/``ol`` -> one item per ``li``
  (nested lists flattened into items of their own, after their parent item);
  ``blockquote`` -> quote lines (one per paragraph inside); ``table`` -> rows
  of ``th``/``td`` cells (nested tables' rows are not the outer table's), the
  header rows being those in ``thead``, else a first row of ``th`` only; every
  other block element (``p``, ``div``, ``pre``, ``figure`` ...) ends a
  paragraph, ``br`` ends a line; ``script``, ``style``, ``template``, ``svg``,
  images, form controls and comments give no text.
* ``markdown_to_marked(text)``: CommonMark with GFM tables (markdown-it-py),
  raw HTML kept, rendered to HTML and read as above; images give no text,
  links give their text, emphasis and code marks go.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

__all__ = ["html_to_marked", "markdown_to_marked", "marked_from_blocks"]

_SKIP = frozenset("script style template noscript svg math img picture source video audio iframe object embed "
                  "canvas input select option textarea button head title meta link map area".split())
_HEADING_LEVEL = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_BLOCKS = frozenset(
    "address article aside body center dd details dialog div dl dt fieldset figcaption figure footer form "
    "header hgroup hr html li main nav p pre section summary caption tbody thead tfoot tr td th".split())
#: elements whose text is never glued to its neighbours' when a block is read as one line
_SEPARATING = _BLOCKS | _LISTS | frozenset(_HEADING_LEVEL) | {"br", "table", "blockquote", "ul", "ol", "li"}
_SPACE_RE = re.compile(r"\s+")
_MARKUP_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """One line of text: whitespace runs collapsed, ends stripped."""
    return _SPACE_RE.sub(" ", text).strip()


class _Blocks:
    """Blocks in the making: ("p", lines) | ("h2".."h4", (text,)) | ("ul"/"ol", items) | ("quote", lines) | table."""

    def __init__(self) -> None:
        self.blocks: list[tuple] = []
        self._lines: list[str] = []
        self._line: list[str] = []

    def text(self, text: str | None) -> None:
        if text:
            self._line.append(text)

    def line_break(self) -> None:
        line = _clean("".join(self._line))
        if line:
            self._lines.append(line)
        self._line = []

    def flush(self) -> None:
        self.line_break()
        if self._lines:
            self.blocks.append(("p", tuple(self._lines)))
        self._lines = []

    def add(self, block: tuple) -> None:
        self.flush()
        self.blocks.append(block)


def _tag(element) -> str | None:
    """Lower-case tag name, None for comments and processing instructions."""
    tag = element.tag
    return tag.lower().rsplit("}", 1)[-1] if isinstance(tag, str) else None


def _inline_text(element, *, stop: frozenset[str] = frozenset()) -> str:
    """An element's text as one line, leaving out skipped elements and the subtrees named in `stop`."""
    parts: list[str] = []

    def visit(node) -> None:
        tag = _tag(node)
        if tag is not None and tag not in _SKIP and tag not in stop:
            separate = tag in _SEPARATING
            if separate:
                parts.append(" ")
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")
            if separate:
                parts.append(" ")

    visit(element)
    return _clean("".join(parts))


def _list_items(element) -> list[str]:
    """Items of a list, nested lists' items after their parent item; non-li children count as items."""
    items: list[str] = []
    for child in element:
        tag = _tag(child)
        if tag is None or tag in _SKIP:
            continue
        if tag in _LISTS:
            items += _list_items(child)
            continue
        text = _inline_text(child, stop=_LISTS)
        if text:
            items.append(text)
        items += [item for nested in child.iter(*_LISTS) if _enclosing_list(nested) is element
                  for item in _list_items(nested)]
    return items


def _enclosing_list(element):
    """The closest list element above this one (None at the top)."""
    parent = element.getparent()
    while parent is not None and _tag(parent) not in _LISTS:
        parent = parent.getparent()
    return parent


def _own(table, element) -> bool:
    """Whether element belongs to this table and not to a table nested in it."""
    parent = element.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent is table


def _table(table) -> tuple:
    """("table", rows, header_rows): cells as one line each; ragged rows padded with empty cells."""
    rows: list[tuple[str, ...]] = []
    header_rows = 0
    for row in table.iter("tr"):
        if not _own(table, row):
            continue
        cells = [cell for cell in row if _tag(cell) in ("td", "th")]
        if not cells:
            continue
        if _tag(row.getparent()) == "thead" and header_rows == len(rows):
            header_rows += 1
        rows.append(tuple(_inline_text(cell) for cell in cells))
        if len(rows) == 1 and header_rows == 0 and all(_tag(cell) == "th" for cell in cells) and len(
                [r for r in table.iter("tr") if _own(table, r)]) > 1:
            header_rows = 1
    rows = [row for row in rows if any(row)]
    header_rows = min(header_rows, len(rows))
    width = max((len(row) for row in rows), default=0)
    return ("table", tuple(row + ("",) * (width - len(row)) for row in rows), header_rows)


def _walk(element, out: _Blocks) -> None:
    """Append an element's blocks (and its inline text) to `out`; its tail is the caller's."""
    tag = _tag(element)
    if tag is None or tag in _SKIP:
        return
    if tag in _HEADING_LEVEL:
        text = _inline_text(element)
        if text:
            out.add((f"h{_HEADING_LEVEL[tag]}", (text,)))
        return
    if tag in _LISTS:
        items = _list_items(element)
        if items:
            out.add(("ol" if tag == "ol" else "ul", tuple(items)))
        return
    if tag == "blockquote":
        inner = _Blocks()
        _children(element, inner)
        inner.flush()
        lines = tuple(line for block in inner.blocks for line in _block_lines(block))
        if lines:
            out.add(("quote", lines))
        return
    if tag == "table":
        block = _table(element)
        if block[1]:
            out.add(block)
        return
    if tag == "br":
        out.line_break()
        return
    if tag in _BLOCKS:
        out.flush()
        _children(element, out)
        out.flush()
        return
    _children(element, out)


def _children(element, out: _Blocks) -> None:
    out.text(element.text)
    for child in element:
        _walk(child, out)
        out.text(child.tail)


def _block_lines(block: tuple) -> tuple[str, ...]:
    """A block's text lines, for blocks flattened inside a quote."""
    if block[0] == "table":
        return tuple(" ".join(cell for cell in row if cell) for row in block[1])
    return block[1]


def _escape_cell(cell: str) -> str:
    return cell.replace("|", "\\|")


def marked_from_blocks(blocks: Iterable[tuple]) -> str:
    """The marked text of blocks as `_Blocks` holds them; paragraph lines that would read as marks escaped."""
    from benchmark.corpus.goldmarks import escape_literal

    chunks: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            chunks.append(escape_literal("\n".join(block[1])))
        elif kind in ("h2", "h3", "h4"):
            chunks.append("#" * int(kind[1]) + " " + block[1][0])
        elif kind == "ul":
            chunks.append("\n".join(f"- {item}" for item in block[1]))
        elif kind == "ol":
            chunks.append("\n".join(f"{number}. {item}" for number, item in enumerate(block[1], start=1)))
        elif kind == "quote":
            chunks.append("\n".join(f"> {line}" for line in block[1]))
        elif kind == "table":
            rows, header_rows = block[1], block[2]
            lines = ["| " + " | ".join(_escape_cell(cell) for cell in row) + " |" for row in rows]
            if header_rows:
                lines.insert(header_rows, "|" + "---|" * len(rows[0]))
            chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + ("\n" if chunks else "")


def html_to_marked(html: str) -> str:
    """An HTML document or fragment in the gold's marked form ("" when it has no text)."""
    import lxml.html
    from lxml import etree

    html = _MARKUP_CHARS_RE.sub("", html or "")
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    out = _Blocks()
    _walk(body if body is not None else root, out)
    out.flush()
    return marked_from_blocks(out.blocks)


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    """CommonMark with GFM tables, raw HTML passed through (built once, on first use)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_to_marked(text: str) -> str:
    """Markdown in the gold's marked form: rendered to HTML by markdown-it-py, then read by `html_to_marked`."""
    if not text or not text.strip():
        return ""
    return html_to_marked(_markdown_parser().render(text))
