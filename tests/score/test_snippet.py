"""Snippet mode must count exactly as trafilatura's evaluation does."""

from __future__ import annotations

import pytest

from benchmark.records import Extraction, Gold, Outcome
from benchmark.score.snippet import (
    SnippetCounts,
    snippet_counts,
    snippet_counts_for,
    snippet_score,
    snippet_score_pages,
)

WITH = ["Die GEMA dreht völlig am Zeiger!", "200 g Zucker"]
WITHOUT = ["Impressum", "31. Mai"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die GEMA dreht völlig am Zeiger! ... 200 g Zucker", SnippetCounts(tp=2, fn=0, fp=0, tn=2)),
        # whitespace-normalised on both sides: line breaks and runs of spaces do not hide a snippet
        ("Die GEMA\n dreht  völlig\tam Zeiger!", SnippetCounts(tp=1, fn=1, fp=0, tn=2)),
        # case-sensitive
        ("die gema dreht völlig am zeiger! 200 g Zucker", SnippetCounts(tp=1, fn=1, fp=0, tn=2)),
        # without-snippets found are false positives
        ("200 g Zucker Impressum 31. Mai", SnippetCounts(tp=1, fn=1, fp=2, tn=0)),
        # no Unicode normalisation (trafilatura does none): NBSP is whitespace, full-width is not ASCII
        ("200\u00a0g Zucker", SnippetCounts(tp=1, fn=1, fp=0, tn=2)),
        ("２００ g Zucker", SnippetCounts(tp=0, fn=2, fp=0, tn=2)),
        ("", SnippetCounts(tp=0, fn=2, fp=0, tn=2)),
        (None, SnippetCounts(tp=0, fn=2, fp=0, tn=2)),  # a failed extraction finds nothing
    ],
)
def test_snippet_counts(text: str | None, expected: SnippetCounts) -> None:
    assert snippet_counts(text, WITH, WITHOUT) == expected


def test_corpus_scores_come_from_pooled_counts() -> None:
    pages = [
        ("A B", ["A", "B"], ["X"]),  # tp 2, tn 1
        ("A X", ["A", "C"], ["X", "Y"]),  # tp 1, fn 1, fp 1, tn 1
        (None, ["D"], ["Z"]),  # fn 1, tn 1
    ]
    result = snippet_score_pages(pages)
    assert (result.tp, result.fn, result.fp, result.tn, result.n_pages) == (3, 2, 1, 3, 3)
    assert result.precision == pytest.approx(3 / 4)
    assert result.recall == pytest.approx(3 / 5)
    assert result.accuracy == pytest.approx(6 / 9)
    assert result.f1 == pytest.approx(6 / 9)  # 2tp / (2tp + fp + fn)
    # pooled, not a mean of page scores: page 3 alone would have recall 0
    assert result.recall != pytest.approx((1 + 0.5 + 0) / 3)


def test_empty_denominators_give_zero() -> None:
    result = snippet_score([])
    assert (result.precision, result.recall, result.accuracy, result.f1, result.n_pages) == (0.0, 0.0, 0.0, 0.0, 0)
    nothing_found = snippet_score([SnippetCounts(tp=0, fn=3, fp=0, tn=2)])
    assert nothing_found.precision == 0.0 and nothing_found.accuracy == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("outcome", "expected_tp"),
    [(Outcome.OK, 1), (Outcome.EMPTY, 0), (Outcome.ERROR, 0), (Outcome.TIMEOUT, 0), (Outcome.CRASH, 0)],
)
def test_counts_for_extraction_outcomes(outcome: Outcome, expected_tp: int) -> None:
    gold = Gold(page_id="p", path="x.json", text=None, snippets_with=("body text",), snippets_without=("Impressum",))
    text = "" if outcome is Outcome.EMPTY else "body text Impressum"
    counts = snippet_counts_for(Extraction("x", "p", outcome, text=text), gold)
    assert counts.tp == expected_tp and counts.tp + counts.fn == 1
    assert counts.fp == (1 if outcome is Outcome.OK else 0)  # a failed pair leaks nothing
