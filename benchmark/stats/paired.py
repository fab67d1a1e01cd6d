"""Paired differences: two extractors (or one extractor in two runs) over the same resampled pages.

A difference whose 95% paired-bootstrap interval excludes 0 is significant;
one that crosses 0 is reported as not significant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from benchmark.stats.bootstrap import bootstrap_by_coverage, percentile_interval
from benchmark.stats.summary import SCORE_COLUMNS, _normalized, _order_by_mean, _pivot, _scored

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    import pandas as pd

PAIR_COLUMNS = ("a", "b", "metric", "pages", "mean_a", "mean_b", "mean_diff", "ci_low", "ci_high", "significant")


def _paired_rows(matrix: np.ndarray, names: Sequence[str], pairs: Sequence[tuple[int, int]], *, metric: str,
                 seed: int, n_boot: int) -> list[dict[str, Any]]:
    """Point difference and paired-bootstrap interval for each (a, b) row pair of `matrix`."""
    import numpy as np

    if not pairs:
        return []
    first = np.array([a for a, _ in pairs])
    second = np.array([b for _, b in pairs])
    diffs = matrix[first] - matrix[second]  # NaN unless both defined on the page
    boot = bootstrap_by_coverage(diffs, seed=seed, n_boot=n_boot)
    low, high = percentile_interval(boot)
    shared = np.isfinite(diffs)
    rows = []
    for k, (a, b) in enumerate(pairs):
        both = shared[k]
        n = int(both.sum())
        mean_a = float(matrix[a, both].mean()) if n else float("nan")
        mean_b = float(matrix[b, both].mean()) if n else float("nan")
        ci_low, ci_high = float(low[k]), float(high[k])
        rows.append({
            "a": names[a], "b": names[b], "metric": metric, "pages": n, "mean_a": mean_a, "mean_b": mean_b,
            "mean_diff": float(diffs[k, both].mean()) if n else float("nan"),
            "ci_low": ci_low, "ci_high": ci_high,
            "significant": bool(n and (ci_low > 0 or ci_high < 0)),
        })
    return rows


def paired_differences(scores: pd.DataFrame, *, seed: int, n_boot: int = 1000, metric: str = "f1") -> pd.DataFrame:
    """Mean a-b for every ordered pair of available extractors, with a paired bootstrap 95% interval.

    Both extractors of a pair are resampled over the same pages (the pages
    they share where `metric` is defined); `significant` means the interval
    excludes 0. Rows follow the ranking by mean `metric`, best first.
    """
    import pandas as pd

    if metric not in SCORE_COLUMNS[3:]:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(SCORE_COLUMNS[3:])}")
    frame = _normalized(scores)
    names = _order_by_mean(frame, metric)
    if len(names) < 2:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    matrix, _ = _pivot(frame, metric, names)
    pairs = [(a, b) for a in range(len(names)) for b in range(len(names)) if a != b]
    rows = _paired_rows(matrix, names, pairs, metric=metric, seed=seed, n_boot=n_boot)
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


def compare_runs(scores_a: pd.DataFrame, scores_b: pd.DataFrame, extractor: str, *, seed: int,
                 n_boot: int = 1000, metric: str = "f1") -> pd.DataFrame:
    """One extractor in two runs: mean a-b over the pages both scored, paired bootstrap 95% interval.

    Pass the newer run as `scores_a` to read `mean_diff` as the change it
    brought. Pages scored in only one run are counted (pages_only_a,
    pages_only_b) but left out of the difference.
    """
    import numpy as np
    import pandas as pd

    if metric not in SCORE_COLUMNS[3:]:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(SCORE_COLUMNS[3:])}")
    series = []
    for label, scores in (("a", scores_a), ("b", scores_b)):
        frame = _scored(_normalized(scores))
        rows = frame[frame["extractor"] == extractor]
        if rows.empty:
            raise ValueError(f"run {label} has no scored pages for extractor {extractor!r}")
        series.append(rows.set_index("page_id")[metric])
    pages_a, pages_b = set(series[0].index), set(series[1].index)
    shared = sorted(pages_a & pages_b)
    matrix = np.vstack([s.reindex(shared).to_numpy(dtype=np.float64) for s in series]) if shared \
        else np.empty((2, 0))
    rows = _paired_rows(matrix, [f"{extractor} (a)", f"{extractor} (b)"], [(0, 1)], metric=metric, seed=seed,
                        n_boot=n_boot)
    row = {"extractor": extractor, **{k: v for k, v in rows[0].items() if k not in {"a", "b"}},
           "pages_only_a": len(pages_a - pages_b), "pages_only_b": len(pages_b - pages_a)}
    return pd.DataFrame([row])

