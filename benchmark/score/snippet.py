"""trafilatura-compatible snippet scoring, for datasets whose gold is `with`/`without` snippets.

Definition (trafilatura's ``tests/evaluate.py`` and ``eval_common.py``; read,
not copied): output and snippets are whitespace-normalised
(``re.sub(r"\\s+", " ", s).strip()``) and matched as case-sensitive
substrings, with no Unicode normalisation. Per page, a ``with`` snippet found
is a true positive, missing a false negative; a ``without`` snippet found is
a false positive, absent a true negative. A failed extraction (None) finds
nothing. Counts are summed over the corpus and the scores come from the sums:
precision tp/(tp+fp), recall tp/(tp+fn), accuracy (tp+tn)/all,
F1 2tp/(2tp+fp+fn), each 0.0 when its denominator is 0 (as theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from benchmark.records import Extraction, Gold, Outcome

__all__ = [
    "SnippetCounts",
    "SnippetResult",
    "snippet_counts",
    "snippet_counts_for",
    "snippet_score",
    "snippet_score_pages",
]


@dataclass(frozen=True)
class SnippetCounts:
    """One page's confusion counts; sums of these give the corpus figures."""

    tp: int
    fn: int
    fp: int
    tn: int


@dataclass(frozen=True)
class SnippetResult:
    """Corpus figures computed from pooled counts, as trafilatura's table reports them."""

    precision: float
    recall: float
    accuracy: float
    f1: float
    tp: int
    fn: int
    fp: int
    tn: int
    n_pages: int


def _ws(text: str) -> str:
    """trafilatura's `norm`: whitespace runs to one space, stripped (`str.split` = `\\s`)."""
    return " ".join(text.split())


def snippet_counts(text: str | None, with_: Sequence[str], without: Sequence[str]) -> SnippetCounts:
    """Count one page: `with_` snippets found are tp, `without` snippets found are fp."""
    if text is None:
        return SnippetCounts(tp=0, fn=len(with_), fp=0, tn=len(without))
    haystack = _ws(text)
    tp = sum(1 for s in with_ if _ws(s) in haystack)
    fp = sum(1 for s in without if _ws(s) in haystack)
    return SnippetCounts(tp=tp, fn=len(with_) - tp, fp=fp, tn=len(without) - fp)


def snippet_counts_for(extraction: Extraction, gold: Gold) -> SnippetCounts:
    """Count an Extraction against a Gold's snippets; any failed outcome finds nothing."""
    ok = extraction.outcome in (Outcome.OK, Outcome.EMPTY)
    from benchmark.score.output_kinds import extraction_text

    return snippet_counts(extraction_text(extraction) if ok else None, gold.snippets_with, gold.snippets_without)


def snippet_score(counts: Iterable[SnippetCounts]) -> SnippetResult:
    """Pool per-page counts and derive precision, recall, accuracy and F1 from the sums."""
    tp = fn = fp = tn = pages = 0
    for c in counts:
        tp, fn, fp, tn, pages = tp + c.tp, fn + c.fn, fp + c.fp, tn + c.tn, pages + 1
    total = tp + fn + fp + tn
    return SnippetResult(
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / (tp + fn) if tp + fn else 0.0,
        accuracy=(tp + tn) / total if total else 0.0,
        f1=2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0,
        tp=tp,
        fn=fn,
        fp=fp,
        tn=tn,
        n_pages=pages,
    )


def snippet_score_pages(pages: Iterable[tuple[str | None, Sequence[str], Sequence[str]]]) -> SnippetResult:
    """`snippet_score` straight from (text, with, without) triples."""
    return snippet_score(snippet_counts(text, w, wo) for text, w, wo in pages)
