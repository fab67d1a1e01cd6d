"""Per-extractor summaries of the per-page scores, with seeded bootstrap intervals (bootstrap.py).

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from benchmark.stats.bootstrap import CI_LEVEL, bootstrap_by_coverage, percentile_interval

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
_UNAVAILABLE = "unavailable"


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
            low, high = percentile_interval(bootstrap_by_coverage(matrix, seed=seed, n_boot=n_boot))
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

