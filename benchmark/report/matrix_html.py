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

#: at most this many page groups get a line of their own in the trend chart (largest first)
MAX_GROUP_LINES = 6
_GROUP_COLOURS = ("#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16")


def trend_chart(matrix: Mapping[str, Any], extractor: str, index: int):
    """Mean F1 per combination with 95% whiskers: all pages in bold, then the largest page groups."""
    import matplotlib
    import numpy as np

    from benchmark.report.charts import _RC, _TEXT, ARTICLE_COLOUR, _figure, _inline, _label

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
    x = np.arange(len(slugs))

    def series(rows: Mapping[str, Mapping[str, Any]]):
        values = [[rows.get(s, {}).get(k, math.nan) for s in slugs] for k in ("f1", "f1_low", "f1_high")]
        f1, low, high = (np.array(v, dtype=float) for v in values)
        return f1, np.nan_to_num(np.vstack([np.clip(f1 - low, 0, None), np.clip(high - f1, 0, None)]))

    with matplotlib.rc_context(_RC):
        fig, ax = _figure(max(6.0, 1.25 * len(slugs) + 2.5), 4.2)
        width = 0.5 / max(1, len(shown))
        for k, group in enumerate(shown):
            f1, err = series(groups[group])
            offset = (k - (len(shown) - 1) / 2) * width * 0.6
            ax.errorbar(x + offset, f1, yerr=err, fmt="o--", color=_GROUP_COLOURS[k % len(_GROUP_COLOURS)],
                        linewidth=1, markersize=4, capsize=2, alpha=0.85,
                        label=_label(f"{matrix.get('group_by', 'group')} {group} ({sizes[group]} pages)"))
        f1, err = series({s: f for s, f in figures.items() if f.get("available")})
        ax.errorbar(x, f1, yerr=err, fmt="o-", color=ARTICLE_COLOUR, linewidth=2.4, markersize=7, capsize=5,
                    label="all pages", zorder=5)
        for xi, value in zip(x, f1):
            if value == value:
                ax.annotate(f"{value:.3f}", (xi, value), textcoords="offset points", xytext=(8, 6), fontsize=9,
                            color=_TEXT)
        labels = []
        for slug, cell in zip(slugs, cells):
            text = cell["label"].replace(", ", "\n")
            figure = figures.get(slug, {})
            if not cell["environment"]["ok"]:
                text += "\n(not built)"
            elif not figure.get("available"):
                text += "\n(unavailable)"
            labels.append(_label(text))
        ax.set_xticks(x, labels, fontsize=9)
        ax.set_xlim(-0.6, len(slugs) - 0.4)
        ax.set_ylabel("mean token F1 (whiskers: 95% bootstrap)")
        ax.grid(axis="y", color="#d9dee5", zorder=0)
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
        alt = (f"Trend of {extractor}'s mean F1 across combinations: "
               + "; ".join(f"{cell['label']} " + (f"{figures[s]['f1']:.3f} [{figures[s]['f1_low']:.3f}, "
                                                   f"{figures[s]['f1_high']:.3f}]" if figures.get(s, {}).get("available")
                                                   else "no figure") for s, cell in zip(slugs, cells)))
        return _inline(fig, f"chart-trend-{index}", alt)


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
            text = extraction.text if extraction is not None else ""
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
