"""One extractor's outputs scored against the golds under any metric: token, lcs, aeb, rouge or snippet.

`boilerbench score` scores predictions made elsewhere and re-scores stored
runs through `score_extractions`.

Metrics, and what each row averages:

* ``token``: our token precision/recall/F1 (benchmark.score.metrics through
  scoring.score_pair): macro means over pages, any outcome but ok/empty a
  full miss; 95% percentile bootstrap intervals over pages (seeded);
* ``lcs``: the same with the longest common token subsequence (order-aware);
* ``aeb``: Scrapinghub AEB's definition exactly (benchmark.score.aeb):
  precision and recall means over the pages where each is defined, F1 of the
  two means, accuracy = share of pages with identical token lists; standard
  deviations over page resamples as AEB prints them (seeded here);
* ``rouge``: ROUGE-LSum as the web content extraction benchmark computes it
  (benchmark.score.rouge, lines as summary units), mean over pages, with intervals;
* ``snippet``: trafilatura's snippet evaluation (benchmark.score.snippet):
  counts summed over the pages, scores from the sums.

The two compatibility modes (aeb, rouge) read a failed extraction as an empty
text, as those benchmarks do; token and lcs count it as a full miss, as the
rest of boilerbench does. Pages without the metric's kind of gold (no body
text for token/lcs/aeb/rouge, no snippets for snippet) are left out and
counted in ``skipped``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Mapping, Sequence

from benchmark.records import Extraction, Gold, Outcome

METRICS = ("token", "aeb", "snippet", "lcs", "rouge")
DEFINITIONS = {
    "token": "token precision/recall/F1 (NFKC, casefolded \\w tokens, multiset overlap): macro mean over pages; "
             "failures score 0",
    "lcs": "order-aware token precision/recall/F1 (longest common subsequence): macro mean over pages; "
           "failures score 0",
    "aeb": "Scrapinghub AEB: case-sensitive \\w+ tokens, 4-token shingles; precision and recall averaged over "
           "the pages where each is defined, F1 of the two means; accuracy = share of pages with identical tokens",
    "rouge": "ROUGE-LSum (rouge-score rougeLsum, whitespace tokens, lines as units, no stemmer, WCEB's "
             "empty-gold rule): mean over pages",
    "snippet": "trafilatura snippet evaluation: with/without snippets found (whitespace-normalised, "
               "case-sensitive) summed over pages; precision, recall, accuracy, F1 from the sums",
}
#: the metrics whose page scores are averaged (and bootstrapped) over pages
_MACRO = ("token", "lcs", "rouge")
_SCORED = (Outcome.OK, Outcome.EMPTY)


def has_gold(metric: str, gold: Gold) -> bool:
    if metric == "snippet":
        return bool(gold.snippets_with or gold.snippets_without)
    return gold.text is not None


def default_metric(golds: Mapping[str, Gold]) -> str:
    """token, or snippet where no page has a body gold (snippet sets)."""
    if golds and all(g.text is None for g in golds.values()):
        return "snippet"
    return "token"


def _compat_text(extraction: Extraction) -> str:
    """What AEB and WCEB score for an output: its text, or "" for a failed extraction."""
    from benchmark.score.output_kinds import extraction_text

    return extraction_text(extraction) if extraction.outcome in _SCORED else ""


def _page_prf(metric: str, extraction: Extraction, gold: Gold) -> tuple[float, float, float]:
    """(precision, recall, f1) of one page under a macro metric."""
    assert gold.text is not None
    if metric == "token":
        from benchmark.score.lexicon import Lexicon
        from benchmark.score.scoring import score_pair

        score = score_pair(extraction, gold, None, Lexicon(version="none", phrases=()))
        return score.precision, score.recall, score.f1
    if metric == "lcs":
        from benchmark.score.metrics import lcs_overlap
        from benchmark.score.textnorm import normalize, tokenize_normalized

        if extraction.outcome not in _SCORED:
            return 0.0, 0.0, 0.0
        overlap = lcs_overlap(tokenize_normalized(normalize(_compat_text(extraction))),
                              tokenize_normalized(normalize(gold.text)))
        return overlap.precision, overlap.recall, overlap.f1
    from benchmark.score.rouge import wceb_rouge_lsum

    rouge = wceb_rouge_lsum(gold.text, _compat_text(extraction))
    return rouge.precision, rouge.recall, rouge.fmeasure


def _macro(metric: str, pairs: Sequence[tuple[Extraction, Gold]], *, seed: int, n_boot: int) -> dict[str, Any]:
    """Means over pages and their seeded percentile bootstrap intervals (pages in id order)."""
    import numpy as np

    from benchmark.stats.bootstrap import bootstrap_means, percentile_interval

    matrix = np.array([_page_prf(metric, e, g) for e, g in pairs], dtype=np.float64).reshape(-1, 3).T
    result: dict[str, Any] = {}
    for row, key in enumerate(("precision", "recall", "f1")):
        result[key] = float(matrix[row].mean()) if matrix.shape[1] else math.nan
    if n_boot > 0 and matrix.shape[1]:
        low, high = percentile_interval(bootstrap_means(matrix, seed=seed, n_boot=n_boot))
        for row, key in enumerate(("precision", "recall", "f1")):
            result[f"{key}_ci_low"], result[f"{key}_ci_high"] = float(low[row]), float(high[row])
    return result


def _aeb(pairs: Sequence[tuple[Extraction, Gold]], *, seed: int, n_boot: int) -> dict[str, Any]:
    from benchmark.score.aeb import aeb_score

    result = aeb_score([(g.text or "", _compat_text(e)) for e, g in pairs], n_bootstrap=n_boot, seed=seed)
    row: dict[str, Any] = {"precision": result.precision, "recall": result.recall, "f1": result.f1,
                           "accuracy": result.accuracy}
    if result.n_bootstrap:
        row.update({"precision_std": result.precision_std, "recall_std": result.recall_std,
                    "f1_std": result.f1_std, "accuracy_std": result.accuracy_std})
    return row


def _snippet(pairs: Sequence[tuple[Extraction, Gold]]) -> dict[str, Any]:
    from benchmark.score.snippet import snippet_counts_for, snippet_score

    result = snippet_score(snippet_counts_for(e, g) for e, g in pairs)
    return {"precision": result.precision, "recall": result.recall, "f1": result.f1, "accuracy": result.accuracy,
            "tp": result.tp, "fn": result.fn, "fp": result.fp, "tn": result.tn}


def score_extractions(metric: str, extractions: Sequence[Extraction], golds: Mapping[str, Gold], *,
                      seed: int, n_boot: int) -> dict[str, Any]:
    """One extractor's outputs (one per page) scored against the golds that have the metric's gold."""
    pairs = sorted(((e, golds[e.page_id]) for e in extractions
                    if e.page_id in golds and has_gold(metric, golds[e.page_id])), key=lambda pair: pair[0].page_id)
    outcomes = Counter(str(e.outcome) for e, _ in pairs)
    row: dict[str, Any] = {"n_pages": len(pairs), "skipped": len(extractions) - len(pairs)}
    if metric in _MACRO:
        row.update(_macro(metric, pairs, seed=seed, n_boot=n_boot))
    elif metric == "aeb":
        row.update(_aeb(pairs, seed=seed, n_boot=n_boot))
    elif metric == "snippet":
        row.update(_snippet(pairs))
    else:
        raise ValueError(f"unknown metric {metric!r}")
    row["failures"] = sum(n for outcome, n in outcomes.items() if outcome != Outcome.OK.value)
    row["outcomes"] = dict(sorted(outcomes.items()))
    return row
