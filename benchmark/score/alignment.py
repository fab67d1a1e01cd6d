"""Token-level alignment of an extractor's output against the gold, for the report's per-page view.

A character diff would flag every reflowed line; the metrics compare tokens,
so the report aligns tokens too. Tokens are found in the *original* texts
(the same token pattern as `benchmark.score.textnorm`, compared after NFKC and
casefolding), so the view shows the text exactly as the extractor returned
it, line breaks included. Leftover tags, comments and character references
(``<p>``, ``&amp;``) are dropped by `textnorm.normalize` before scoring; here
they are kept in the text but never aligned, so they are neither "kept" nor
"leaked".

The alignment is a longest common subsequence of the token sequences
(rapidfuzz ``Indel`` opcodes, the same LCS as ``lcs_f1``): text extracted out
of order shows up as missed where the gold has it and leaked where the output
has it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate, compress

__all__ = ["Segment", "Alignment", "token_spans", "align"]

#: segment kinds
SAME, MISSED, LEAKED, PLAIN = "same", "missed", "leaked", "plain"
#: punctuation that closes the text before it; shown before missed text that follows
_TRAILING = ".,;:!?…)]}»”’\"'"


@dataclass(frozen=True)
class Segment:
    """A run of text in the merged view: kept (same), missed gold, leaked output, or plain separators."""

    kind: str
    text: str


@dataclass(frozen=True)
class Alignment:
    """The merged view of one output against its gold, and how many tokens of each kind it has."""

    segments: tuple[Segment, ...]
    kept: int
    missed: int
    leaked: int

    @property
    def identical(self) -> bool:
        """Same tokens in the same order (whitespace and markup aside)."""
        return self.missed == 0 and self.leaked == 0


def _ignored_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges `normalize` drops before tokenising: tags, comments, character references."""
    from benchmark.score.textnorm import markup_spans

    return markup_spans(text)


@functools.lru_cache(maxsize=1)
def _splitter() -> re.Pattern[str]:
    """The token pattern of `benchmark.score.textnorm` with one capturing group, so `split` yields the tokens."""
    from benchmark.score.textnorm import token_pattern

    return re.compile(f"({token_pattern().pattern})")


def token_spans(text: str) -> tuple[list[int], list[int], list[str]]:
    """Start offsets, end offsets and comparison keys (NFKC, casefolded) of the tokens of `text`.

    `re.split` with a capturing group returns separators and tokens
    alternately, all in C; offsets are running sums of the part lengths.
    """
    splitter = _splitter()
    parts = splitter.split(text)
    offsets = list(accumulate(map(len, parts)))
    starts = offsets[0::2][:-1]  # part 2k ends where token k starts
    ends = offsets[1::2]
    tokens = parts[1::2]
    folded = text.casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        # one character in, one character out: the folded text has the same token spans
        keys = splitter.split(folded)[1::2]
        if len(keys) != len(tokens):  # a folding that moved a token boundary: go token by token
            keys = [unicodedata.normalize("NFKC", t).casefold() for t in tokens]
    else:
        keys = [unicodedata.normalize("NFKC", t).casefold() for t in tokens]
    ignored = _ignored_spans(text)
    if ignored:
        keep = _outside(starts, ends, ignored)
        starts = list(compress(starts, keep))
        ends = list(compress(ends, keep))
        keys = list(compress(keys, keep))
    return starts, ends, keys


def _outside(starts: list[int], ends: list[int], ignored: list[tuple[int, int]]) -> list[bool]:
    """For each token, True when it does not overlap any ignored range (both lists sorted)."""
    keep = []
    j = 0
    for start, end in zip(starts, ends):
        while j < len(ignored) and ignored[j][1] <= start:
            j += 1
        keep.append(not (j < len(ignored) and ignored[j][0] < end))
    return keep


class _Builder:
    """Collects segments, merging neighbours of one kind."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.texts: list[str] = []

    def add(self, kind: str, text: str) -> None:
        if not text:
            return
        if self.kinds and self.kinds[-1] == kind:
            self.texts[-1] += text
        else:
            self.kinds.append(kind)
            self.texts.append(text)

    def ends_with_space(self) -> bool:
        return not self.texts or self.texts[-1][-1:].isspace()

    def segments(self) -> tuple[Segment, ...]:
        return tuple(Segment(k, t) for k, t in zip(self.kinds, self.texts))


#: equal runs up to this many tokens may slide to join a neighbouring equal run
_SLIDE_MAX = 4


def _blocks(opcodes) -> list[list]:
    """Opcodes as [tag, i1, i2, j1, j2] blocks of equal, delete and insert only (replace split in two)."""
    blocks = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace":
            blocks.append(["delete", i1, i2, j1, j1])
            blocks.append(["insert", i2, i2, j1, j2])
        elif (tag == "delete" and i2 > i1) or (tag == "insert" and j2 > j1) or (tag == "equal" and i2 > i1):
            blocks.append([tag, i1, i2, j1, j2])
    return blocks


def _slide(blocks: list[list], g_keys: list[str], p_keys: list[str]) -> list[list]:
    """Move short equal runs next to a neighbouring equal run when the same tokens sit there too.

    An LCS has many optimal forms; the first one found often matches a lone
    word of the page header ("Belden") with the gold's first word, leaving
    the real "BELDEN" that starts the article marked as leaked. Sliding the
    short match over to the long one keeps the LCS length (so every count)
    and shows what a reader expects.
    """
    changed = True
    rounds = 0
    while changed and rounds < 8:
        changed, rounds = False, rounds + 1
        equal = [k for k, b in enumerate(blocks) if b[0] == "equal"]
        for pos, k in enumerate(equal):
            _, i1, i2, j1, j2 = blocks[k]
            n = i2 - i1
            if n > _SLIDE_MAX:
                continue
            keys = g_keys[i1:i2]
            nxt = equal[pos + 1] if pos + 1 < len(equal) else None
            if nxt is not None and nxt > k + 1:
                g, p = blocks[nxt][1], blocks[nxt][3]
                if g_keys[g - n:g] == keys and p_keys[p - n:p] == keys and (g - n, p - n) != (i1, j1):
                    blocks[k] = ["equal", g - n, g, p - n, p]
                    blocks[k + 1:nxt] = []
                    _fill_gaps(blocks, k, i1, j1)
                    changed = True
                    break
            prv = equal[pos - 1] if pos > 0 else None
            if prv is not None and prv < k - 1:
                g, p = blocks[prv][2], blocks[prv][4]
                if g_keys[g:g + n] == keys and p_keys[p:p + n] == keys and (g, p) != (i1, j1):
                    blocks[k] = ["equal", g, g + n, p, p + n]
                    blocks[prv + 1:k] = []
                    _fill_gaps(blocks, prv + 1, None, None, after=(i2, j2))
                    changed = True
                    break
    merged: list[list] = []
    for block in blocks:
        if merged and merged[-1][0] == block[0]:
            merged[-1][2], merged[-1][4] = block[2], block[4]
        else:
            merged.append(block)
    return merged


#: an equal run of at most this many tokens between edits twice as long on both sides is a coincidence ("the")
_STRAY_MAX = 4
#: ... and so is a longer one dwarfed this many times by the edits on both sides
_STRAY_RATIO = 8


def _edits(blocks: list[list]) -> tuple[int, int]:
    """Missed and leaked token counts of a run of non-equal blocks."""
    return (sum(b[2] - b[1] for b in blocks if b[0] == "delete"),
            sum(b[4] - b[3] for b in blocks if b[0] == "insert"))


def _regroup(blocks: list[list]) -> list[list]:
    """Each stretch between equal runs as one delete (missed gold) then one insert (leaked output)."""
    out: list[list] = []
    pending: list[list] = []

    def flush() -> None:
        deletes = [b for b in pending if b[0] == "delete"]
        inserts = [b for b in pending if b[0] == "insert"]
        if deletes:
            out.append(["delete", deletes[0][1], deletes[-1][2], deletes[0][3], deletes[0][3]])
        if inserts:
            out.append(["insert", inserts[0][1], inserts[0][1], inserts[0][3], inserts[-1][4]])
        pending.clear()

    for block in blocks:
        if block[0] == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1][2], out[-1][4] = block[2], block[4]
            else:
                out.append(block)
        else:
            pending.append(block)
    flush()
    return out


def _cleanup(blocks: list[list]) -> list[list]:
    """Turn coincidental matches inside long edits into missed + leaked text, so a wrong output reads as one.

    Token LCS over two unrelated texts still matches their common words; a
    page of leaked chrome against a missed article would be shown as an
    unreadable interleave of red, blue and stray "the". Like the semantic
    cleanup of diff-match-patch, an equal run that is short next to the
    edits on both of its sides is shown as missed and leaked instead.
    """
    blocks = _regroup(blocks)
    for _ in range(20):
        equal = [k for k, b in enumerate(blocks) if b[0] == "equal"]
        stray = set()
        for pos, k in enumerate(equal):
            start = equal[pos - 1] + 1 if pos else 0
            stop = equal[pos + 1] if pos + 1 < len(equal) else len(blocks)
            before, after = blocks[start:k], blocks[k + 1:stop]
            if not before or not after:
                continue
            n = blocks[k][2] - blocks[k][1]
            side_before, side_after = max(_edits(before)), max(_edits(after))
            if (n <= _STRAY_MAX and 2 * n <= min(side_before, side_after)) or \
                    n * _STRAY_RATIO <= min(side_before, side_after):
                stray.add(k)
        if not stray:
            break
        split: list[list] = []
        for k, block in enumerate(blocks):
            if k in stray:
                _, i1, i2, j1, j2 = block
                split += [["delete", i1, i2, j1, j1], ["insert", i2, i2, j1, j2]]
            else:
                split.append(block)
        blocks = _regroup(split)
    return blocks


def _fill_gaps(blocks: list[list], k: int, i_from, j_from, after=None) -> None:
    """Re-insert delete/insert blocks for the tokens a slid equal run left uncovered."""
    if after is None:  # the run moved right: the gap is [i_from, new start) before it
        _, g0, _, p0, _ = blocks[k]
        gap = []
        if g0 > i_from:
            gap.append(["delete", i_from, g0, j_from, j_from])
        if p0 > j_from:
            gap.append(["insert", g0, g0, j_from, p0])
        blocks[k:k] = gap
    else:  # the run moved left: the gap is [new end, old end) after it
        _, _, g1, _, p1 = blocks[k]
        i_to, j_to = after
        gap = []
        if i_to > g1:
            gap.append(["delete", g1, i_to, p1, p1])
        if j_to > p1:
            gap.append(["insert", i_to, i_to, p1, j_to])
        blocks[k + 1:k + 1] = gap


def align(gold: str, output: str, *, gold_spans: tuple[list[int], list[int], list[str]] | None = None,
          cleanup: bool = True) -> Alignment:
    """Merge `output` and `gold` into one view: output text as returned, missed gold text inserted where it belongs.

    The segments other than `MISSED` join to `output` exactly. With `cleanup`
    (the default) coincidental matches inside long edits are shown as missed
    and leaked, so `kept` can be below the LCS length. Pass `gold_spans` (`token_spans(gold)`) when aligning many outputs against one gold.
    """
    g_start, g_end, g_keys = gold_spans if gold_spans is not None else token_spans(gold)
    p_start, p_end, p_keys = token_spans(output)
    out = _Builder()
    if not g_keys or not p_keys:
        opcodes = []
        if g_keys:
            opcodes.append(("delete", 0, len(g_keys), 0, 0))
        if p_keys:
            opcodes.append(("insert", 0, 0, 0, len(p_keys)))
    else:
        from rapidfuzz.distance import Indel

        # rapidfuzz hashes the list items itself: equal keys are equal tokens
        opcodes = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                   for op in Indel.opcodes(g_keys, p_keys)]

    blocks = _slide(_blocks(opcodes), g_keys, p_keys)
    if cleanup:
        blocks = _cleanup(blocks)
    kept = missed = leaked = 0
    done = 0  # output characters already shown
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "delete":
            # the output's punctuation right after the last shown token stays with it ("Thursday." + missed)
            upto = p_start[j1] if j1 < len(p_start) else len(output)
            gap = output[done:upto]
            punctuation = gap[:len(gap) - len(gap.lstrip(_TRAILING))]  # "" when the gap starts with a space
            if punctuation:
                out.add(PLAIN, punctuation)
                done += len(punctuation)
            # missed text carries its own leading space, so the other segments are the output exactly
            separator = gold[g_end[i1 - 1] if i1 else 0:g_start[i1]]
            lead = "" if out.ends_with_space() else "\n" if "\n" in separator and out.texts else " "
            out.add(MISSED, lead + gold[g_start[i1]:g_end[i2 - 1]])
            missed += i2 - i1
        else:
            separator = output[done:p_start[j1]]
            if out.kinds and out.kinds[-1] == MISSED and not separator[:1].isspace():
                out.texts[-1] += " "  # keep the next word off the missed text, inside the missed segment
            out.add(PLAIN, separator)
            kind = SAME if tag == "equal" else LEAKED
            out.add(kind, output[p_start[j1]:p_end[j2 - 1]])
            done = p_end[j2 - 1]
            if kind == SAME:
                kept += j2 - j1
            else:
                leaked += j2 - j1
    out.add(PLAIN, output[done:])
    return Alignment(segments=out.segments(), kept=kept, missed=missed, leaked=leaked)
