"""Who is tied at the top, with a multiple-comparison correction, and how pages split into wins, ties and losses.

The top group on a set of pages is the best extractor (highest mean) and
every other candidate whose paired-bootstrap difference from it is not
significant after Holm's step-down correction over the comparisons made
(one per other candidate). Holm controls the family-wise error rate at 5%
without assuming the comparisons are independent, which they are not (they
share the best extractor and the pages).

p-values come from the same paired bootstrap as the intervals: twice the
share of resamples on the far side of 0 (a percentile-bootstrap test), so a
difference whose 95% interval excludes 0 has p < 0.05 before correction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from benchmark.records import Comparison, TopGroup
from benchmark.stats.bootstrap import bootstrap_by_coverage, percentile_interval

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

#: family-wise error rate of the top-group test
ALPHA = 0.05
#: two per-page F1 within this of each other are a tie: about one token in a hundred, below what a reader sees
TIE_F1 = 0.01


def bootstrap_p_values(boot: np.ndarray) -> np.ndarray:
    """Two-sided p-value of "the difference is 0" per column of resampled differences (NaN resamples ignored)."""
    import numpy as np

    boot = np.asarray(boot, dtype=np.float64)
    finite = np.isfinite(boot)
    n = finite.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        below = ((boot <= 0) & finite).sum(axis=0) / n
        above = ((boot >= 0) & finite).sum(axis=0) / n
    return np.where(n > 0, np.minimum(1.0, 2.0 * np.minimum(below, above)), np.nan)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values, in the order given (NaN stays NaN and does not count as a test)."""
    import math

    tested = sorted((p, i) for i, p in enumerate(p_values) if p == p)
    m = len(tested)
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def _comparisons(best: str, others: Sequence[str], diffs: np.ndarray, boot: np.ndarray,
                 pages: Sequence[int]) -> list[Comparison]:
    """best - other for each column, Holm-corrected over the columns together."""
    low, high = percentile_interval(boot)
    raw = [float(p) for p in bootstrap_p_values(boot)]
    adjusted = holm(raw) if len(others) > 1 else raw
    rows = []
    for k, other in enumerate(others):
        p_holm = adjusted[k] if len(others) > 1 else None
        decisive = adjusted[k]
        rows.append(Comparison(a=best, b=other, pages=int(pages[k]), diff=float(diffs[k]), ci_low=float(low[k]),
                               ci_high=float(high[k]), p_value=raw[k], p_holm=p_holm,
                               significant=bool(pages[k] and decisive == decisive and decisive < ALPHA)))
    return rows


def top_group(matrix: np.ndarray, names: Sequence[str], *, seed: int, n_boot: int, group: str = "all pages",
              metric: str = "f1") -> TopGroup | None:
    """The best row (highest mean) and every row not significantly behind it (paired bootstrap, Holm).

    `matrix` is candidates x pages (NaN where a pair was not scored); the
    resamples are those of `paired.paired_differences` with the same seed,
    so its intervals and these agree.
    """
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float64)
    if not len(names) or matrix.shape[1] == 0:
        return None
    with np.errstate(invalid="ignore"):
        means = np.array([np.nanmean(row) if np.isfinite(row).any() else -np.inf for row in matrix])
    order = sorted(range(len(names)), key=lambda i: (-means[i], names[i]))
    if not np.isfinite(means[order[0]]):
        return None
    best, others = order[0], order[1:]
    pages = int(np.isfinite(matrix[best]).sum())
    if not others:
        return TopGroup(group=group, pages=pages, best=names[best], members=(names[best],), metric=metric)
    diff_rows = matrix[best][None, :] - matrix[others]
    shared = np.isfinite(diff_rows)
    with np.errstate(invalid="ignore"):
        diffs = np.array([row[ok].mean() if ok.any() else np.nan for row, ok in zip(diff_rows, shared)])
    boot = bootstrap_by_coverage(diff_rows, seed=seed, n_boot=n_boot)
    comparisons = _comparisons(names[best], [names[i] for i in others], diffs, boot, shared.sum(axis=1))
    members = (names[best], *(c.b for c in comparisons if not c.significant and c.pages))
    return TopGroup(group=group, pages=pages, best=names[best], members=members, comparisons=tuple(comparisons),
                    metric=metric)


def win_tie_loss(matrix: np.ndarray, tie: float = TIE_F1) -> np.ndarray:
    """(rows, rows, 3) counts of pages where row i beats, ties (|diff| <= tie) or loses to row j; both scored."""
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float64)
    diff = matrix[:, None, :] - matrix[None, :, :]
    both = np.isfinite(diff)
    # the tolerance is widened by a rounding hair, so 0.50 vs 0.51 is a tie whatever the float error
    slack = tie + 1e-9
    wins = ((diff > slack) & both).sum(axis=2)
    losses = ((diff < -slack) & both).sum(axis=2)
    ties = both.sum(axis=2) - wins - losses
    return np.stack([wins, ties, losses], axis=2)
