"""Structure score: whether an output keeps the gold's headings, list items, tables, quotes and block order.

Scored per page for outputs that carry structure (Markdown or HTML, read into
the gold's marks by `benchmark.corpus.marking`) against a gold with marks
(`Gold.marked`, parsed by `benchmark.corpus.goldmarks`). Plain-text outputs
get no structure score (None, not zero), and neither do golds without a single
mark: a gold written before the marks existed (the bundled corpus until its
rebuild) types its subheads and lists as plain paragraphs, and would call
every heading an extractor keeps a false one.

Texts compare as token sequences (`textnorm.tokenize`: case, punctuation and
whitespace do not count). An output element counts only where it is body:
a heading, list item or quote line whose token sequence occurs in the gold
(contiguously), a table at least half of whose non-empty cells do. Chrome the
extractor kept (a "Most read" list, the headline as a heading) is the token
metrics' business, not a structure error; body text marked wrongly is. An
element of one or two tokens counts only where it equals a whole gold line,
item, heading or cell ("Sport" from a menu occurs inside many a paragraph).

* headings: precision = matched / output headings, recall = matched / gold
  headings, a match being equal text (one-to-one; the level is not compared);
* ``list_f1``: list-item boundary F1: an output item matches a gold item
  when their texts are equal, so both of its boundaries are right (a list
  flattened into a paragraph has no items; items merged or split match nothing);
* ``table_f1``: cell F1: tables are paired in order and rows aligned in order
  (each by the alignment that matches the most cells), and a cell matches
  when the aligned row has equal text in the same column; empty cells do not count;
* ``quote_f1``: token F1 between the gold's quoted text and the output's;
* ``order``: each gold block is located in the output (the output block
  sharing the most of its token 3-grams, at least half of them); the score is
  the longest run of those locations in non-decreasing order over their
  number (1: the blocks come out in the gold's order);
* F1s are 2·matched / (gold + output) and are None when both sides have none
  of that element; ``order`` is None with fewer than two blocks located;
* ``structure_f1``: the mean of the defined ones among heading F1, list F1,
  table F1, quote F1 and order (None when none is defined). A failed or
  empty extraction scores 0.0, the full miss of every other metric.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from benchmark.score.textnorm import tokenize

__all__ = ["StructureScore", "structure_score", "gold_has_structure", "FAILED"]

_SEP = "\x1f"
_HEADINGS = ("h2", "h3", "h4")
_SHINGLE = 3
#: output elements shorter than this many tokens count as body only when they equal a whole gold line, item,
#: heading or cell: "Sport" or "Share" from a menu occurs inside many a gold paragraph
_SHORT = 3


@dataclass(frozen=True)
class StructureScore:
    """One page's structure figures (see the module docstring for each definition)."""

    heading_precision: float | None = None
    heading_recall: float | None = None
    heading_f1: float | None = None
    list_f1: float | None = None
    table_f1: float | None = None
    quote_f1: float | None = None
    order: float | None = None
    structure_f1: float | None = None

    def as_fields(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


#: what a failed or empty extraction scores when its page has a marked gold
FAILED = StructureScore(structure_f1=0.0)


@functools.lru_cache(maxsize=256)
def gold_has_structure(marked: str | None) -> bool:
    """Whether a gold carries structure marks at all (see the module docstring); cached per gold."""
    from benchmark.corpus.goldmarks import has_marks

    return marked is not None and has_marks(marked)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


def _f1(matched: int, n_gold: int, n_pred: int) -> float | None:
    return 2.0 * matched / (n_gold + n_pred) if n_gold + n_pred else None


class _Gold:
    """The gold's tokens as one searchable string and its whole units, for "is this output text body"."""

    def __init__(self, tokens: Sequence[str], units: Iterable[tuple[str, ...]] | None = None) -> None:
        self.joined = _SEP + _SEP.join(tokens) + _SEP
        self.units = None if units is None else frozenset(units)

    def has(self, tokens: Sequence[str]) -> bool:
        """A run of the tokens in the text; with units, a text under _SHORT tokens must be a whole unit."""
        if not tokens:
            return False
        if self.units is not None and len(tokens) < _SHORT:
            return tuple(tokens) in self.units
        return (_SEP + _SEP.join(tokens) + _SEP) in self.joined


def _gold_units(blocks) -> set[tuple[str, ...]]:
    """Every line, item, heading and cell of the gold as tokens: what a short output element must equal."""
    units = set()
    for block in blocks:
        texts = [cell for row in block.rows for cell in row] if block.kind == "table" else block.lines
        units.update(_tokens(text) for text in texts)
    return units


def _matched(gold: list[tuple[str, ...]], output: list[tuple[str, ...]]) -> int:
    """One-to-one matches of equal texts (multiset intersection)."""
    return sum((Counter(gold) & Counter(output)).values())


def _row_matches(gold_row: Sequence[tuple[str, ...]], output_row: Sequence[tuple[str, ...]]) -> int:
    return sum(1 for g, o in zip(gold_row, output_row) if g and g == o)


def _aligned(n_left: int, n_right: int, weight) -> int:
    """The largest total weight of an order-keeping pairing of left and right items (weighted LCS)."""
    previous = [0] * (n_right + 1)
    for i in range(n_left):
        current = [0] * (n_right + 1)
        for j in range(n_right):
            current[j + 1] = max(previous[j + 1], current[j], previous[j] + weight(i, j))
        previous = current
    return previous[n_right]


def _table_cells(gold_tables: list, output_tables: list) -> int:
    """Matched cells over tables paired in order, rows aligned in order, columns by position."""
    def table_pair(i: int, j: int) -> int:
        g, o = gold_tables[i], output_tables[j]
        return _aligned(len(g), len(o), lambda r, s: _row_matches(g[r], o[s]))

    return _aligned(len(gold_tables), len(output_tables), table_pair)


def _shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    if len(tokens) < _SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[k:k + _SHINGLE]) for k in range(len(tokens) - _SHINGLE + 1)}


def _order(gold_blocks: list[tuple[str, ...]], output_blocks: list[tuple[str, ...]]) -> float | None:
    """Share of located gold blocks in the longest non-decreasing run of their output positions."""
    where: dict[tuple[str, ...], set[int]] = {}
    for index, tokens in enumerate(output_blocks):
        for shingle in _shingles(tokens):
            where.setdefault(shingle, set()).add(index)
    positions: list[int] = []
    for tokens in gold_blocks:
        shingles = _shingles(tokens)
        votes: Counter[int] = Counter(index for shingle in shingles for index in where.get(shingle, ()))
        if votes:
            index, count = min(votes.items(), key=lambda item: (-item[1], item[0]))
            if 2 * count >= len(shingles):
                positions.append(index)
    if len(positions) < 2:
        return None
    tails: list[int] = []  # patience sorting: the longest non-decreasing subsequence
    for position in positions:
        at = bisect.bisect_right(tails, position)
        tails[at:at + 1] = [position]
    return len(tails) / len(positions)


def structure_score(gold_marked: str, output_marked: str) -> StructureScore:
    """Every structure figure of one output (marked form) against its gold (marked form)."""
    from benchmark.corpus.goldmarks import parse_gold

    gold_blocks, output_blocks = parse_gold(gold_marked), parse_gold(output_marked)
    gold = _Gold([token for block in gold_blocks for token in _tokens(block.text)], _gold_units(gold_blocks))

    gold_heads = [t for b in gold_blocks if b.kind in _HEADINGS if (t := _tokens(b.lines[0]))]
    out_heads = [t for b in output_blocks if b.kind in _HEADINGS if gold.has(t := _tokens(b.lines[0]))]
    heads = _matched(gold_heads, out_heads)

    gold_items = [t for b in gold_blocks if b.kind in ("ul", "ol") for line in b.lines if (t := _tokens(line))]
    out_items = [t for b in output_blocks if b.kind in ("ul", "ol") for line in b.lines
                 if gold.has(t := _tokens(line))]

    gold_tables = [[tuple(_tokens(cell) for cell in row) for row in b.rows] for b in gold_blocks if b.kind == "table"]
    out_tables = []
    for block in (b for b in output_blocks if b.kind == "table"):
        rows = [tuple(_tokens(cell) for cell in row) for row in block.rows]
        cells = [cell for row in rows for cell in row if cell]
        if cells and 2 * sum(gold.has(cell) for cell in cells) >= len(cells):
            out_tables.append(rows)
    n_gold_cells = sum(1 for table in gold_tables for row in table for cell in row if cell)
    n_out_cells = sum(1 for table in out_tables for row in table for cell in row if cell)

    gold_quote = Counter(t for b in gold_blocks if b.kind == "quote" for line in b.lines for t in _tokens(line))
    out_quote = Counter(t for b in output_blocks if b.kind == "quote" for line in b.lines
                        if gold.has(tokens := _tokens(line)) for t in tokens)

    parts = {
        "heading_f1": _f1(heads, len(gold_heads), len(out_heads)),
        "list_f1": _f1(_matched(gold_items, out_items), len(gold_items), len(out_items)),
        "table_f1": _f1(_table_cells(gold_tables, out_tables), n_gold_cells, n_out_cells),
        "quote_f1": _f1(sum((gold_quote & out_quote).values()), sum(gold_quote.values()), sum(out_quote.values())),
        "order": _order([t for b in gold_blocks if (t := _tokens(b.text))],
                        [t for b in output_blocks if (t := _tokens(b.text))]),
    }
    defined = [value for value in parts.values() if value is not None]
    return StructureScore(
        heading_precision=heads / len(out_heads) if out_heads else None,
        heading_recall=heads / len(gold_heads) if gold_heads else None,
        structure_f1=sum(defined) / len(defined) if defined else None,
        **parts)


@dataclass(frozen=True)
class ElementStatus:
    """One gold structure element and what the output made of it, for the report's per-page structure diff."""

    element: str  # heading | list item | table | quote
    text: str  # the element's text (a table: its first row)
    status: str  # kept | flattened (text there, structure gone) | missing (text gone) | "n of m cells" | added


def element_statuses(gold_marked: str, output_marked: str, output_text: str) -> list[ElementStatus]:
    """Each gold heading, list item, quote line and table, matched as `structure_score` matches them.

    Output headings on body text that the gold does not mark as headings come
    last, as ``added``. `output_text` is the output's plain text (for telling
    flattened from missing).
    """
    from benchmark.corpus.goldmarks import parse_gold

    gold_blocks, output_blocks = parse_gold(gold_marked), parse_gold(output_marked)
    gold = _Gold([token for block in gold_blocks for token in _tokens(block.text)], _gold_units(gold_blocks))
    present = _Gold(_tokens(output_text))
    out_heads = Counter(_tokens(b.lines[0]) for b in output_blocks if b.kind in _HEADINGS)
    out_items = Counter(_tokens(line) for b in output_blocks if b.kind in ("ul", "ol") for line in b.lines)
    out_quotes = Counter(_tokens(line) for b in output_blocks if b.kind == "quote" for line in b.lines)
    out_tables = [[tuple(_tokens(cell) for cell in row) for row in b.rows] for b in output_blocks
                  if b.kind == "table"]

    def status(tokens: tuple[str, ...], pool: Counter) -> str:
        if pool[tokens] > 0:
            pool[tokens] -= 1
            return "kept"
        return "flattened" if present.has(tokens) else "missing"

    rows: list[ElementStatus] = []
    gold_heads: Counter = Counter()
    for block in gold_blocks:
        if block.kind in _HEADINGS:
            tokens = _tokens(block.lines[0])
            gold_heads[tokens] += 1
            rows.append(ElementStatus("heading", block.lines[0], status(tokens, out_heads)))
        elif block.kind in ("ul", "ol"):
            rows += [ElementStatus("list item", line, status(_tokens(line), out_items)) for line in block.lines]
        elif block.kind == "quote":
            rows += [ElementStatus("quote", line, status(_tokens(line), out_quotes)) for line in block.lines if line]
        elif block.kind == "table":
            table = [tuple(_tokens(cell) for cell in row) for row in block.rows]
            cells = sum(1 for row in table for cell in row if cell)
            matched = _table_cells([table], out_tables) if out_tables else 0
            rows.append(ElementStatus("table", " | ".join(block.rows[0]) if block.rows else "",
                                      f"{matched} of {cells} cells"))
    rows += [ElementStatus("heading", b.lines[0], "added") for b in output_blocks if b.kind in _HEADINGS
             if gold.has(tokens := _tokens(b.lines[0])) and not gold_heads[tokens]]
    return rows
