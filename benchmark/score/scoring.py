"""Score one pair whatever kind of gold the page has: a body text, or only snippets.

The pipeline (through `RunScorer`, each extraction as it lands), `boilerbench
score` and the regression gate all score through `score_pair`, so there is
one scoring core.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from benchmark.records import Card, Corpus, Extraction, Gold, Outcome, PageScore
from benchmark.score.lexicon import Lexicon

if TYPE_CHECKING:
    from benchmark.score.memo import ScoreMemo


def score_snippet_page(extraction: Extraction, gold: Gold) -> PageScore:
    """A snippet-only page: per-page P/R/F1 from its snippet counts; tp/n_pred/n_gold pool them.

    Pooling tp over n_pred (= tp + fp) and n_gold (= tp + fn) across pages gives
    exactly trafilatura's corpus precision and recall (the micro columns).
    """
    from benchmark.score.snippet import snippet_counts_for

    counts = snippet_counts_for(extraction, gold)
    n_pred, n_gold = counts.tp + counts.fp, counts.tp + counts.fn
    precision = counts.tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    recall = counts.tp / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PageScore(extractor=extraction.extractor, page_id=extraction.page_id, outcome=extraction.outcome,
                     precision=precision, recall=recall, f1=f1, lcs_f1=float("nan"), chrome_leak=None,
                     ms=extraction.ms, tp=counts.tp, n_pred=n_pred, n_gold=n_gold)


def score_pair(extraction: Extraction, gold: Gold, card: Card | None, lexicon: Lexicon | None = None) -> PageScore:
    """Body-text metrics where the gold has a body, snippet metrics where it has only snippets."""
    from benchmark.score.metrics import score_extraction

    if gold.text is None:
        return score_snippet_page(extraction, gold)
    return score_extraction(extraction, gold, card, lexicon)


def with_aeb(score: PageScore, extraction: Extraction, gold: Gold) -> PageScore:
    """The page's AEB shingle precision and recall beside our metrics (a failed extraction reads as empty, as AEB)."""
    import dataclasses

    from benchmark.score.aeb import aeb_page_counts, aeb_precision, aeb_recall

    from benchmark.score.output_kinds import extraction_text

    text = extraction_text(extraction) if extraction.outcome in (Outcome.OK, Outcome.EMPTY) else ""
    tp, fp, fn = aeb_page_counts(gold.text or "", text)
    return dataclasses.replace(score, aeb_precision=aeb_precision(tp, fp, fn) if tp + fp > 0 else None,
                               aeb_recall=aeb_recall(tp, fp, fn) if tp + fn > 0 else None)


class RunScorer:
    """Scores each extraction of a run as it lands, against its page's gold and card; keeps the PageScores."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon | None = None, memo: ScoreMemo | None = None) -> None:
        from benchmark.score.lexicon import load_lexicon

        self.golds = corpus.golds
        self.cards = {page.page_id: page.card for page in corpus.pages}
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.own_metric = corpus.provenance.metric if corpus.provenance is not None else ""
        self.memo = memo
        self.scores: list[PageScore] = []
        #: seconds spent scoring (replays included), for the run's closing line
        self.seconds = 0.0

    def add(self, extraction: Extraction) -> PageScore:
        started = time.perf_counter()
        gold, card = self.golds[extraction.page_id], self.cards[extraction.page_id]
        if self.memo is None:
            score = self._score(extraction, gold, card)
        else:
            score = self.memo.score(extraction, gold, card, self.lexicon, lambda: self._score(extraction, gold, card),
                                    variant=self.own_metric)
        self.scores.append(score)
        self.seconds += time.perf_counter() - started
        return score

    def warm(self) -> None:
        """Score a made-up pair, not kept: the first real result then finds the lexicon compiled and the
        metric modules imported (the pipeline calls this while the workers run their first pages)."""
        text = "Share this on: the harbour bridge reopened on Monday after eight months of repairs."
        self._score(Extraction(extractor="__warmup__", page_id="__warmup__", outcome=Outcome.OK, text=text),
                    Gold(page_id="__warmup__", path="", text=text), None)

    def _score(self, extraction: Extraction, gold: Gold, card: Card | None) -> PageScore:
        score = score_pair(extraction, gold, card, self.lexicon)
        if self.own_metric == "aeb" and gold.text is not None:
            score = with_aeb(score, extraction, gold)
        return score

    def table(self):
        """The scores.csv table: one row per (extractor, page), in that order."""
        from benchmark.results import scores_frame

        return scores_frame(self.scores).sort_values(["extractor", "page_id"], kind="stable")
