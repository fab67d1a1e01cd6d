"""Gold files with structure marks, read into blocks (the page renderer draws the body from them).

Marks (gold/GUIDELINES.md, section 4): `## ` subhead, `- ` or `1. ` list item,
`> ` block quote, `| a | b |` table rows with a `|---|---|` separator under the
header. A line that starts with a backslash is literal text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{2,4}) (.+)$")
_BULLET = re.compile(r"^- (.*)$")
_NUMBER = re.compile(r"^(\d+)\. (.*)$")
_QUOTE = re.compile(r"^>(?: (.*))?$")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


@dataclass(frozen=True)
class Block:
    """One block of the gold: kind is p, h2, h3, h4, ul, ol, quote or table."""

    kind: str
    #: p/quote: its lines; h*: one line; ul/ol: the items; table: unused
    lines: tuple[str, ...] = ()
    #: table rows (cells as typed), header rows first
    rows: tuple[tuple[str, ...], ...] = ()
    header_rows: int = 0
    #: ol: the number of the first item
    start: int = 1

    @property
    def text(self) -> str:
        """The block's plain text, as the token metrics see it."""
        if self.kind == "table":
            return "\n".join("\t".join(row) for row in self.rows)
        return "\n".join(self.lines)


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", inner)
    return tuple(cell.strip().replace("\\|", "|") for cell in cells)


def parse_block(chunk: str) -> Block:
    lines = chunk.split("\n")
    if len(lines) == 1 and (match := _HEADING.match(lines[0])):
        return Block(f"h{len(match.group(1))}", (match.group(2),))
    if all(_BULLET.match(line) for line in lines):
        return Block("ul", tuple(_BULLET.match(line).group(1) for line in lines))
    if all(_NUMBER.match(line) for line in lines):
        return Block("ol", tuple(_NUMBER.match(line).group(2) for line in lines),
                     start=int(_NUMBER.match(lines[0]).group(1)))
    if all(_QUOTE.match(line) for line in lines):
        return Block("quote", tuple((_QUOTE.match(line).group(1) or "") for line in lines))
    if all(line.startswith("|") and line.endswith("|") and len(line) > 1 for line in lines):
        rows = [_cells(line) for line in lines]
        header = 0
        body_rows = []
        for i, row in enumerate(rows):
            if all(_SEPARATOR_CELL.match(cell) for cell in row):
                header = i
                continue
            body_rows.append(row)
        return Block("table", rows=tuple(body_rows), header_rows=header)
    return Block("p", tuple(line[1:] if line.startswith("\\") else line for line in lines))


def parse_gold(text: str) -> list[Block]:
    """The gold's blocks, in order."""
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text.strip("\n"))]
    return [parse_block(chunk) for chunk in chunks if chunk.strip()]
