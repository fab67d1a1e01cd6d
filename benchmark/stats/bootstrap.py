"""The seeded bootstrap every interval shares: resampled pages, means under each resample, percentiles.

Resampling: one matrix of resampled page indices, drawn from
``numpy.random.default_rng(seed)``, is shared by every extractor of a table,
so intervals and paired differences refer to the same resampled pages, and
the same seed gives the same intervals. Rows that do not cover the same pages
(a partial run, or a metric undefined on some pages) are resampled over the
pages they do cover, still from the same seed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

#: 95% intervals everywhere
CI_LEVEL = 0.95
#: resampled indices are drawn in blocks of at most this many, to bound memory on huge corpora
_BLOCK_ELEMENTS = 4_000_000


def _resample_counts(n_pages: int, *, seed: int, n_boot: int) -> np.ndarray:
    """How often each page is drawn in each resample (n_boot x n_pages), from one seeded stream.

    The same (pages, seed, resamples) always gives the same matrix, so one
    report's many intervals share one draw (kept read-only, for a few calls).
    """
    return _cached_counts(int(n_pages), int(seed), int(n_boot), _BLOCK_ELEMENTS)


@functools.lru_cache(maxsize=4)
def _cached_counts(n_pages: int, seed: int, n_boot: int, block_elements: int) -> np.ndarray:
    import numpy as np

    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    rng = np.random.default_rng(seed)
    counts = np.zeros((n_boot, n_pages), dtype=np.float64)
    if n_pages == 0:
        return counts
    block = max(1, block_elements // n_pages)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        index = rng.integers(0, n_pages, size=(stop - start, n_pages))
        flat = index + (np.arange(stop - start)[:, None] * n_pages)
        counts[start:stop] = np.bincount(flat.ravel(), minlength=(stop - start) * n_pages).reshape(
            stop - start, n_pages)
    counts.flags.writeable = False
    return counts


def _means_from_counts(matrix: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Weighted means of every row under every resample; NaN cells are left out of their resample."""
    import numpy as np

    defined = np.isfinite(matrix)
    values = np.where(defined, matrix, 0.0)
    totals = counts @ values.T
    if defined.all():
        return totals / counts.shape[1]
    weights = counts @ defined.T.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, totals / np.where(weights > 0, weights, 1.0), np.nan)


def bootstrap_means(matrix: np.ndarray, *, seed: int, n_boot: int = 1000) -> np.ndarray:
    """Means of each row (extractor) over `n_boot` resamples of the columns (pages), shared by all rows.

    The resampled page indices come from ``numpy.random.default_rng(seed)``
    once, as an ``n_boot x pages`` matrix; the result is ``n_boot x
    extractors``. NaN cells (a metric undefined on a page) are left out of the
    mean of each resample; a resample that draws none of a row's defined
    pages gives NaN.
    """
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be extractors x pages, got shape {matrix.shape}")
    counts = _resample_counts(matrix.shape[1], seed=seed, n_boot=n_boot)
    if matrix.shape[1] == 0:
        return np.full((n_boot, matrix.shape[0]), np.nan)
    return _means_from_counts(matrix, counts)


def percentile_interval(values: np.ndarray, level: float = CI_LEVEL) -> tuple[Any, Any]:
    """Percentile interval along axis 0 (linear interpolation); NaN resamples are ignored."""
    import warnings

    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    tail = (1.0 - level) / 2.0 * 100.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column is simply NaN
        low, high = np.nanpercentile(values, [tail, 100.0 - tail], axis=0)
    return low, high


def bootstrap_by_coverage(matrix: np.ndarray, *, seed: int, n_boot: int) -> np.ndarray:
    """Bootstrap means where each group of rows is resampled over the pages it defines (same seed)."""
    import numpy as np

    out = np.full((n_boot, matrix.shape[0]), np.nan)
    defined = np.isfinite(matrix)
    groups: dict[bytes, list[int]] = {}
    for row in range(matrix.shape[0]):
        groups.setdefault(defined[row].tobytes(), []).append(row)
    for rows in groups.values():
        columns = defined[rows[0]]
        if columns.any():
            out[:, rows] = bootstrap_means(matrix[np.ix_(rows, columns)], seed=seed, n_boot=n_boot)
    return out

