"""matrix.html: a version matrix as a trend chart (F1 with intervals per release, per page group) and flipped pages.

One self-contained file like report.html (inline SVG, no network, every
text escaped by the template). Each flipped page links to its diff further
down the page: the older and the newer output, each aligned against the
gold (missed text red, leaked text blue), as in report.html's page views.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping

from benchmark.score.output_kinds import extraction_text

#: at most this many page groups get a line of their own in the trend chart (largest first)
MAX_GROUP_LINES = 6
_GROUP_COLOURS = ("#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16")


def trend_chart(matrix: Mapping[str, Any], extractor: str, index: int):
    """Mean F1 per combination with 95% whiskers: all pages in bold, then the largest page groups."""
    from benchmark.report.charts import as_chart
    from benchmark.report.svg import INK, MUTED, PALETTE, Canvas, Scale, fmt_tick, nice_ticks

    cells = matrix["cells"]
    slugs = [cell["slug"] for cell in cells]
    figures = {f["slug"]: f for f in matrix.get("figures", []) if f["extractor"] == extractor}
    groups: dict[str, dict[str, Mapping[str, Any]]] = {}
    sizes: dict[str, int] = {}
    for row in matrix.get("groups", []):
        if row["extractor"] == extractor:
            groups.setdefault(row["group"], {})[row["slug"]] = row
            sizes[row["group"]] = max(sizes.get(row["group"], 0), int(row["pages"]))
    shown = sorted(groups, key=lambda g: (-sizes[g], g))[:MAX_GROUP_LINES]

    def series(rows: Mapping[str, Mapping[str, Any]]) -> list[tuple[float, float, float]]:
        return [tuple(float(rows.get(s, {}).get(k, math.nan)) for k in ("f1", "f1_low", "f1_high"))
                for s in slugs]

    overall = series({s: f for s, f in figures.items() if f.get("available")})
    lines = [(f"{matrix.get('group_by', 'group')} {g} ({sizes[g]} pages)", series(groups[g]),
              _GROUP_COLOURS[k % len(_GROUP_COLOURS)]) for k, g in enumerate(shown)]
    values = [v for _, points, _ in [("all", overall, ""), *lines] for p in points for v in p if v == v]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    lo, hi = max(0.0, math.floor((lo - 0.02) * 20) / 20), min(1.0, math.ceil((hi + 0.02) * 20) / 20)
    step = max(110.0, 420.0 / max(1, len(slugs)))
    width = 70 + step * len(slugs) + 230
    canvas = Canvas(f"chart-trend-{index}", width=width, height=380)
    x_of = [70 + step * (k + 0.5) for k in range(len(slugs))]
    y = Scale(lo, hi if hi > lo else lo + 0.1, 300, 14)
    for t in nice_ticks(y.lo, y.hi):
        canvas.line(60, y(t), 70 + step * len(slugs), y(t))
        canvas.text(56, y(t) + 4, fmt_tick(t), size=11, anchor="end", colour=MUTED)
    canvas.text(14, 157, "mean token F1 (whiskers: 95% bootstrap)", size=11, anchor="middle", rotate=-90)

    def draw(points, colour: str, width_px: float, dashed: bool, offset: float, label_values: bool) -> None:
        path = [(x_of[k] + offset, y(p[0])) for k, p in enumerate(points) if p[0] == p[0]]
        if len(path) > 1:
            dash = ' stroke-dasharray="5 3"' if dashed else ""
            d = " ".join(f"{'M' if i == 0 else 'L'}{a:.1f} {b:.1f}" for i, (a, b) in enumerate(path))
            canvas.add(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width_px:g}"{dash}/>')
        for k, (f1, low, high) in enumerate(points):
            if f1 != f1:
                continue
            cx = x_of[k] + offset
            if low == low and high == high:
                canvas.line(cx, y(low), cx, y(high), colour=colour, width=1.2)
            canvas.add(f'<circle cx="{cx:.1f}" cy="{y(f1):.1f}" r="{3 + width_px:.1f}" fill="{colour}"/>')
            if label_values:
                canvas.text(cx + 8, y(f1) - 6, f"{f1:.3f}", size=11, colour=INK)

    for k, (_, points, colour) in enumerate(lines):
        draw(points, colour, 1.0, True, (k - (len(lines) - 1) / 2) * 6, False)
    draw(overall, PALETTE[0], 2.4, False, 0.0, True)
    for k, (slug, cell) in enumerate(zip(slugs, cells)):
        text = cell["label"].split(", ")
        figure = figures.get(slug, {})
        if not cell["environment"]["ok"]:
            text.append("(not built)")
        elif not figure.get("available"):
            text.append("(unavailable)")
        for row, part in enumerate(text):
            canvas.text(x_of[k], 318 + 14 * row, part, size=11, anchor="middle")
    legend_x = 80 + step * len(slugs)
    for row, (label, colour) in enumerate([("all pages", PALETTE[0])] + [(n, c) for n, _, c in lines]):
        canvas.line(legend_x, 24 + 18 * row, legend_x + 18, 24 + 18 * row, colour=colour, width=2)
        canvas.text(legend_x + 24, 28 + 18 * row, label, size=11)
    alt = (f"Trend of {extractor}'s mean F1 across combinations: "
           + "; ".join(f"{cell['label']} " + (f"{figures[s]['f1']:.3f} [{figures[s]['f1_low']:.3f}, "
                                               f"{figures[s]['f1_high']:.3f}]" if figures.get(s, {}).get("available")
                                               else "no figure") for s, cell in zip(slugs, cells)))
    return as_chart(canvas, alt)


def flip_diffs(matrix: Mapping[str, Any], root: Path) -> list[dict[str, Any]]:
    """For each flipped page: the older and newer outputs aligned against the gold (read from the runs)."""
    from benchmark.results import iter_extractions, read_golds
    from benchmark.score.alignment import align, token_spans

    runs = {cell["slug"]: root / cell["run_dir"] for cell in matrix["cells"] if cell.get("run_dir")}
    wanted: dict[str, set[tuple[str, str]]] = {}
    for flip in matrix.get("flipped", []):
        for side in ("older", "newer"):
            wanted.setdefault(flip[side], set()).add((flip["extractor"], flip["page_id"]))
    outputs: dict[tuple[str, str, str], Any] = {}
    golds: dict[str, str] = {}
    for slug, pairs in wanted.items():
        for extraction in iter_extractions(runs[slug]):
            if (extraction.extractor, extraction.page_id) in pairs:
                outputs[(slug, extraction.extractor, extraction.page_id)] = extraction
        for page_id, gold in read_golds(runs[slug]).items():
            if gold.text is not None and any(page_id == p for _, p in pairs):
                golds.setdefault(page_id, gold.text)
    labels = {cell["slug"]: cell["label"] for cell in matrix["cells"]}
    diffs = []
    for index, flip in enumerate(matrix.get("flipped", [])):
        gold = golds.get(flip["page_id"], "")
        spans = token_spans(gold)
        sides = []
        for side in ("older", "newer"):
            extraction = outputs.get((flip[side], flip["extractor"], flip["page_id"]))
            text = extraction_text(extraction) if extraction is not None else ""
            sides.append({"label": labels[flip[side]], "f1": flip[f"f1_{side}"],
                          "outcome": str(extraction.outcome) if extraction is not None else "missing",
                          "error": extraction.error if extraction is not None else "",
                          "alignment": align(gold, text, gold_spans=spans) if text else None})
        diffs.append({"anchor": f"flip-{index}", **flip, "sides": sides})
    return diffs


def matrix_view(matrix: Mapping[str, Any], root: Path) -> dict[str, Any]:
    """Everything matrix.html shows, in the order it shows it."""
    from benchmark import __version__
    from benchmark.report.matrix_markdown import (FIGURE_HEADER, FLIP_HEADER, STEP_HEADER, corpus_line,
                                                  figure_rows, flipped_rows, step_rows)

    axes = " × ".join(f"{axis['package']} {', '.join(axis['versions'])}" for axis in matrix["axes"])
    charts = [trend_chart(matrix, extractor, i) for i, extractor in enumerate(matrix["extractors"])]
    return {"title": f"boilerbench version matrix: {axes}", "provenance": {"harness": __version__},
            "corpus_line": corpus_line(matrix), "charts": charts,
            "failed": [cell for cell in matrix["cells"] if not cell["environment"]["ok"]],
            "figure_header": FIGURE_HEADER, "figures": figure_rows(matrix),
            "step_header": STEP_HEADER, "steps": step_rows(matrix),
            "flip_header": FLIP_HEADER, "flips": flipped_rows(matrix), "diffs": flip_diffs(matrix, root),
            "tolerance": matrix.get("page_tolerance", 0.02)}


def render_matrix_html(matrix: Mapping[str, Any], root: Path) -> str:
    from benchmark.report.html import _assets, _environment

    env = _environment()
    return env.get_template("matrix.html.j2").render(r=matrix_view(matrix, root), assets=_assets(env))


def write_matrix_html(root: Path, matrix: Mapping[str, Any]) -> Path:
    from benchmark.results import atomic_write_text

    path = root / "matrix.html"
    atomic_write_text(path, render_matrix_html(matrix, root))
    return path
