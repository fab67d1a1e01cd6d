"""Statistics: seeded, paired bootstrap intervals and tables that say what they average."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from benchmark.stats import bootstrap
from benchmark.stats.bootstrap import bootstrap_means, percentile_interval
from benchmark.stats.paired import compare_runs, paired_differences
from benchmark.stats.splits import NO_TAG, UNKNOWN, split_summary
from benchmark.stats.summary import SUMMARY_COLUMNS, summarize


def _row(extractor, page_id, f1, *, outcome="ok", precision=None, recall=None, lcs_f1=None, chrome_leak=None,
         must_include=None, ms=10.0, tp=0, n_pred=0, n_gold=0):
    return {
        "extractor": extractor, "page_id": page_id, "outcome": outcome,
        "precision": f1 if precision is None else precision, "recall": f1 if recall is None else recall,
        "f1": f1, "lcs_f1": f1 if lcs_f1 is None else lcs_f1,
        "chrome_leak": float("nan") if chrome_leak is None else chrome_leak,
        "must_include": float("nan") if must_include is None else must_include,
        "ms": float("nan") if ms is None else ms, "tp": tp, "n_pred": n_pred, "n_gold": n_gold,
    }


def _scores(table: dict[str, list[float]]) -> pd.DataFrame:
    """extractor -> per-page F1 list, pages p0..pn."""
    return pd.DataFrame([_row(name, f"p{i}", f1) for name, values in table.items() for i, f1 in enumerate(values)])


# ------------------------------------------------------------------ bootstrap


def test_bootstrap_uses_one_seeded_index_matrix_shared_by_all_extractors():
    matrix = np.random.default_rng(7).random((3, 11))
    got = bootstrap_means(matrix, seed=5, n_boot=50)
    index = np.random.default_rng(5).integers(0, 11, size=(50, 11))
    expected = np.stack([matrix[:, rows].mean(axis=1) for rows in index])
    assert got.shape == (50, 3)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_memory_blocking_does_not_change_the_resamples(monkeypatch):
    matrix = np.random.default_rng(0).random((3, 50))
    whole = bootstrap_means(matrix, seed=4, n_boot=37)
    monkeypatch.setattr(bootstrap, "_BLOCK_ELEMENTS", 120)  # 2 resamples per block
    assert np.array_equal(whole, bootstrap_means(matrix, seed=4, n_boot=37))


def test_same_seed_same_means_other_seed_other_means():
    matrix = np.random.default_rng(1).random((4, 30))
    first = bootstrap_means(matrix, seed=11, n_boot=200)
    assert np.array_equal(first, bootstrap_means(matrix, seed=11, n_boot=200))
    assert not np.array_equal(first, bootstrap_means(matrix, seed=12, n_boot=200))


def test_shared_resamples_keep_a_constant_offset_exact():
    """Were pages resampled per extractor, b - a would scatter; shared resamples keep it exactly 0.1."""
    a = np.random.default_rng(3).random(40) * 0.5
    means = bootstrap_means(np.vstack([a, a + 0.1]), seed=0, n_boot=300)
    np.testing.assert_allclose(means[:, 1] - means[:, 0], 0.1, atol=1e-12)


def test_nan_cells_are_left_out_of_each_resample_mean():
    matrix = np.array([[1.0, np.nan, 0.0, np.nan]])
    means = bootstrap_means(matrix, seed=2, n_boot=400)
    index = np.random.default_rng(2).integers(0, 4, size=(400, 4))
    for got, rows in zip(means[:, 0], index):
        picked = [matrix[0, r] for r in rows if not math.isnan(matrix[0, r])]
        assert (math.isnan(got) and not picked) or got == pytest.approx(sum(picked) / len(picked))


def test_bootstrap_is_fast_for_30_extractors_by_1000_pages():
    matrix = np.random.default_rng(0).random((30, 1000))
    start = time.perf_counter()
    bootstrap_means(matrix, seed=0, n_boot=1000)
    assert time.perf_counter() - start < 3.0  # measured ~0.012 s; generous for a shared CI machine


@pytest.mark.parametrize("values, level, low, high", [
    (np.arange(101.0), 0.95, 2.5, 97.5),  # linear interpolation on 0..100
    (np.arange(101.0), 0.90, 5.0, 95.0),
    (np.array([0.0, 1.0]), 0.95, 0.025, 0.975),
    (np.full(10, 0.7), 0.95, 0.7, 0.7),
    (np.array([1.0, np.nan, 3.0]), 0.5, 1.5, 2.5),  # NaN resamples ignored
])
def test_percentile_interval_truth_table(values, level, low, high):
    got_low, got_high = percentile_interval(values, level)
    assert (float(got_low), float(got_high)) == pytest.approx((low, high))


# ------------------------------------------------------------------ summarize


def test_summary_columns_come_first_in_the_documented_order():
    summary = summarize(_scores({"a": [1.0, 0.5]}), {"a": "1.0"}, seed=0, n_boot=20)
    assert tuple(summary.columns[:len(SUMMARY_COLUMNS)]) == SUMMARY_COLUMNS
    for column in ("f1_median", "micro_precision", "micro_recall", "micro_f1", "n_ok", "n_empty", "n_error",
                   "n_timeout", "n_crash", "n_unavailable", "available"):
        assert column in summary.columns


def test_summary_figures_on_known_pages():
    rows = [
        _row("x", "p0", 1.0, precision=1.0, recall=1.0, chrome_leak=0.5, must_include=1.0, ms=10.0, tp=10,
             n_pred=10, n_gold=10),
        _row("x", "p1", 0.5, precision=0.25, recall=1.0, chrome_leak=None, must_include=0.0, ms=20.0, tp=10,
             n_pred=40, n_gold=10),
        _row("x", "p2", 0.0, outcome="timeout", precision=0.0, recall=0.0, chrome_leak=0.0, ms=None, tp=0,
             n_pred=0, n_gold=20),
        _row("x", "p3", 0.0, outcome="error", precision=0.0, recall=0.0, ms=30.0, tp=0, n_pred=0, n_gold=0),
    ]
    row = summarize(pd.DataFrame(rows), {"x": "2.0"}, seed=1, n_boot=100).iloc[0]
    assert row["version"] == "2.0" and row["pages"] == 4 and bool(row["available"])
    assert row["f1_mean"] == pytest.approx(0.375)  # failures count as 0
    assert row["f1_median"] == pytest.approx(0.25)
    assert row["precision_mean"] == pytest.approx(0.3125)
    assert row["recall_mean"] == pytest.approx(0.5)
    assert row["chrome_leak_rate"] == pytest.approx(0.25)  # mean over the 2 pages with chrome, not 4
    assert row["must_include_rate"] == pytest.approx(0.5)
    assert row["ms_median"] == pytest.approx(20.0)  # over the three timed pages
    assert row["ms_p95"] == pytest.approx(29.0)  # linear interpolation between 20 and 30
    assert row["micro_precision"] == pytest.approx(20 / 50)
    assert row["micro_recall"] == pytest.approx(20 / 40)
    assert row["micro_f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert (row["failures"], row["n_ok"], row["n_timeout"], row["n_error"]) == (2, 2, 1, 1)
    assert row["f1_ci_low"] <= row["f1_mean"] <= row["f1_ci_high"]
    assert 0.0 <= row["f1_ci_low"] and row["f1_ci_high"] <= 1.0


def test_unavailable_extractor_is_a_footnote_row_not_zeros():
    frame = pd.concat([
        _scores({"good": [0.9, 0.8]}),
        pd.DataFrame([_row("missing", p, 0.0, outcome="unavailable", ms=None) for p in ("p0", "p1")]),
    ])
    summary = summarize(frame, {"good": "1", "missing": None}, seed=0, n_boot=50)
    assert list(summary["extractor"]) == ["good", "missing"]
    row = summary.set_index("extractor").loc["missing"]
    assert row["pages"] == 0 and not row["available"] and row["n_unavailable"] == 2
    for column in ("f1_mean", "f1_ci_low", "f1_ci_high", "precision_mean", "micro_f1", "ms_median"):
        assert math.isnan(row[column]), column


def test_summary_is_sorted_by_mean_f1_and_reproducible():
    frame = _scores({"mid": [0.5, 0.6, 0.4, 0.45] * 3, "top": [0.9, 1.0, 0.8, 0.85] * 3,
                     "low": [0.1, 0.0, 0.2, 0.15] * 3})
    first = summarize(frame, {}, seed=3, n_boot=200)
    assert list(first["extractor"]) == ["top", "mid", "low"]
    pd.testing.assert_frame_equal(first, summarize(frame, {}, seed=3, n_boot=200))
    other = summarize(frame, {}, seed=4, n_boot=200)
    assert not first[["f1_ci_low", "f1_ci_high"]].equals(other[["f1_ci_low", "f1_ci_high"]])


def test_pooled_conventions_on_empty_sums():
    both_empty = summarize(pd.DataFrame([_row("x", "p", 1.0)]), {}, seed=0, n_boot=5).iloc[0]
    assert (both_empty["micro_precision"], both_empty["micro_recall"], both_empty["micro_f1"]) == (1.0, 1.0, 1.0)
    nothing_predicted = summarize(pd.DataFrame([_row("x", "p", 0.0, n_gold=5)]), {}, seed=0,
                                  n_boot=5).iloc[0]
    assert nothing_predicted["micro_f1"] == 0.0


def test_duplicate_pairs_and_missing_columns_are_refused():
    frame = _scores({"a": [1.0]})
    with pytest.raises(ValueError, match=r"more than one row for \(a, p0\)"):
        summarize(pd.concat([frame, frame]), {}, seed=0)
    with pytest.raises(ValueError, match="lacks column"):
        summarize(frame.drop(columns=["lcs_f1"]), {}, seed=0)


# ------------------------------------------------------------------ paired differences


def test_paired_differences_every_ordered_pair_antisymmetric():
    frame = _scores({"a": [0.9, 0.8, 0.95, 0.85] * 5, "b": [0.5, 0.6, 0.4, 0.55] * 5, "c": [0.7] * 20})
    table = paired_differences(frame, seed=0, n_boot=300)
    assert len(table) == 6 and set(zip(table["a"], table["b"])) == {
        (x, y) for x in "abc" for y in "abc" if x != y}
    indexed = table.set_index(["a", "b"])
    ab, ba = indexed.loc[("a", "b")], indexed.loc[("b", "a")]
    assert ab["mean_diff"] == pytest.approx(-ba["mean_diff"])
    assert ab["ci_low"] == pytest.approx(-ba["ci_high"]) and ab["ci_high"] == pytest.approx(-ba["ci_low"])
    assert ab["mean_diff"] == pytest.approx(0.875 - 0.5125)
    assert ab["significant"] and ba["significant"] and ab["pages"] == 20


def test_difference_that_changes_sign_across_pages_is_not_significant():
    frame = _scores({"a": [0.9, 0.1] * 10, "b": [0.1, 0.9] * 10})
    row = paired_differences(frame, seed=0, n_boot=500).iloc[0]
    assert row["mean_diff"] == pytest.approx(0.0)
    assert row["ci_low"] < 0 < row["ci_high"] and not row["significant"]


def test_paired_intervals_are_reproducible_and_skip_unavailable_extractors():
    frame = pd.concat([_scores({"a": list(np.linspace(0, 1, 15)), "b": list(np.linspace(0.2, 0.9, 15))}),
                       pd.DataFrame([_row("gone", f"p{i}", 0.0, outcome="unavailable") for i in range(15)])])
    first = paired_differences(frame, seed=9, n_boot=200)
    assert "gone" not in set(first["a"]) | set(first["b"])
    pd.testing.assert_frame_equal(first, paired_differences(frame, seed=9, n_boot=200))


def test_paired_difference_uses_only_pages_both_define():
    rows = [_row("a", "p0", 1.0, chrome_leak=0.0), _row("a", "p1", 1.0, chrome_leak=1.0),
            _row("a", "p2", 1.0), _row("b", "p0", 1.0, chrome_leak=0.5), _row("b", "p1", 1.0, chrome_leak=0.5),
            _row("b", "p2", 1.0)]
    row = paired_differences(pd.DataFrame(rows), seed=0, n_boot=100, metric="chrome_leak")
    row = row.set_index(["a", "b"]).loc[("a", "b")]
    assert row["pages"] == 2 and row["mean_diff"] == pytest.approx(0.0)


def test_compare_runs_pairs_only_shared_pages():
    old = _scores({"t": [0.5, 0.5, 0.5, 0.5]})
    new = _scores({"t": [0.6, 0.6, 0.6]})  # p3 not scored in the new run
    new = pd.concat([new, pd.DataFrame([_row("t", "p9", 0.0)])])
    row = compare_runs(new, old, "t", seed=0, n_boot=100).iloc[0]
    assert (row["pages"], row["pages_only_a"], row["pages_only_b"]) == (3, 1, 1)
    assert row["mean_diff"] == pytest.approx(0.1)
    assert row["ci_low"] == pytest.approx(0.1) and row["significant"]
    with pytest.raises(ValueError, match="no scored pages for extractor 'nope'"):
        compare_runs(new, old, "nope", seed=0)


# ------------------------------------------------------------------ splits


def _pages():
    return pd.DataFrame({
        "page_id": ["p0", "p1", "p2", "p3"],
        "language": ["en", "en", "de", "fr"],
        "layout": [["table-layout", "share-bar"], ["share-bar"], [], '["table-layout"]'],
        "difficulty": [0.1, 0.2, 0.6, 0.9],
    })


def test_split_by_card_field_summarizes_each_stratum():
    frame = _scores({"a": [1.0, 0.5, 0.0, 0.25]})
    table = split_summary(frame, _pages(), "language", seed=0, n_boot=50)
    assert table.columns[0] == "language"
    by = table.set_index("language")
    assert list(by.index) == ["de", "en", "fr"]
    assert by.loc["en", "f1_mean"] == pytest.approx(0.75) and by.loc["en", "pages"] == 2


def test_split_by_layout_counts_a_page_in_each_tag_and_keeps_untagged_pages():
    frame = _scores({"a": [1.0, 0.5, 0.0, 0.25]})
    by = split_summary(frame, _pages(), "layout", seed=0, n_boot=50).set_index("layout")
    assert by.loc["share-bar", "pages"] == 2 and by.loc["share-bar", "f1_mean"] == pytest.approx(0.75)
    assert by.loc["table-layout", "pages"] == 2  # p0 (list) and p3 (JSON text, as pages.csv stores it)
    assert by.loc["table-layout", "f1_mean"] == pytest.approx(0.625)
    assert by.loc[NO_TAG, "pages"] == 1


def test_split_by_difficulty_uses_labelled_quantile_bins_and_unknown_pages():
    frame = _scores({"a": [1.0, 0.5, 0.0, 0.25, 0.3]})  # p4 has no card row
    table = split_summary(frame, _pages(), "difficulty", seed=0, n_boot=50, bins=2)
    assert list(table["difficulty"]) == ["Q1 0.10-0.20", "Q2 0.60-0.90", UNKNOWN]
    assert list(table["pages"]) == [2, 2, 1]


def test_split_by_unknown_field_says_which_exist():
    with pytest.raises(ValueError, match="cannot split by 'colour'.*language"):
        split_summary(_scores({"a": [1.0]}), _pages(), "colour", seed=0)
