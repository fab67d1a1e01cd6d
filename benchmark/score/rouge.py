"""ROUGE-LSum as the Web Content Extraction Benchmark (Bevendorff et al.) computes it, fast.

Their `eval.py` calls ``rouge_score.rouge_scorer.RougeScorer(["rougeLsum"],
use_stemmer=False, split_summaries=True, tokenizer=<whitespace>)`` with the
gold as target, then overrides empty golds (recall 1; all three 1 when the
prediction is empty too). This module returns the same numbers as that package
(to the last bit: same integer hit counts, same float operations) without its
O(|gold| x |prediction|) pure-Python dynamic programme:

* summary units are the text's lines (``text.split("\\n")``, empty strings
  dropped), i.e. ``split_summaries=False``; their ``split_summaries=True``
  splits with NLTK's punkt model, which needs a data download: pass
  ``split=nltk.sent_tokenize`` to `rouge_lsum` to reproduce that exactly;
* tokenizer ``"whitespace"`` (theirs, the default): ``text.split()``, case and
  punctuation kept; ``"rouge"``: rouge-score's default tokenizer, i.e. the
  ``[a-z0-9]+`` runs of ``text.lower()`` (non-Latin text yields no tokens);
* summary-level LCS: for each gold line, the union of the positions of one
  LCS with every predicted line, counted against token budgets so no token is
  matched twice (ROUGE 1.5.5). Which LCS is "one LCS" matters for the union,
  so the backtrack follows rouge-score's tie-breaking exactly.

Speed: one gold line is aligned with all predicted lines at once, one numpy
row per gold token (a row of the LCS table is a running maximum; a per-line
offset restarts it at each line boundary), and only lines that share tokens
with it are backtracked, longest LCS first, stopping once the gold line is
fully covered.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

__all__ = ["RougeScore", "rouge_tokenize", "rouge_lsum", "wceb_rouge_lsum"]

_ROUGE_TOKEN_RE = re.compile(r"[a-z0-9]+")
#: int32 cells per LCS table block (32 MB); wider predictions are done in blocks
_MAX_CELLS = 8_000_000
#: backtrack on Python lists (fast indexing) up to this many cells, on the array above
#: (a list of lists costs ~36 bytes a cell)
_LIST_CELLS = 250_000


@dataclass(frozen=True)
class RougeScore:
    """Precision, recall and F-measure as rouge-score's `Score` holds them."""

    precision: float
    recall: float
    fmeasure: float


def rouge_tokenize(text: str, tokenizer: str = "whitespace") -> list[str]:
    """Tokens of one summary unit: whitespace split (WCEB) or rouge-score's default."""
    if tokenizer == "whitespace":
        return text.split()  # == re.split(r"\s+", text.strip()) minus the empty case
    if tokenizer == "rouge":
        return _ROUGE_TOKEN_RE.findall(text.lower())
    raise ValueError(f"unknown tokenizer {tokenizer!r}: use 'whitespace' or 'rouge'")


def _lines(text: str) -> list[str]:
    """rouge-score's units with split_summaries=False: newline-split, empty strings dropped."""
    return [line for line in text.split("\n") if line]


def _fmeasure(precision: float, recall: float) -> float:
    """rouge-score's F-measure (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _rows(table: np.ndarray) -> Any:
    """The table as nested lists when small (fast indexing), else the array itself."""
    return table.tolist() if table.size <= _LIST_CELLS else table


def _backtrack(rows: Any, ref: Sequence[int], can: Sequence[int]) -> list[int]:
    """Positions in `ref` of the LCS rouge-score's `_backtrack_norec` picks."""
    i, j = len(ref), len(can)
    picked: list[int] = []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            picked.append(i - 1)
            i -= 1
            j -= 1
        elif rows[i][j - 1] > rows[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return picked


def _lcs_table(ref: Sequence[int], cols: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """LCS table rows of `ref` against concatenated lines (col 0 of each line never matches)."""
    import numpy as np

    table = np.empty((len(ref) + 1, len(cols)), dtype=np.int32)
    table[0] = offsets
    for i, token in enumerate(ref, start=1):
        prev = table[i - 1]
        diag = np.empty_like(prev)
        diag[0] = prev[0]
        np.add(prev[:-1], cols[1:] == token, out=diag[1:])
        np.maximum(prev, diag, out=diag)
        np.maximum.accumulate(diag, out=table[i])
    return table


def _pair_positions(ref: list[int], can: list[int]) -> list[int]:
    """`ref` positions of rouge-score's LCS with one line; the DP loops over the shorter side."""
    import numpy as np

    if len(ref) <= len(can):
        table = _lcs_table(ref, np.array([-1, *can], dtype=np.int64), np.zeros(len(can) + 1, dtype=np.int32))
    else:  # the LCS table is symmetric: build it along `ref` and transpose
        table = _lcs_table(can, np.array([-1, *ref], dtype=np.int64), np.zeros(len(ref) + 1, dtype=np.int32)).T
    return _backtrack(_rows(table), ref, can)


def _block_positions(ref: list[int], lines: list[list[int]]) -> list[list[int]]:
    """For each line, the `ref` positions of rouge-score's LCS with it (one DP for all lines)."""
    import numpy as np

    if len(lines) == 1:
        return [_pair_positions(ref, lines[0])]
    n = len(ref)
    width = sum(len(line) + 1 for line in lines)
    cols = np.full(width, -1, dtype=np.int64)
    offsets = np.empty(width, dtype=np.int32)
    bounds = []
    pos = 0
    for k, line in enumerate(lines):
        cols[pos + 1 : pos + 1 + len(line)] = line
        offsets[pos : pos + 1 + len(line)] = k * (n + 1)  # restarts the running max per line
        bounds.append((pos, pos + 1 + len(line)))
        pos += 1 + len(line)
    table = _lcs_table(ref, cols, offsets)
    return [_backtrack(_rows(table[:, a:b]), ref, line) for (a, b), line in zip(bounds, lines)]


def _union_positions(ref: list[int], cands: list[list[int]], order: list[int], cand_sets: list[set[int]]) -> set[int]:
    """Union over candidate lines of the LCS positions in `ref` (rouge-score's `_union_lcs`).

    `order` lists the candidates with a non-empty LCS, longest first. A
    candidate is skipped once none of the tokens at still-uncovered positions
    occur in it: it cannot add a position, whatever LCS the backtrack picks.
    Blocks grow (1, 8, 64 ... lines) so a gold line covered by one predicted
    line costs one small DP.
    """
    union: set[int] = set()
    n = len(ref)
    block_size = 1
    while order and len(union) < n:
        missing = {ref[i] for i in range(n) if i not in union}
        order = [k for k in order if not cand_sets[k].isdisjoint(missing)]
        if not order:
            break
        block: list[int] = []
        cells = 0
        while order and len(block) < block_size and (not block or cells + (n + 1) * len(cands[order[0]]) <= _MAX_CELLS):
            cells += (n + 1) * (len(cands[order[0]]) + 1)
            block.append(order.pop(0))
        for positions in _block_positions(ref, [cands[k] for k in block]):
            union.update(positions)
        block_size *= 8
    return union


def _summary_lcs(ref_units: list[list[str]], can_units: list[list[str]]) -> RougeScore:
    """rouge-score's `_summary_level_lcs` with the same hit counting, computed fast."""
    from rapidfuzz.distance import LCSseq
    from rapidfuzz.process import cdist

    if not ref_units or not can_units:
        return RougeScore(0.0, 0.0, 0.0)
    m = sum(map(len, ref_units))
    n = sum(map(len, can_units))
    if not n or not m:
        return RougeScore(0.0, 0.0, 0.0)
    vocab: dict[str, int] = {}
    refs = [[vocab.setdefault(t, len(vocab)) for t in unit] for unit in ref_units]
    cands = [[vocab.setdefault(t, len(vocab)) for t in unit] for unit in can_units]
    cand_sets = [set(c) for c in cands]
    # LCS length of every (gold line, predicted line) pair, in C; 0 = nothing to backtrack
    lengths = cdist(refs, cands, scorer=LCSseq.similarity, workers=1)
    budget_r = Counter(t for unit in refs for t in unit)
    budget_c = Counter(t for unit in cands for t in unit)
    hits = 0
    for r, ref in enumerate(refs):
        if not ref:
            continue
        row = lengths[r].tolist()
        order = sorted((k for k, length in enumerate(row) if length), key=lambda k: -row[k])
        for i in sorted(_union_positions(ref, cands, order, cand_sets)):
            token = ref[i]
            if budget_c[token] > 0 and budget_r[token] > 0:
                hits += 1
                budget_c[token] -= 1
                budget_r[token] -= 1
    recall = hits / m
    precision = hits / n
    return RougeScore(precision, recall, _fmeasure(precision, recall))


def rouge_lsum(
    target: str,
    prediction: str,
    *,
    tokenizer: str = "whitespace",
    split: Callable[[str], list[str]] | None = None,
) -> RougeScore:
    """rouge-score's rougeLsum for (gold, prediction); units are lines unless `split` is given."""
    splitter = _lines if split is None else (lambda text: [s for s in split(text) if s])
    ref_units = [rouge_tokenize(u, tokenizer) for u in splitter(target)]
    can_units = [rouge_tokenize(u, tokenizer) for u in splitter(prediction)]
    return _summary_lcs(ref_units, can_units)


def wceb_rouge_lsum(
    target: str, prediction: str, *, split: Callable[[str], list[str]] | None = None
) -> RougeScore:
    """ROUGE-LSum with WCEB's empty-gold override: recall 1, and 1/1/1 if both are empty."""
    score = rouge_lsum(target, prediction, tokenizer="whitespace", split=split)
    if target.strip() == "":
        if prediction.strip() == "":
            return RougeScore(1.0, 1.0, 1.0)
        return RougeScore(score.precision, 1.0, score.fmeasure)
    return score
