"""What a matrix found: per combination F1 and chrome leak with intervals, deltas between neighbours, flipped pages.

Means are macro means over the pages an extractor was scored on (unavailable
pairs are a footnote, never zeros), with 95% intervals from the run's seeded
page bootstrap. A delta between neighbouring combinations (one step on one
axis) is the paired bootstrap of `stats.paired.compare_runs`, newer minus
older; an interval that crosses zero is "not significant" and is never read
as a change. A page "flipped" when its F1 moved by more than the gate's
per-page tolerance (`gate.PAGE_F1_TOLERANCE`), either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from benchmark.versions.matrix import Axis, combination_of, neighbours

#: the card field the trend chart groups pages by, unless told otherwise
DEFAULT_GROUP_BY = "era"


def load_cell(root: Path, cell: Mapping[str, Any]) -> dict[str, Any] | None:
    """scores, pages and run.json of one combination's run; None when its environment was not built."""
    import json

    import pandas as pd

    if not cell.get("run_dir"):
        return None
    run_dir = root / cell["run_dir"]
    scores = pd.read_csv(run_dir / "scores.csv", keep_default_na=False, na_values=[""])
    pages_path = run_dir / "pages.csv"
    pages = pd.read_csv(pages_path, keep_default_na=False) if pages_path.exists() else pd.DataFrame()
    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    return {"scores": scores, "pages": pages, "meta": meta, "run_dir": run_dir}


def _interval(values: Any, *, seed: int, n_boot: int) -> tuple[float, float, float]:
    """Mean and 95% bootstrap interval of one row of per-page values (NaN cells left out)."""
    import numpy as np

    from benchmark.stats.bootstrap import bootstrap_means, percentile_interval

    row = np.asarray(values, dtype=np.float64)[None, :]
    if not np.isfinite(row).any():
        return float("nan"), float("nan"), float("nan")
    low, high = percentile_interval(bootstrap_means(row, seed=seed, n_boot=n_boot))
    return float(np.nanmean(row)), float(low[0]), float(high[0])


def cell_figures(loaded: Mapping[str, Any], extractor: str, *, seed: int, n_boot: int) -> dict[str, Any]:
    """Mean F1 and chrome leak with intervals, outcome counts and version, for one extractor in one run."""
    from benchmark.stats.summary import scored_pages

    scores = loaded["scores"]
    info = loaded["meta"].get("extractors", {}).get(extractor, {})
    rows = scores[scores["extractor"] == extractor]
    outcomes = {str(k): int(v) for k, v in rows["outcome"].value_counts().items()}
    scored = scored_pages(rows) if len(rows) else rows
    figures: dict[str, Any] = {"extractor": extractor, "version": info.get("version"),
                               "available": bool(info.get("available", len(scored) > 0)) and len(scored) > 0,
                               "note": info.get("note", ""), "pages": int(len(scored)), "outcomes": outcomes}
    for metric, name in (("f1", "f1"), ("chrome_leak", "leak")):
        mean, low, high = _interval(scored[metric].to_numpy(), seed=seed, n_boot=n_boot) if len(scored) \
            else (float("nan"),) * 3
        figures.update({name: mean, f"{name}_low": low, f"{name}_high": high})
    return figures


def group_figures(loaded: Mapping[str, Any], extractor: str, by: str, *, seed: int,
                  n_boot: int) -> list[dict[str, Any]]:
    """Mean F1 with interval per page group (a pages.csv column such as era or language)."""
    import json

    from benchmark.stats.summary import scored_pages

    scores, pages = loaded["scores"], loaded["pages"]
    if pages.empty or by not in pages.columns:
        return []
    rows = scores[scores["extractor"] == extractor]
    scored = scored_pages(rows) if len(rows) else rows
    if scored.empty:
        return []
    groups: dict[str, list[str]] = {}
    for page_id, value in zip(pages["page_id"].astype(str), pages[by]):
        values = json.loads(value) if by == "layout" and str(value).startswith("[") else [value]
        for item in values or ["(none)"]:
            groups.setdefault(str(item) or "(none)", []).append(page_id)
    by_page = scored.set_index("page_id")["f1"]
    found = []
    for group, members in sorted(groups.items()):
        present = by_page.reindex([m for m in members if m in by_page.index]).to_numpy()
        if not len(present):
            continue
        mean, low, high = _interval(present, seed=seed, n_boot=n_boot)
        found.append({"group": group, "pages": int(len(present)), "f1": mean, "f1_low": low, "f1_high": high})
    return found


def step_figures(older: Mapping[str, Any], newer: Mapping[str, Any], extractor: str, *, seed: int,
                 n_boot: int) -> dict[str, Any] | None:
    """Paired bootstrap of newer minus older over the pages both scored; None when either has none."""
    from benchmark.stats.paired import compare_runs

    try:
        row = compare_runs(newer["scores"], older["scores"], extractor, seed=seed, n_boot=n_boot).iloc[0]
        leak = compare_runs(newer["scores"], older["scores"], extractor, seed=seed, n_boot=n_boot,
                            metric="chrome_leak").iloc[0]
    except ValueError:  # unavailable in one of them: no pages to pair
        return None
    return {"pages": int(row["pages"]), "mean_older": float(row["mean_b"]), "mean_newer": float(row["mean_a"]),
            "delta": float(row["mean_diff"]), "low": float(row["ci_low"]), "high": float(row["ci_high"]),
            "significant": bool(row["significant"]),
            "leak_delta": float(leak["mean_diff"]), "leak_low": float(leak["ci_low"]),
            "leak_high": float(leak["ci_high"]), "leak_significant": bool(leak["significant"])}


def flipped_pages(older: Mapping[str, Any], newer: Mapping[str, Any], extractor: str,
                  tolerance: float) -> list[dict[str, Any]]:
    """Pages whose F1 moved by more than `tolerance` between two runs, biggest drop first."""
    from benchmark.stats.summary import scored_pages

    frames = []
    for loaded in (older, newer):
        rows = loaded["scores"][loaded["scores"]["extractor"] == extractor]
        frames.append(scored_pages(rows).set_index("page_id") if len(rows) else None)
    if frames[0] is None or frames[1] is None:
        return []
    shared = sorted(set(frames[0].index) & set(frames[1].index))
    found = []
    for page_id in shared:
        before, after = frames[0].loc[page_id], frames[1].loc[page_id]
        delta = float(after["f1"]) - float(before["f1"])
        if abs(delta) > tolerance:
            found.append({"page_id": page_id, "f1_older": float(before["f1"]), "f1_newer": float(after["f1"]),
                          "delta": delta, "outcome_older": str(before["outcome"]),
                          "outcome_newer": str(after["outcome"])})
    return sorted(found, key=lambda item: (item["delta"], item["page_id"]))


def analyse(matrix: dict[str, Any], root: Path, *, group_by: str = DEFAULT_GROUP_BY,
            tolerance: float | None = None) -> dict[str, Any]:
    """matrix.json with figures, groups, steps and flipped pages added (each run's scores read from disk)."""
    from benchmark.gate import PAGE_F1_TOLERANCE

    tolerance = PAGE_F1_TOLERANCE if tolerance is None else tolerance
    seed, n_boot = int(matrix["seed"]), int(matrix["bootstrap_resamples"])
    axes = [Axis(axis["package"], tuple(axis["versions"])) for axis in matrix["axes"]]
    cells = {cell["slug"]: cell for cell in matrix["cells"]}
    loaded = {slug: load_cell(root, cell) for slug, cell in cells.items()}
    figures, groups, steps, flipped = [], [], [], []
    for slug, data in loaded.items():
        for extractor in matrix["extractors"]:
            if data is None:
                figures.append({"slug": slug, "extractor": extractor, "available": False, "environment_failed": True,
                                "note": cells[slug]["environment"]["message"]})
                continue
            figures.append({"slug": slug, **cell_figures(data, extractor, seed=seed, n_boot=n_boot)})
            groups.extend({"slug": slug, "extractor": extractor, **row}
                          for row in group_figures(data, extractor, group_by, seed=seed, n_boot=n_boot))
    combos = [combination_of(cell) for cell in matrix["cells"]]
    for older, newer in neighbours(axes, combos):
        a, b = loaded.get(older.slug), loaded.get(newer.slug)
        if a is None or b is None:
            continue
        changed = next(pin.package for pin, other in zip(older.pins, newer.pins) if pin != other)
        for extractor in matrix["extractors"]:
            step = step_figures(a, b, extractor, seed=seed, n_boot=n_boot)
            if step is None:
                continue
            steps.append({"extractor": extractor, "older": older.slug, "newer": newer.slug, "axis": changed, **step})
            flipped.extend({"extractor": extractor, "older": older.slug, "newer": newer.slug, **page}
                           for page in flipped_pages(a, b, extractor, tolerance))
    return {**matrix, "group_by": group_by, "page_tolerance": tolerance, "figures": figures, "groups": groups,
            "steps": steps, "flipped": flipped}

