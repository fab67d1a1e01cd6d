"""Structure marks in a gold file: its blocks, the plain text the metrics count, and whether the marks are well formed.

The marks (gold/GUIDELINES.md, section 4) are a light Markdown that leaves
every token as it is: `## ` / `### ` / `#### ` subheads (a block of their
own), `- ` or `1. ` list items (every line of the block), `> ` block-quote
lines, `| a | b |` table rows with a `|---|---|` separator under the header
row, and a backslash before a first character that is literal text
(`\\- Na takie miejsce …`, a Polish dialogue dash). A block whose lines do
not all carry the same mark is a paragraph, kept as typed; `check_marks`
reports it. tools/corpus/blocks.py (the page renderer) reads the same
marks the same way; this module is the one the harness owns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING_RE = re.compile(r"^(#{2,4}) (.+)$")
_BULLET_RE = re.compile(r"^- (.*)$")
_NUMBER_RE = re.compile(r"^(\d+)\. (.*)$")
_QUOTE_RE = re.compile(r"^>(?: (.*))?$")
_SEPARATOR_CELL_RE = re.compile(r"^:?-{3,}:?$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_BLOCK_SPLIT_RE = re.compile(r"\n\s*\n")
#: a line that reads as an attempted mark the parser does not take: `#` or `#####` headings, bare items
_ANY_HEADING_RE = re.compile(r"^(#+) \S")
_EMPTY_ITEM_RE = re.compile(r"^(?:-|\d+\.|#{2,4})\s*$")


@dataclass(frozen=True)
class Block:
    """One block of a gold: kind is p, h2, h3, h4, ul, ol, quote or table."""

    kind: str
    #: p and quote: its lines; h2-h4: the one line; ul and ol: the items (marks removed)
    lines: tuple[str, ...] = ()
    #: table: the rows' cells as typed (separator left out), header rows first
    rows: tuple[tuple[str, ...], ...] = ()
    #: table: how many rows stand above the separator (0: a table without a header row)
    header_rows: int = 0
    #: ol: the number of the first item
    start: int = 1

    @property
    def text(self) -> str:
        """The block as the token metrics see it: cells joined by a tab, one row or item per line."""
        if self.kind == "table":
            return "\n".join("\t".join(row) for row in self.rows)
        return "\n".join(self.lines)


def _table_line(line: str) -> bool:
    return len(line) > 1 and line.startswith("|") and line.endswith("|")


def table_cells(line: str) -> tuple[str, ...]:
    """`| a | b \\| c |` -> ("a", "b | c"): cells split at unescaped bars, stripped."""
    return tuple(cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT_RE.split(line.strip()[1:-1]))


def _separator(cells: tuple[str, ...]) -> bool:
    return all(_SEPARATOR_CELL_RE.match(cell) for cell in cells)


def _lines(chunk: str) -> list[str]:
    return chunk.split("\n")


def parse_block(chunk: str) -> Block:
    """One block (lines without blank lines between them) by its marks; unmarked or mixed lines make a paragraph."""
    lines = _lines(chunk)
    if len(lines) == 1 and (match := _HEADING_RE.match(lines[0])):
        return Block(f"h{len(match.group(1))}", (match.group(2),))
    if all(_BULLET_RE.match(line) for line in lines):
        return Block("ul", tuple(_BULLET_RE.match(line).group(1) for line in lines))
    if all(_NUMBER_RE.match(line) for line in lines):
        return Block("ol", tuple(_NUMBER_RE.match(line).group(2) for line in lines),
                     start=int(_NUMBER_RE.match(lines[0]).group(1)))
    if all(_QUOTE_RE.match(line) for line in lines):
        return Block("quote", tuple(_QUOTE_RE.match(line).group(1) or "" for line in lines))
    if all(_table_line(line) for line in lines):
        rows, header_rows = [], 0
        for line in lines:
            cells = table_cells(line)
            if _separator(cells):
                header_rows = len(rows)
            else:
                rows.append(cells)
        return Block("table", rows=tuple(rows), header_rows=header_rows)
    return Block("p", tuple(line[1:] if line.startswith("\\") else line for line in lines))


def _chunks(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [chunk.strip("\n") for chunk in _BLOCK_SPLIT_RE.split(text.strip("\n")) if chunk.strip()]


def parse_gold(text: str) -> tuple[Block, ...]:
    """A gold file's blocks, in order."""
    return tuple(parse_block(chunk) for chunk in _chunks(text))


def plain_text(text: str) -> str:
    """The gold without its marks: blocks separated by one blank line, as every metric and check reads it."""
    blocks = parse_gold(text)
    return "\n\n".join(block.text for block in blocks) + "\n" if blocks else ""


def has_marks(text: str) -> bool:
    """Whether any block of the text carries a structure mark (or an escape)."""
    return any(block.kind != "p" for block in parse_gold(text)) or any(
        line.startswith("\\") for chunk in _chunks(text) for line in _lines(chunk))


def escape_literal(text: str) -> str:
    """Text with no marks written so that it reads back as itself: `\\` before any line a mark would take.

    For golds that come without structure (an imported dataset's body):
    `plain_text(escape_literal(text))` keeps every line of `text`.
    """
    def escaped(line: str) -> str:
        if line.startswith("\\") or _line_mark(line) or _ANY_HEADING_RE.match(line) or _EMPTY_ITEM_RE.match(line):
            return "\\" + line
        return line

    return "\n".join(escaped(line) for line in text.split("\n"))


def _line_mark(line: str) -> str | None:
    """Which mark a single line carries, if any (a backslash-escaped line carries none)."""
    if _HEADING_RE.match(line):
        return "heading"
    if _BULLET_RE.match(line):
        return "list item (- )"
    if _NUMBER_RE.match(line):
        return "list item (1. )"
    if _QUOTE_RE.match(line):
        return "quote (> )"
    if _table_line(line):
        return "table row (| )"
    return None


def _table_problems(number: int, lines: list[str]) -> list[str]:
    rows = [table_cells(line) for line in lines]
    separators = [i for i, cells in enumerate(rows) if _separator(cells)]
    problems = []
    if separators and separators[0] == 0:
        problems.append(f"block {number}: the table's |---| separator is its first line: it goes under the "
                        "header row")
    if len(separators) > 1:
        problems.append(f"block {number}: the table has {len(separators)} |---| separators: one, under the "
                        "header row")
    widths = [len(cells) for cells in rows]
    if len(set(widths)) > 1:
        problems.append(f"block {number}: ragged table rows ({', '.join(map(str, widths))} cells): give every "
                        "row the same cells (an empty cell is |  |)")
    return problems


def check_marks(text: str) -> list[str]:
    """What is wrong with the marks, one message per finding, naming the block (1-based); [] when well formed."""
    problems: list[str] = []
    for number, chunk in enumerate(_chunks(text), start=1):
        lines = _lines(chunk)
        marks = [_line_mark(line) for line in lines]
        for line in lines:
            match = _ANY_HEADING_RE.match(line)
            if match and not _HEADING_RE.match(line):
                depth = len(match.group(1))
                what = "a # heading is the headline, which is not body" if depth == 1 else \
                    f"a heading of level {depth} is deeper than ####"
                problems.append(f"block {number}: {what}: use ## to #### (or \\ before a literal #)")
            if _EMPTY_ITEM_RE.match(line):
                problems.append(f"block {number}: empty item {line.strip()!r}: remove it or type its text")
        if len(lines) > 1 and "heading" in marks:
            problems.append(f"block {number}: a subhead shares its block with other lines: give it a block "
                            "of its own (blank lines around it)")
        elif any(marks) and len(set(marks)) > 1:
            shown = ", ".join(sorted({mark or "unmarked" for mark in marks}))
            problems.append(f"block {number}: mixed lines ({shown}): mark every line of the block alike, or "
                            "write \\ before a literal first character")
        elif marks[0] == "table row (| )":
            problems += _table_problems(number, lines)
    return problems
