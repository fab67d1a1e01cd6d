"""Per-extractor summaries, paired differences and split tables, with seeded bootstrap intervals.

Every table states what it averages. The summary columns:

==================  ==========================================================
column              what it is
==================  ==========================================================
extractor, version  registry name; version as captured for the run
pages               scored pages: every outcome except ``unavailable``
f1_mean             macro: mean of per-page token F1 over scored pages; a page
                    whose outcome is empty/error/timeout/crash counts as 0
f1_ci_low/high      95% percentile bootstrap interval of f1_mean (pages
                    resampled with replacement, ``n_boot`` times, seeded)
precision_mean,     macro means of per-page precision, recall and
recall_mean,        order-aware LCS F1, over scored pages (failures count 0)
lcs_f1_mean
chrome_leak_rate    mean of per-page ``chrome_leak`` (share of the card's
                    chrome strings found in the output) over the pages whose
                    card lists chrome; pages without chrome are left out, not
                    counted as 0
must_include_rate   mean of per-page ``must_include`` share over the pages
                    whose card lists must-include passages
ms_median, ms_p95   median and 95th percentile (linear interpolation) of the
                    extractor call time over the pages where it was timed
failures            scored pages whose outcome is not ``ok``
                    (= n_empty + n_error + n_timeout + n_crash)
------------------  ----------------------------------------------------------
f1_median           median of per-page F1 over scored pages
micro_precision,    pooled counts: sum(tp)/sum(n_pred), sum(tp)/sum(n_gold)
micro_recall,       and their harmonic mean, over scored pages (long pages
micro_f1            weigh more; the page conventions apply to the sums)
n_<outcome>         pairs per outcome (ok, empty, error, timeout, crash,
                    unavailable)
available           False when every page is ``unavailable`` (library not
                    installed): pages 0 and every metric NaN, never zeros;
                    the report shows such a row as a footnote
precision_ci_*,     95% percentile bootstrap intervals of the two means
recall_ci_*
ms_mean             mean call time over timed pages (pages/s = 1000/ms_mean)
==================  ==========================================================

Resampling: one matrix of resampled page indices, drawn from
``numpy.random.default_rng(seed)``, is shared by every extractor of a table,
so intervals and paired differences refer to the same resampled pages, and
the same seed gives the same intervals. Rows that do not cover the same pages
(a partial run, or a metric undefined on some pages) are resampled over the
pages they do cover, still from the same seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    import pandas as pd

#: the first columns of `summarize`, in this order (more follow)
SUMMARY_COLUMNS = (
    "extractor", "version", "pages", "f1_mean", "f1_ci_low", "f1_ci_high", "precision_mean",
    "recall_mean", "lcs_f1_mean", "chrome_leak_rate", "must_include_rate", "ms_median", "ms_p95",
    "failures",
)
OUTCOMES = ("ok", "empty", "error", "timeout", "crash", "unavailable")
EXTRA_COLUMNS = (
    "f1_median", "micro_precision", "micro_recall", "micro_f1",
    *(f"n_{outcome}" for outcome in OUTCOMES),
    "available", "precision_ci_low", "precision_ci_high", "recall_ci_low", "recall_ci_high", "ms_mean",
)
#: columns a scores table must have
SCORE_COLUMNS = (
    "extractor", "page_id", "outcome", "precision", "recall", "f1", "lcs_f1", "chrome_leak",
    "must_include", "ms", "tp", "n_pred", "n_gold",
)
PAIR_COLUMNS = ("a", "b", "metric", "pages", "mean_a", "mean_b", "mean_diff", "ci_low", "ci_high", "significant")
#: 95% intervals everywhere
CI_LEVEL = 0.95
#: resampled indices are drawn in blocks of at most this many, to bound memory on huge corpora
_BLOCK_ELEMENTS = 4_000_000
_UNAVAILABLE = "unavailable"


def _resample_counts(n_pages: int, *, seed: int, n_boot: int) -> np.ndarray:
    """How often each page is drawn in each resample (n_boot x n_pages), from one seeded stream."""
    import numpy as np

    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    rng = np.random.default_rng(seed)
    counts = np.zeros((n_boot, n_pages), dtype=np.float64)
    if n_pages == 0:
        return counts
    block = max(1, _BLOCK_ELEMENTS // n_pages)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        index = rng.integers(0, n_pages, size=(stop - start, n_pages))
        flat = index + (np.arange(stop - start)[:, None] * n_pages)
        counts[start:stop] = np.bincount(flat.ravel(), minlength=(stop - start) * n_pages).reshape(
            stop - start, n_pages)
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


def _bootstrap_by_coverage(matrix: np.ndarray, *, seed: int, n_boot: int) -> np.ndarray:
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


def _normalized(scores: pd.DataFrame) -> pd.DataFrame:
    """A checked copy with outcome as plain strings and numeric metric columns."""
    import pandas as pd

    missing = [column for column in SCORE_COLUMNS if column not in scores.columns]
    if missing:
        raise ValueError(f"scores table lacks column(s) {', '.join(missing)}")
    frame = scores.loc[:, list(SCORE_COLUMNS)].copy()
    frame["extractor"] = frame["extractor"].map(str)
    frame["page_id"] = frame["page_id"].map(str)
    frame["outcome"] = frame["outcome"].map(str)
    for column in SCORE_COLUMNS[3:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    duplicated = frame.duplicated(["extractor", "page_id"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ValueError(f"scores table has more than one row for ({first['extractor']}, {first['page_id']})")
    return frame


def _scored(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that count: unavailable pairs are a footnote, never zeros."""
    return frame[frame["outcome"] != _UNAVAILABLE]


def scored_pages(scores: pd.DataFrame) -> pd.DataFrame:
    """The checked rows every mean here is taken over (unavailable pairs dropped), for the gate."""
    return _scored(_normalized(scores))


def _order_by_mean(frame: pd.DataFrame, metric: str) -> list[str]:
    """Available extractors, best mean first, ties by name (a stable order for every table)."""
    means = _scored(frame).groupby("extractor")[metric].mean()
    def key(name: str) -> tuple[bool, float, str]:
        mean = means[name]
        return (mean != mean, 0.0 if mean != mean else -mean, name)  # NaN means last

    return sorted(means.index, key=key)


def _pivot(frame: pd.DataFrame, metric: str, names: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """extractors x pages matrix of one metric (NaN where a pair is missing or undefined)."""
    import numpy as np

    scored = _scored(frame)
    pages = sorted(scored["page_id"].unique())
    table = scored.pivot(index="extractor", columns="page_id", values=metric)
    table = table.reindex(index=list(names), columns=pages)
    return table.to_numpy(dtype=np.float64), pages


def point_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Per extractor: scored pages, mean F1 and chrome leak rate, availability (no resampling).

    The gate pins these figures; `summarize` reports the same ones, so both
    always agree on what a mean is.
    """
    import pandas as pd

    frame = _normalized(scores)
    rows = []
    for name, group in frame.groupby("extractor", sort=True):
        scored = _scored(group)
        rows.append({
            "extractor": name,
            "pages": len(scored),
            "f1_mean": scored["f1"].mean() if len(scored) else float("nan"),
            "chrome_leak_rate": scored["chrome_leak"].mean() if len(scored) else float("nan"),
            "available": bool(len(scored)),
        })
    return pd.DataFrame(rows, columns=["extractor", "pages", "f1_mean", "chrome_leak_rate", "available"])


def _pooled(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    """Micro precision, recall, F1 from summed counts, with the per-page conventions of DESIGN.md."""
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    if n_pred == 0:
        return 0.0, 0.0, 0.0
    if n_gold == 0:
        return 0.0, 1.0, 0.0
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summarize(scores: pd.DataFrame, versions: Mapping[str, str | None], *, seed: int,
              n_boot: int = 1000) -> pd.DataFrame:
    """One row per extractor with macro and micro figures and seeded 95% intervals, best F1 first."""
    import pandas as pd

    frame = _normalized(scores)
    columns = [*SUMMARY_COLUMNS, *EXTRA_COLUMNS]
    names = _order_by_mean(frame, "f1")
    intervals: dict[str, dict[str, float]] = {name: {} for name in names}
    if names:
        for metric in ("f1", "precision", "recall"):
            matrix, _ = _pivot(frame, metric, names)
            low, high = percentile_interval(_bootstrap_by_coverage(matrix, seed=seed, n_boot=n_boot))
            for i, name in enumerate(names):
                intervals[name][f"{metric}_ci_low"] = float(low[i])
                intervals[name][f"{metric}_ci_high"] = float(high[i])

    rows = []
    nan = float("nan")
    for name, group in frame.groupby("extractor", sort=True):
        counts = group["outcome"].value_counts()
        row: dict[str, Any] = {"extractor": name, "version": versions.get(name)}
        for outcome in OUTCOMES:
            row[f"n_{outcome}"] = int(counts.get(outcome, 0))
        scored = _scored(group)
        row["pages"] = len(scored)
        row["available"] = bool(len(scored))
        row["failures"] = int((scored["outcome"] != "ok").sum())
        if len(scored):
            ms = scored["ms"].dropna()
            precision, recall, f1 = _pooled(scored["tp"].sum(), scored["n_pred"].sum(), scored["n_gold"].sum())
            row.update({
                "f1_mean": scored["f1"].mean(), "f1_median": scored["f1"].median(),
                "precision_mean": scored["precision"].mean(), "recall_mean": scored["recall"].mean(),
                "lcs_f1_mean": scored["lcs_f1"].mean(),
                "chrome_leak_rate": scored["chrome_leak"].mean(),  # NaN pages skipped
                "must_include_rate": scored["must_include"].mean(),
                "ms_median": ms.median() if len(ms) else nan,
                "ms_p95": ms.quantile(0.95) if len(ms) else nan,
                "ms_mean": ms.mean() if len(ms) else nan,
                "micro_precision": precision, "micro_recall": recall, "micro_f1": f1,
                **intervals.get(name, {}),
            })
        rows.append(row)
    summary = pd.DataFrame(rows).reindex(columns=columns)
    for column in ("pages", "failures", *(f"n_{o}" for o in OUTCOMES)):
        summary[column] = summary[column].astype("int64")
    summary["available"] = summary["available"].astype(bool)
    for column in columns:
        if column not in {"extractor", "version", "available", "pages", "failures"} and not column.startswith("n_"):
            summary[column] = summary[column].astype("float64")
    summary = summary.sort_values("extractor", kind="mergesort")
    summary = summary.sort_values("f1_mean", ascending=False, na_position="last", kind="mergesort")
    summary = summary.reset_index(drop=True)
    summary.attrs.update({"seed": seed, "n_boot": n_boot, "ci_level": CI_LEVEL})
    return summary


def _paired_rows(matrix: np.ndarray, names: Sequence[str], pairs: Sequence[tuple[int, int]], *, metric: str,
                 seed: int, n_boot: int) -> list[dict[str, Any]]:
    """Point difference and paired-bootstrap interval for each (a, b) row pair of `matrix`."""
    import numpy as np

    if not pairs:
        return []
    first = np.array([a for a, _ in pairs])
    second = np.array([b for _, b in pairs])
    diffs = matrix[first] - matrix[second]  # NaN unless both defined on the page
    boot = _bootstrap_by_coverage(diffs, seed=seed, n_boot=n_boot)
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


#: labels of strata that would otherwise vanish silently
NO_TAG = "(none)"
UNKNOWN = "unknown"


def _as_tags(value: Any) -> list[str]:
    """A layout cell as a list of tags: lists, tuples, or a JSON array string as pages.csv stores it."""
    import json

    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except ValueError:
                pass
        return [text] if text else []
    return []


def _difficulty_bins(values: pd.Series, bins: int) -> pd.Series:
    """Quantile bins labelled 'Q1 0.05-0.21' (Q1 = smallest gold share = most chrome around the body)."""
    import pandas as pd

    numeric = pd.to_numeric(values, errors="coerce")
    labels = pd.Series(UNKNOWN, index=values.index, dtype=object)
    known = numeric.dropna()
    if known.empty:
        return labels
    codes = pd.qcut(known, q=min(bins, known.nunique()), labels=False, duplicates="drop")
    for code in sorted(codes.unique()):
        members = known[codes == code]
        labels[members.index] = f"Q{int(code) + 1} {members.min():.2f}-{members.max():.2f}"
    return labels


def split_summary(scores: pd.DataFrame, pages: pd.DataFrame, by: str, *, seed: int, n_boot: int = 1000,
                  versions: Mapping[str, str | None] | None = None, bins: int = 4) -> pd.DataFrame:
    """`summarize` per stratum of one card field; the first column, named `by`, holds the stratum.

    List-valued fields (``layout``) count a page in each of its tags (and in
    "(none)" when it has none). ``difficulty`` (share of the page's visible
    tokens that are gold) is cut into `bins` quantile bins labelled with their
    range. Pages without a row in `pages` go to "unknown".
    """
    import pandas as pd

    frame = _normalized(scores)
    if "page_id" not in pages.columns:
        raise ValueError("pages table lacks column page_id")
    if by not in pages.columns or by in {"page_id", "extractor"}:
        fields = ", ".join(c for c in pages.columns if c != "page_id")
        raise ValueError(f"cannot split by {by!r}; the pages table has {fields}")
    unique = pages.drop_duplicates("page_id")
    cards = pd.Series(unique[by].to_numpy(), index=unique["page_id"].map(str).to_numpy())
    if by == "difficulty":
        strata_of = _difficulty_bins(cards, bins).map(lambda label: [label])
    else:
        is_list = cards.map(lambda v: isinstance(v, (list, tuple)) or (isinstance(v, str) and v.startswith("[")))
        if is_list.any():
            strata_of = cards.map(lambda v: _as_tags(v) or [NO_TAG])
        else:
            strata_of = cards.map(lambda v: [UNKNOWN if v is None or v != v or str(v) == "" else str(v)])
    membership = pd.DataFrame({"page_id": frame["page_id"].unique()})
    membership["stratum"] = membership["page_id"].map(lambda p: strata_of.get(p, [UNKNOWN]))
    membership = membership.explode("stratum")

    versions = versions or {}
    tables = []
    for stratum in sorted(membership["stratum"].unique(), key=lambda s: (s in {UNKNOWN, NO_TAG}, s)):
        members = set(membership.loc[membership["stratum"] == stratum, "page_id"])
        table = summarize(frame[frame["page_id"].isin(members)], versions, seed=seed, n_boot=n_boot)
        table.insert(0, by, stratum)
        table["stratum_pages"] = len(members)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=[by, *SUMMARY_COLUMNS, *EXTRA_COLUMNS, "stratum_pages"])
    return pd.concat(tables, ignore_index=True)
