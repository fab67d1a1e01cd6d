"""Means and seeded bootstrap intervals of every row over every stratum, all strata in one vectorised pass.

A split table (language, era, layout tag ...) needs, per stratum and
extractor, a mean and a 95% interval from resampling that stratum's pages.
Calling `summarize` once per stratum costs a pandas pass and a bootstrap each
(120 calls for the bundled corpus); here every stratum of every split is one
column block of a single membership vector, one seeded draw resamples each
block within itself, and one weighted sum per row gives every resampled mean.

Resampling: stratum ``s`` with ``n_s`` pages draws ``n_s`` of its own pages
with replacement in each of ``n_boot`` resamples, all from one
``numpy.random.default_rng(seed)`` stream; the same seed gives the same
intervals. NaN cells (a pair not scored) are left out of their resample's
mean, as in `bootstrap.bootstrap_means`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from benchmark.stats.bootstrap import CI_LEVEL, percentile_interval

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

#: resampled memberships are drawn in blocks of at most this many cells, to bound memory on huge corpora
_BLOCK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class StratumMeans:
    """Per stratum and row: pages, point mean, resampled means and the 95% percentile interval."""

    pages: np.ndarray  # (strata,) pages in each stratum
    mean: np.ndarray  # (strata, rows) mean over the stratum's pages where the row is defined
    boot: np.ndarray  # (n_boot, strata, rows) means under each resample
    low: np.ndarray  # (strata, rows)
    high: np.ndarray  # (strata, rows)


def _membership_counts(sizes: np.ndarray, rng, n_boot: int) -> np.ndarray:
    """(n_boot, members) draw counts: each stratum's block resampled within itself."""
    import numpy as np

    total = int(sizes.sum())
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    size_of = np.repeat(sizes, sizes).astype(np.float64)
    start_of = np.repeat(starts, sizes)
    counts = np.zeros((n_boot, total), dtype=np.float64)
    if total == 0:
        return counts
    block = max(1, _BLOCK_ELEMENTS // total)
    for first in range(0, n_boot, block):
        last = min(n_boot, first + block)
        drawn = (rng.random((last - first, total)) * size_of).astype(np.int64) + start_of
        flat = drawn + np.arange(last - first)[:, None] * total
        counts[first:last] = np.bincount(flat.ravel(), minlength=(last - first) * total).reshape(last - first,
                                                                                                   total)
    return counts


def stratum_means(matrix: np.ndarray, strata: Sequence[Sequence[int]], *, seed: int, n_boot: int = 1000,
                  level: float = CI_LEVEL) -> StratumMeans:
    """Means of each row of `matrix` (rows x pages) over each stratum (a list of page columns), with intervals.

    One seeded draw resamples every stratum at once; a stratum with no
    defined cell for a row gives NaN for that row.
    """
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be rows x pages, got shape {matrix.shape}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    n_rows = matrix.shape[0]
    sizes = np.array([len(s) for s in strata], dtype=np.int64)
    n_strata = len(sizes)
    columns = np.concatenate([np.asarray(s, dtype=np.int64) for s in strata]) if n_strata else \
        np.empty(0, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if n_strata else sizes
    values = matrix[:, columns]  # rows x members
    defined = np.isfinite(values)
    filled = np.where(defined, values, 0.0)

    mean = np.full((n_strata, n_rows), np.nan)
    boot = np.full((n_boot, n_strata, n_rows), np.nan)
    nonempty = sizes > 0
    if n_strata and columns.size:
        cut = starts[nonempty]
        with np.errstate(invalid="ignore", divide="ignore"):
            sums = np.add.reduceat(filled, cut, axis=1)  # rows x nonempty strata
            weights = np.add.reduceat(defined.astype(np.float64), cut, axis=1)
            mean[nonempty] = np.where(weights > 0, sums / np.where(weights > 0, weights, 1), np.nan).T
        counts = _membership_counts(sizes, np.random.default_rng(seed), n_boot)
        for row in range(n_rows):
            totals = np.add.reduceat(counts * filled[row], cut, axis=1)
            if defined[row].all():
                drawn = sizes[nonempty].astype(np.float64)
            else:
                drawn = np.add.reduceat(counts * defined[row], cut, axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                boot[:, nonempty, row] = np.where(drawn > 0, totals / np.where(drawn > 0, drawn, 1), np.nan)
    low, high = percentile_interval(boot.reshape(n_boot, -1), level) if n_strata else (np.empty(0), np.empty(0))
    return StratumMeans(pages=sizes, mean=mean, boot=boot, low=np.reshape(low, (n_strata, n_rows)),
                        high=np.reshape(high, (n_strata, n_rows)))
