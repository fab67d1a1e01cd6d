"""The report's charts: matplotlib figures rendered to inline SVG, text kept as (escaped) SVG text.

Figures are built on `matplotlib.figure.Figure` directly (no pyplot, no
global backend switch), with ``svg.fonttype = none`` so labels are text the
browser draws with its own sans-serif font (nothing is fetched), and a fixed
hash salt per chart so two renders of one run are byte-identical and clip-path
ids of different charts never collide in one HTML document. Every label that
comes from data (extractor names, page ids) has its ``$`` escaped so
matplotlib never parses it as mathtext; matplotlib escapes ``<`` and ``&``
itself, and `_inline` checks the result before it goes into the page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Sequence

__all__ = ["Chart", "f1_bars", "precision_recall", "f1_vs_ms", "f1_heatmap"]

#: colours: article extractors, baselines (full-text, gold), highlight
ARTICLE_COLOUR = "#2b6cb0"
BASELINE_COLOUR = "#8a94a6"
_TEXT = "#1f2933"
_GRID = "#d9dee5"

_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial", "Liberation Sans"],
    "font.size": 10,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": _TEXT,
    "axes.titlesize": 11,
    "xtick.color": _TEXT,
    "ytick.color": _TEXT,
    "text.color": _TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.usetex": False,
}


@dataclass(frozen=True)
class Chart:
    """One inline SVG (markup we generated) and its text alternative."""

    id: str
    svg: str  # markupsafe.Markup
    alt: str


def _label(text: object) -> str:
    """A data string as a matplotlib label: dollars escaped so it is never mathtext."""
    return str(text).replace("\\", "\\\\").replace("$", r"\$") if "$" in str(text) else str(text)


_FORBIDDEN = re.compile(r"<\s*(script|foreignObject|iframe|object|embed)\b|\son\w+\s*=|javascript:", re.I)


def _inline(fig, chart_id: str, alt: str) -> Chart:
    """Render to SVG, strip the XML prolog, make it scale with the page, and check nothing live is in it."""
    import matplotlib
    from markupsafe import Markup, escape

    buffer = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": f"boilerbench-{chart_id}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
                    bbox_inches="tight", pad_inches=0.08)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    head_end = svg.index(">")
    head = svg[:head_end]
    width = re.search(r'\swidth="([\d.]+)pt"', head)
    head = re.sub(r'\s(width|height)="[\d.]+pt"', "", head)
    style = f' style="max-width:{float(width.group(1)) * 4 / 3:.0f}px"' if width else ""
    head += f' class="chart" role="img" aria-labelledby="{chart_id}-title"{style}'
    svg = f'{head}><title id="{chart_id}-title">{escape(alt)}</title>{svg[head_end + 1:]}'
    if _FORBIDDEN.search(svg):  # matplotlib escapes text; this guards against a future change
        raise ValueError(f"chart {chart_id}: generated SVG contains active content")
    return Chart(id=chart_id, svg=Markup(svg), alt=alt)


def _figure(width: float, height: float):
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        ax = fig.subplots()
    return fig, ax


def f1_bars(rows: Sequence[tuple[str, float, float, float, bool]]) -> Chart:
    """Mean F1 per extractor with its 95% interval as whiskers, best on top; rows are (name, f1, low, high, baseline)."""
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        fig, ax = _figure(7.2, 0.42 * len(rows) + 0.9)
        names = [_label(r[0]) for r in rows]
        f1 = np.array([r[1] for r in rows], dtype=float)
        low = np.array([r[2] for r in rows], dtype=float)
        high = np.array([r[3] for r in rows], dtype=float)
        y = np.arange(len(rows))
        colours = [BASELINE_COLOUR if r[4] else ARTICLE_COLOUR for r in rows]
        ax.barh(y, f1, color=colours, height=0.62, zorder=2)
        err = np.vstack([np.clip(f1 - low, 0, None), np.clip(high - f1, 0, None)])
        err = np.nan_to_num(err)
        ax.errorbar(f1, y, xerr=err, fmt="none", ecolor=_TEXT, elinewidth=1.2, capsize=4, zorder=3)
        for yi, value, hi in zip(y, f1, high):
            ax.text(min((hi if hi == hi else value) + 0.015, 1.02), yi, f"{value:.3f}", va="center", fontsize=9)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.1)
        ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_xlabel("mean token F1 over pages (whiskers: 95% bootstrap interval)")
        ax.grid(axis="x", color=_GRID, zorder=0)
        ax.tick_params(axis="y", length=0)
        alt = "Bar chart of mean F1 per extractor with 95% intervals: " + "; ".join(
            f"{r[0]} {r[1]:.3f} [{r[2]:.3f}, {r[3]:.3f}]" for r in rows)
        return _inline(fig, "chart-f1", alt)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Overlap area of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


_DIRECTIONS = ((1, 0, "left", "center"), (-1, 0, "right", "center"), (1, 1, "left", "bottom"),
               (1, -1, "left", "top"), (-1, 1, "right", "bottom"), (-1, -1, "right", "top"),
               (0, 1, "center", "bottom"), (0, -1, "center", "top"))


def _labelled_points(fig, ax, xs, ys, names, baselines, *, obstacles=(), ends=None) -> None:
    """Scatter one point per extractor and put each name where it hides no point, line or other name.

    Greedy: for each point (left to right) try positions around it, nearest
    first, in display space, and keep the first that overlaps nothing;
    otherwise the least overlapping one, with a leader line. `obstacles` are
    extra boxes (x0, y0, x1, y1) in data coordinates, such as speed lines;
    `ends` are points (data coordinates) whose right side is tried first,
    such as the p95 end of a speed line, which then leads to the label.
    """
    colours = [BASELINE_COLOUR if b else ARTICLE_COLOUR for b in baselines]
    ax.scatter(xs, ys, s=46, c=colours, zorder=3, edgecolors="white", linewidths=0.8)
    to_px = ax.transData.transform
    px_per_pt = fig.dpi / 72.0
    frame = ax.bbox.extents
    points = [tuple(to_px((x, y))) for x, y in zip(xs, ys)]
    taken = [(px - 5, py - 5, px + 5, py + 5) for px, py in points]
    for x0, y0, x1, y1 in obstacles:
        (a, b), (c, d) = to_px((x0, y0)), to_px((x1, y1))
        taken.append((min(a, c), min(b, d) - 1.5, max(a, c), max(b, d) + 1.5))
    fontsize = 9.0
    height = fontsize * 1.25 * px_per_pt
    order = sorted(range(len(names)), key=lambda i: (points[i][0], points[i][1]))
    for i in order:
        label = _label(names[i])
        width = fontsize * 0.6 * len(str(names[i])) * px_per_pt
        px, py = points[i]
        candidates = []
        if ends is not None:
            ex, ey = to_px(ends[i])
            candidates.append((ex + 6 * px_per_pt - px, ey - py, "left", "center", False))
        for radius in (7, 16, 28, 42):
            candidates += [(dx * radius * px_per_pt, dy * radius * px_per_pt, ha, va, radius > 7)
                           for dx, dy, ha, va in _DIRECTIONS]
        best = None
        for ox, oy, ha, va, leader in candidates:
            left = px + ox - (0 if ha == "left" else width if ha == "right" else width / 2)
            bottom = py + oy - (0 if va == "bottom" else height if va == "top" else height / 2)
            box = (left, bottom, left + width, bottom + height)
            outside = (max(0, frame[0] - box[0]) + max(0, box[2] - frame[2]) + max(0, frame[1] - box[1])
                       + max(0, box[3] - frame[3])) * height
            cost = sum(_overlap(box, other) for other in taken) + outside * 4
            if best is None or cost < best[0]:
                best = (cost, ox, oy, ha, va, box, leader)
            if cost == 0:
                break
        _, ox, oy, ha, va, box, leader = best
        taken.append(box)
        arrow = dict(arrowstyle="-", color="#7b8794", lw=0.7, shrinkA=1, shrinkB=4) if leader else None
        ax.annotate(label, (xs[i], ys[i]), xytext=(ox / px_per_pt, oy / px_per_pt), textcoords="offset points",
                    ha=ha, va=va, fontsize=fontsize, arrowprops=arrow, zorder=4)


def precision_recall(points: Sequence[tuple[str, float, float, bool]]) -> Chart:
    """Precision against recall, one labelled point per extractor, with iso-F1 curves; points are (name, p, r, baseline)."""
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        fig, ax = _figure(5.6, 4.6)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        r = np.linspace(0.01, 1, 200)
        for level in (0.2, 0.4, 0.6, 0.8, 0.9):
            with np.errstate(divide="ignore", invalid="ignore"):
                p = level * r / (2 * r - level)
            ok = (p > 0) & (p <= 1.02) & (2 * r > level)
            ax.plot(r[ok], p[ok], color=_GRID, lw=0.9, zorder=1)
            ax.text(1.0, level / (2 - level), f"F1={level:g}", fontsize=7.5, color="#7b8794", ha="right",
                    va="bottom")
        xs = [pt[2] for pt in points]
        ys = [pt[1] for pt in points]
        _labelled_points(fig, ax, xs, ys, [pt[0] for pt in points], [pt[3] for pt in points],
                         obstacles=[(0.86, level / (2 - level), 1.0, level / (2 - level) + 0.03)
                                    for level in (0.2, 0.4, 0.6, 0.8, 0.9)])
        ax.set_xlabel("recall (mean over pages)")
        ax.set_ylabel("precision (mean over pages)")
        alt = "Precision against recall per extractor: " + "; ".join(
            f"{pt[0]} precision {pt[1]:.3f} recall {pt[2]:.3f}" for pt in points)
        return _inline(fig, "chart-pr", alt)


def f1_vs_ms(points: Sequence[tuple[str, float, float, float, bool]]) -> Chart:
    """Mean F1 against median ms per page (log scale), a line to the p95; points are (name, ms_median, ms_p95, f1, baseline)."""
    import matplotlib
    import numpy as np

    with matplotlib.rc_context(_RC):
        fig, ax = _figure(5.6, 4.6)
        floor = 0.01
        med = np.array([max(pt[1], floor) for pt in points], dtype=float)
        p95 = np.array([max(pt[2], floor) for pt in points], dtype=float)
        f1 = np.array([pt[3] for pt in points], dtype=float)
        ax.set_xscale("log")
        ax.hlines(f1, med, p95, color="#9aa5b1", lw=1.4, zorder=2)
        ax.scatter(p95, f1, marker="|", s=60, color="#9aa5b1", zorder=2)
        lo, hi = float(np.min(med)) if len(med) else 0.1, float(np.max(p95)) if len(p95) else 10.0
        ax.set_xlim(lo / 2.5, hi * 15)
        ax.set_ylim(0, 1.05)
        _labelled_points(fig, ax, list(med), list(f1), [pt[0] for pt in points], [pt[4] for pt in points],
                         obstacles=[(m, y, q, y) for m, q, y in zip(med, p95, f1)],
                         ends=[(q, y) for q, y in zip(p95, f1)])
        ax.set_xlabel("ms per page: median (dot) to p95 (bar), log scale")
        ax.set_ylabel("mean F1")
        ax.grid(axis="both", color=_GRID, lw=0.6, zorder=0)
        alt = "Mean F1 against milliseconds per page per extractor: " + "; ".join(
            f"{pt[0]} F1 {pt[3]:.3f} at {pt[1]:.1f} ms median, {pt[2]:.1f} ms p95" for pt in points)
        return _inline(fig, "chart-speed", alt)


def f1_heatmap(matrix, page_ids: Sequence[str], extractors: Sequence[str]) -> Chart:
    """F1 per page (rows, hardest first) and extractor (columns); large corpora turn it on its side, unlabelled."""
    import matplotlib
    import numpy as np

    values = np.asarray(matrix, dtype=float)  # pages x extractors, NaN = not scored
    n_pages = values.shape[0]
    with matplotlib.rc_context(_RC):
        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#e4e7eb")
        masked = np.ma.masked_invalid(values)
        if n_pages <= 60:
            fig, ax = _figure(1.6 + 0.85 * len(extractors), 0.8 + 0.2 * n_pages)
            image = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
            ax.set_yticks(range(n_pages), [_label(p) for p in page_ids], fontsize=7.5)
            ax.set_xticks(range(len(extractors)), [_label(e) for e in extractors], rotation=35, ha="left")
            ax.xaxis.tick_top()
            ax.set_ylabel("pages, hardest first (lowest gold share of visible text)")
        else:
            fig, ax = _figure(9.0, 0.9 + 0.32 * len(extractors))
            image = ax.imshow(masked.T, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
            ax.set_yticks(range(len(extractors)), [_label(e) for e in extractors])
            ax.set_xlabel(f"{n_pages} pages, hardest first (lowest gold share of visible text)")
            ax.set_xticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        bar = fig.colorbar(image, ax=ax, fraction=0.04 if n_pages <= 60 else 0.02, pad=0.02)
        bar.set_label("F1")
        bar.outline.set_visible(False)
        alt = (f"Heat map of F1 for {n_pages} pages and {len(extractors)} extractors, pages sorted by difficulty; "
               "the same figures are in the per-page table.")
        return _inline(fig, "chart-heatmap", alt)
