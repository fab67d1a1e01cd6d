"""Does the page show the structure its gold claims? Subheads as headings, items as list items, rows as table rows.

Gold marks (benchmark.corpus.goldmarks) are checked against the parsed page,
compared as token sequences (benchmark.score.textnorm.tokenize), so spacing,
case and punctuation the annotator normalised do not matter:

- a subhead (`## `) is the whole text of an `h1`-`h6`, of an element with
  `role="heading"`, or of a block whose whole text is bold (`b`/`strong`);
- a list item (`- ` / `1. `) is the text of an `li` (its nested lists left
  out), in a `ul` for `- ` and an `ol` for `1. `;
- a table row (`| a | b |`) has the cells of one `tr` (its own `td`/`th`);
- a block quote (`> `) is inside a `blockquote`.

Where the body is not in the DOM (`state-blob-body`, `jsonld-body`) a unit
the DOM lacks is looked for as a whole line of the text where the body is
(JSON-LD `articleBody`, inline state strings); those units are reported as
checked as text only, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from benchmark.corpus.goldmarks import Block
from benchmark.corpus.visible_text import BLOCK_TAGS, INVISIBLE_TAGS

#: layout tags of pages whose body (partly) lives outside the DOM, and where it lives instead
OUT_OF_DOM_BODY = {
    "state-blob-body": "the body is in inline JSON state",
    "jsonld-body": "the body is in JSON-LD articleBody",
    "noscript-body": "the body is inside <noscript>",
}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol"})

Tokens = tuple[str, ...]


def _tokens(text: str) -> Tokens:
    from benchmark.score.textnorm import tokenize

    return tuple(tokenize(text))


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def element_text(element, *, skip: frozenset[str] = frozenset()) -> str:
    """The visible text inside an element (its tail left out), leaving out `skip` subtrees."""
    from lxml import etree

    parts: list[str] = []
    hidden = 0
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            if not hidden and node.tail:
                parts.append(node.tail)
            continue
        tag = _tag(node)
        invisible = node is not element and (tag in INVISIBLE_TAGS or tag in skip)
        if event == "start":
            if invisible:
                hidden += 1
            elif not hidden and node.text:
                parts.append(node.text)
        else:
            if invisible:
                hidden -= 1
            if not hidden and node is not element and node.tail:
                parts.append(node.tail)
    return " ".join(parts)


@dataclass
class PageStructure:
    """What the page shows as headings, list items, table rows and block quotes, as token sequences."""

    headings: set[Tokens] = field(default_factory=set)
    items: dict[Tokens, set[str]] = field(default_factory=dict)  # item -> kinds of list it sits in
    rows: set[tuple[Tokens, ...]] = field(default_factory=set)
    quotes: list[str] = field(default_factory=list)  # each blockquote's tokens, space-joined with edges

    @classmethod
    def of(cls, root) -> "PageStructure":
        found = cls()
        if root is None:
            return found
        for element in root.iter():
            tag = _tag(element)
            if not tag or tag in INVISIBLE_TAGS:
                continue
            if tag in _HEADINGS or (element.get("role") or "").strip().lower() == "heading":
                found.headings.add(_tokens(element_text(element)))
            elif tag in ("b", "strong"):
                found._bold_block(element)
            elif tag == "li":
                parent = element.getparent()
                kind = _tag(parent) if parent is not None else ""
                found.items.setdefault(_tokens(element_text(element, skip=_LISTS)), set()).add(kind)
            elif tag == "tr":
                cells = [cell for cell in element if _tag(cell) in ("td", "th")]
                found.rows.add(tuple(_tokens(element_text(cell)) for cell in cells))
            elif tag == "blockquote":
                found.quotes.append(" " + " ".join(_tokens(element_text(element))) + " ")
        found.headings.discard(())
        return found

    def _bold_block(self, element) -> None:
        """A block whose whole text is this bold element's text reads as a heading."""
        block = element.getparent()
        while block is not None and _tag(block) not in BLOCK_TAGS:
            block = block.getparent()
        if block is None:
            return
        bold = _tokens(element_text(element))
        if bold and bold == _tokens(element_text(block)):
            self.headings.add(bold)

    def has_quote(self, tokens: Tokens) -> bool:
        needle = " " + " ".join(tokens) + " "
        return any(needle in quote for quote in self.quotes)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unit_problems(number: int, block: Block, page: PageStructure) -> Iterable[tuple[Tokens, str]]:
    """(tokens, message) for each unit of one block that the page does not show as the gold marks it."""
    if block.kind in ("h2", "h3", "h4"):
        tokens = _tokens(block.lines[0])
        if tokens not in page.headings:
            yield tokens, (f"block {number}: subhead {_short(block.lines[0])!r} is not a heading on the page "
                           "(h1-h6, role=\"heading\", or a block all in bold)")
    elif block.kind in ("ul", "ol"):
        mark = "- " if block.kind == "ul" else "1. "
        for item in block.lines:
            tokens = _tokens(item)
            kinds = page.items.get(tokens)
            if kinds is None:
                yield tokens, f"block {number}: list item {_short(item)!r} is not the text of an <li> on the page"
            elif block.kind not in kinds and kinds <= _LISTS:
                other = "1. " if block.kind == "ul" else "- "
                yield tokens, (f"block {number}: list item {_short(item)!r} is in an <{min(kinds)}> on the page, "
                               f"marked {mark.strip()!r}: mark it {other.strip()!r}")
    elif block.kind == "table":
        for row in block.rows:
            cells = tuple(_tokens(cell) for cell in row)
            if cells not in page.rows:
                yield tuple(t for cell in cells for t in cell), (
                    f"block {number}: table row {_short(' | '.join(row))!r} is not the cells of one <tr> on the page")
    elif block.kind == "quote":
        tokens = _tokens(" ".join(block.lines))
        if tokens and not page.has_quote(tokens):
            yield tokens, (f"block {number}: quote {_short(' '.join(block.lines))!r} is not inside a "
                           "<blockquote> on the page")


def _lines_of(texts: Sequence[str]) -> set[Tokens]:
    return {_tokens(line) for text in texts for line in text.split("\n") if line.strip()}


def structure_problems(blocks: Sequence[Block], root, *, out_of_dom: Sequence[str] = ()) -> tuple[list[str], int]:
    """Messages for marked units the page does not show, and how many were accepted as text only.

    `out_of_dom` is the text where the body lives outside the DOM (JSON-LD
    bodies, inline state strings): a unit the DOM lacks passes when its
    tokens are a whole line there.
    """
    if not any(block.kind != "p" for block in blocks):
        return [], 0
    page = PageStructure.of(root)
    lines = _lines_of(out_of_dom) if out_of_dom else set()
    problems, as_text = [], 0
    for number, block in enumerate(blocks, start=1):
        for tokens, message in _unit_problems(number, block, page):
            if tokens in lines:
                as_text += 1
            else:
                problems.append(message)
    return problems, as_text
