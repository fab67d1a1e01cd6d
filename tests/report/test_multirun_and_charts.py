"""Several runs on one page (datasets and versions), Kendall's tau, and chart labels that never collide."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from benchmark.stats.agreement import kendall_tau
from tests.report.run_builders import noisy, stored_run

N = 30


def test_kendall_tau_b_agrees_reverses_and_counts_ties():
    assert kendall_tau({"a": 3, "b": 2, "c": 1}, {"a": 0.9, "b": 0.5, "c": 0.1}) == (1.0, 3)
    assert kendall_tau({"a": 3, "b": 2, "c": 1}, {"a": 1, "b": 2, "c": 3}) == (-1.0, 3)
    tau, items = kendall_tau({"a": 1, "b": 2, "c": 3, "x": 9}, {"a": 1, "b": 1, "c": 2})
    assert items == 3 and tau == 2 / math.sqrt(3 * 2)  # one pair tied in b only
    assert math.isnan(kendall_tau({"a": 1}, {"a": 2})[0])


def test_runs_on_two_datasets_give_a_table_with_ranks_and_rank_agreement(tmp_path):
    from benchmark.report.multirun import compare_stored_runs, write_multirun
    from benchmark.results import read_run

    bundled = stored_run(tmp_path / "bundled", {"alpha": noisy(0.9, N, seed=1), "beta": noisy(0.7, N, seed=2),
                                                "gamma": noisy(0.5, N, seed=3), "gold": [1.0] * N})
    aeb = stored_run(tmp_path / "aeb", {"alpha": noisy(0.6, N, seed=4), "beta": noisy(0.8, N, seed=5),
                                        "gamma": noisy(0.4, N, seed=6)}, corpus="aeb",
                     provenance={"kind": "real", "title": "AEB", "metric": "aeb"},
                     meta={"corpus": {"name": "aeb", "root": "x", "digest": "e" * 64, "pages": N,
                                      "provenance": {"kind": "real", "title": "AEB"}}})
    model = compare_stored_runs([read_run(bundled), read_run(aeb)])
    assert model.extractors[:3] == ["alpha", "beta", "gamma"] and "gold" not in model.extractors
    assert model.cells[("alpha", 0)]["rank"] == 1 and model.cells[("alpha", 1)]["rank"] == 2
    assert model.cells[("beta", 1)]["rank"] == 1 and model.cells[("beta", 1)]["of"] == 3
    assert not any(cell["tied"] for cell in model.cells.values())  # clear leaders on both
    [agreement] = model.agreement
    assert agreement["items"] == 3 and agreement["tau"] == kendall_tau(
        {n: model.cells[(n, 0)]["f1"] for n in ("alpha", "beta", "gamma")},
        {n: model.cells[(n, 1)]["f1"] for n in ("alpha", "beta", "gamma")})[0] == 1 / 3
    assert model.versions == []
    page = write_multirun([bundled, aeb], tmp_path / "compare.html").read_text(encoding="utf-8")
    assert 'id="agreement-table"' in page and "0.33" in page and "#1" in page
    markdown = write_multirun([bundled, aeb], tmp_path / "compare.md").read_text(encoding="utf-8")
    assert "| a test corpus vs AEB | 3 | 0.33 |" in markdown


def test_two_versions_on_one_corpus_give_paired_deltas_and_the_pages_that_changed(tmp_path):
    from benchmark.report.multirun import compare_stored_runs
    from benchmark.results import read_run

    old = noisy(0.8, N, seed=7)
    new = [v - 0.05 for v in old]  # every page a little worse ...
    new[4], new[9] = 0.1, 0.2  # ... and two much worse
    first = stored_run(tmp_path / "old", {"alpha": old, "beta": noisy(0.6, N, seed=8)})
    second = stored_run(tmp_path / "new", {"alpha": new, "beta": noisy(0.6, N, seed=8)},
                        meta={"extractors": {"alpha": {"kind": "article", "version": "2.0"},
                                             "beta": {"kind": "article", "version": "1.0"}}})
    model = compare_stored_runs([read_run(first), read_run(second)])
    assert model.agreement == []  # same corpus: not a question of datasets
    [alpha] = [v for v in model.versions if v["extractor"] == "alpha"]
    assert (alpha["old_version"], alpha["new_version"]) == ("1.0", "2.0")
    assert alpha["mean_diff"] == pytest.approx((sum(new) - sum(old)) / N) and alpha["ci_high"] < 0
    assert alpha["significant"]
    assert [p for p, *_ in alpha["changed"][:2]] == ["site4-2020-story-004", "site2-2020-story-009"]
    assert alpha["n_changed"] == N
    [beta] = [v for v in model.versions if v["extractor"] == "beta"]
    assert beta["mean_diff"] == 0 and not beta["significant"] and beta["changed"] == []


def test_cli_report_with_several_runs_needs_out_and_writes_the_page(tmp_path, capsys):
    from benchmark.cli import main

    a = stored_run(tmp_path / "a", {"alpha": noisy(0.8, N, seed=1), "beta": noisy(0.6, N, seed=2)})
    b = stored_run(tmp_path / "b", {"alpha": noisy(0.8, N, seed=3), "beta": noisy(0.6, N, seed=4)})
    assert main(["report", str(a), str(b)]) == 2
    assert "--out FILE" in capsys.readouterr().err
    assert main(["report", str(a), str(b), "--out", str(tmp_path / "both.html")]) == 0
    assert (tmp_path / "both.html").read_text(encoding="utf-8").count("<tr>") >= 2


def _release_run(path, version: str, values, *, pins: tuple[str, ...] = ()) -> Path:
    meta = {"extractors": {"alpha": {"kind": "article", "version": version}}}
    if pins:
        meta["release_environment"] = {"combination": [f"alpha=={version}", *pins]}
    return stored_run(path, {"alpha": list(values)}, meta=meta)


def test_versions_are_compared_oldest_first_whatever_order_the_runs_are_named_in(tmp_path):
    """A shell glob names 1.12.2 before 1.6.4; the page must still read 1.6.4 -> 1.12.2, not backwards."""
    from benchmark.report.multirun import compare_stored_runs
    from benchmark.results import read_run

    old = noisy(0.8, N, seed=11)
    newer = _release_run(tmp_path / "alpha-1.12.2", "1.12.2", [v - 0.1 for v in old])
    older = _release_run(tmp_path / "alpha-1.6.4", "1.6.4", old)
    [step] = compare_stored_runs([read_run(newer), read_run(older)]).versions
    assert (step["old_version"], step["new_version"]) == ("1.6.4", "1.12.2")
    assert step["mean_diff"] == pytest.approx(-0.1) and step["ci_high"] < 0


def test_a_matrix_folder_stands_for_its_runs_with_the_other_pins_named(tmp_path, capsys):
    """`boilerbench report MATRIX_DIR --out F`: the matrix's combinations on the several-runs page, in release order."""
    import json

    from benchmark.cli import main

    matrix = tmp_path / "matrix"
    old = noisy(0.8, N, seed=12)
    _release_run(matrix / "runs" / "b", "0.2.8", [v - 0.2 for v in old], pins=("lxml==6.1.3",))
    _release_run(matrix / "runs" / "a", "0.2.8", old, pins=("lxml==5.4.0",))
    cells = [{"label": "lxml 6.1.3", "slug": "b", "run_dir": "runs/b", "environment": {"ok": True}},
             {"label": "lxml 5.4.0", "slug": "a", "run_dir": "runs/a", "environment": {"ok": True}}]
    figures = [{"slug": slug, "extractor": "alpha", "available": True, "f1": f1, "f1_low": f1 - 0.05,
                "f1_high": f1 + 0.05} for slug, f1 in (("b", 0.6), ("a", 0.8))]
    (matrix / "matrix.json").write_text(json.dumps({"kind": "matrix", "schema_version": 1, "cells": cells, "extractors": ["alpha"],
                                                    "figures": figures}), encoding="utf-8")
    assert main(["report", str(matrix)]) == 2
    assert "--out FILE" in capsys.readouterr().err
    assert main(["report", str(matrix), "--out", str(tmp_path / "m.md")]) == 0
    page = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "**alpha** 0.2.8 (lxml 5.4.0) → 0.2.8 (lxml 6.1.3)" in page
    assert "-0.200" in page and "[matrix.html](matrix/matrix.html)" in page
    assert main(["report", str(matrix), "--out", str(tmp_path / "m.html")]) == 0
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert 'id="chart-trend-0"' in html and 'href="matrix/matrix.html"' in html, "the matrix's trend chart, linked"


def _crowded_points():
    rng = np.random.default_rng(3)
    names = ["trafilatura", "readability-lxml", "trafilatura-fast", "trafilatura-precision", "newspaper3k",
             "newspaper4k", "goose3", "boilerpy3-article", "resiliparse", "readability-js", "justext", "magic-html"]
    points = []
    for k, name in enumerate(names):
        p, r = 0.90 + rng.uniform(-0.02, 0.02), 0.93 + rng.uniform(-0.02, 0.02)
        points.append((name, p, p - 0.02, p + 0.02, r, r - 0.02, r + 0.02, f"#{k:02d}{k:02d}{k:02d}"))
    return points


def test_chart_labels_never_overlap_and_lead_to_their_own_dot():
    import re

    from benchmark.report import charts
    from benchmark.report.svg import box_distance

    pr = charts.precision_recall(_crowded_points())
    speed = charts.quality_speed([(p[0], 10 + 3 * k, 40 + 5 * k, p[1], p[7])
                                  for k, p in enumerate(_crowded_points())])
    for chart in (pr, speed):
        boxes = charts.label_boxes(chart.svg)
        assert len(boxes) == 12
        assert charts.is_placed_without_overlap([box for _, box in boxes])
        svg = str(chart.svg)
        dots = {m[3]: (float(m[1]), float(m[2])) for m in re.finditer(
            r'<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*class="dot" data-name="([^"]+)"', svg)}
        for m in re.finditer(r'<line x1="([\d.]+)" y1="([\d.]+)"[^>]*class="leader" data-for="([^"]+)"', svg):
            assert dots[m[3]] == (float(m[1]), float(m[2]))  # each leader starts at its own label's dot
        for name, box in boxes:  # a label without a leader sits next to its own dot, nearer than to any other
            if f'class="leader" data-for="{name}"' in svg:
                continue
            own = box_distance(box, *dots[name])
            assert own < 12 and all(box_distance(box, *xy) > own for other, xy in dots.items() if other != name)


def test_speed_chart_draws_the_pareto_front_on_a_log_axis_of_the_data_only():
    from benchmark.report import charts

    points = [("fast", 2.0, 5.0, 0.70, "#000"), ("good", 40.0, 90.0, 0.95, "#111"), ("slow-bad", 80.0, 150.0, 0.6,
                                                                                  "#222"), ("mid", 10.0, 20.0, 0.9, "#333")]
    assert charts.pareto_front([(n, ms, f1) for n, ms, _, f1, _ in points]) == ["fast", "mid", "good"]
    svg = str(charts.quality_speed(points).svg)
    assert 'class="pareto"' in svg and "fast → mid → good" in svg
    ticks = [t for t in __import__("re").findall(r'text-anchor="middle" fill="#616e7c"[^>]*>([\d.]+)<', svg)]
    assert ticks and float(ticks[0]) >= 1 and float(ticks[-1]) <= 200  # no decades far outside 2..150 ms
