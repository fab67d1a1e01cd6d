"""The report's charts as inline SVG: per-page F1 distributions, precision against recall, quality against speed,
and the per-page heat map.

Each chart is drawn on a `svg.Canvas` (our own elements and one id per
chart, every data string escaped) and scales with the page through its
viewBox, so it is never clipped on a phone. Labels are placed where they
cover no point, interval, curve or other label, with a leader line to their
own point when they had to move away.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from benchmark.report.svg import INK, MUTED, Canvas, Scale, fmt_tick, log_ticks, nice_ticks

__all__ = ["Chart", "f1_distribution", "precision_recall", "quality_speed", "f1_heatmap"]

#: strip plots show every page up to this many per extractor; above, the box plot and its outliers
STRIP_MAX = 400
#: elements that run code or embed a document, by local name (lowercase)
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"})
#: attributes whose value is followed as a link or set on another attribute by an animation
_LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "values", "to", "from", "by"})


@dataclass(frozen=True)
class Chart:
    """One inline SVG (markup we generated) and its text alternative."""

    id: str
    svg: str  # markupsafe.Markup
    alt: str


def as_chart(canvas: Canvas, alt: str) -> Chart:
    from markupsafe import Markup

    svg = canvas.svg(alt)
    found = active_content(svg)  # every data string is escaped; this guards against a future change
    if found is not None:
        raise ValueError(f"chart {canvas.chart_id}: generated SVG contains active content ({found})")
    return Chart(id=canvas.chart_id, svg=Markup(svg), alt=alt)


def active_content(svg: str) -> str | None:
    """What in an SVG document could run (an element, an on* attribute, a javascript: link), or None.

    Looks at the parsed elements and attributes, not at the text: a page id
    such as ``tutorial-javascript:closures`` is escaped text in a label and
    runs nothing.
    """
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as exc:
        return f"not well-formed XML ({exc})"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in _ACTIVE_ELEMENTS:
            return f"a <{tag}> element"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"an {local} attribute on <{tag}>"
            link = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if local in _LINK_ATTRIBUTES and link.startswith(("javascript:", "vbscript:", "data:text/html")):
                return f"a {local}={value[:40]!r} link on <{tag}>"
    return None


def _frame(canvas: Canvas, x: Scale, y: Scale, xticks, yticks, xlabel: str, ylabel: str, *, xfmt=fmt_tick) -> None:
    left, right, top, bottom = x.start, x.stop, y.stop, y.start
    for t in xticks:
        canvas.line(x(t), top, x(t), bottom)
        canvas.text(x(t), bottom + 16, xfmt(t), size=11, anchor="middle", colour=MUTED)
    for t in yticks:
        canvas.line(left, y(t), right, y(t))
        canvas.text(left - 6, y(t) + 4, fmt_tick(t), size=11, anchor="end", colour=MUTED)
    canvas.line(left, bottom, right, bottom, colour="#9aa5b1")
    canvas.line(left, top, left, bottom, colour="#9aa5b1")
    canvas.text((left + right) / 2, bottom + 34, xlabel, size=12, anchor="middle", colour=INK)
    canvas.text(14, (top + bottom) / 2, ylabel, size=12, anchor="middle", colour=INK, rotate=-90)


def f1_distribution(rows: Sequence[tuple[str, Sequence[float], float, float, float, str]]) -> Chart:
    """Per-page F1 per extractor: box (quartiles, whiskers 1.5 IQR), every page as a dot, the mean with its interval.

    rows: (name, per-page F1 values, mean, ci_low, ci_high, colour), best first.
    """
    import numpy as np

    label_width = max([60.0] + [7.2 * len(r[0]) + 8 for r in rows])
    row_h = 34
    canvas = Canvas("chart-f1", width=760, height=58 + row_h * len(rows))
    x = Scale(0, 1, label_width + 10, 740)
    top = 10
    for t in nice_ticks(0, 1, 5):
        canvas.line(x(t), top, x(t), top + row_h * len(rows))
        canvas.text(x(t), top + row_h * len(rows) + 16, fmt_tick(t), size=11, anchor="middle", colour=MUTED)
    rng = np.random.default_rng(0)  # jitter only: fixed, so two renders are identical
    for k, (name, values, mean, low, high, colour) in enumerate(rows):
        values = np.asarray([v for v in values if v == v], dtype=float)
        cy = top + row_h * k + row_h / 2
        canvas.text(label_width, cy + 4, name, size=12, anchor="end", extra=f' data-name="{_attr(name)}"')
        if not len(values):
            continue
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        iqr = q3 - q1
        inside = values[(values >= q1 - 1.5 * iqr) & (values <= q3 + 1.5 * iqr)]
        lo_w, hi_w = float(inside.min()), float(inside.max())
        canvas.line(x(lo_w), cy, x(q1), cy, colour=INK)
        canvas.line(x(q3), cy, x(hi_w), cy, colour=INK)
        canvas.add(f'<rect x="{x(q1):.1f}" y="{cy - 9:.1f}" width="{max(1.0, x(q3) - x(q1)):.1f}" height="18" '
                   f'fill="{colour}" fill-opacity="0.18" stroke="{colour}"/>')
        canvas.line(x(median), cy - 9, x(median), cy + 9, colour=colour, width=2.5)
        shown = values if len(values) <= STRIP_MAX else values[(values < lo_w) | (values > hi_w)]
        jitter = rng.uniform(-7, 7, size=len(shown))
        canvas.add("".join(f'<circle cx="{x(v):.1f}" cy="{cy + j:.1f}" r="2" fill="{colour}" fill-opacity="0.45"/>'
                           for v, j in zip(shown, jitter)))
        if mean == mean:
            canvas.line(x(low), cy + 13, x(high), cy + 13, colour=INK, width=1.5)
            canvas.add(f'<path d="M{x(mean):.1f} {cy + 9:.1f} l4 4 l-4 4 l-4 -4 z" fill="{INK}"/>')
    canvas.text((x.start + x.stop) / 2, top + row_h * len(rows) + 36,
                "token F1 per page: box = quartiles, thick bar = median, dots = pages, ◆ = mean with its 95% interval",
                size=12, anchor="middle")
    alt = "Per-page F1 per extractor (median, quartiles, mean and its 95% interval): " + "; ".join(
        f"{r[0]} mean {r[2]:.3f} [{r[3]:.3f}, {r[4]:.3f}], median "
        f"{float(np.median([v for v in r[1] if v == v])) if len(r[1]) else float('nan'):.3f}" for r in rows)
    return as_chart(canvas, alt)


def _attr(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _zoom(values: Sequence[float], pad: float = 0.04) -> tuple[float, float]:
    """An axis range around the data, on round 0.05 steps, inside [0, 1]."""
    finite = [v for v in values if v == v]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    lo = max(0.0, math.floor((lo - pad) * 20) / 20)
    hi = min(1.0, math.ceil((hi + pad) * 20) / 20)
    if hi - lo < 0.1:
        lo, hi = max(0.0, hi - 0.1), min(1.0, lo + 0.1)
    return lo, hi


def precision_recall(points: Sequence[tuple[str, float, float, float, float, float, float, str]]) -> Chart:
    """Mean precision against mean recall with both 95% intervals as crosshairs; curves of equal F1 of the means.

    points: (name, precision, p_low, p_high, recall, r_low, r_high, colour).
    """
    import numpy as np

    canvas = Canvas("chart-pr", width=600, height=470)
    xs = [v for p in points for v in (p[4], p[5], p[6])]
    ys = [v for p in points for v in (p[1], p[2], p[3])]
    x = Scale(*_zoom(xs), 64, 580)
    y = Scale(*_zoom(ys), 420, 14)
    _frame(canvas, x, y, nice_ticks(x.lo, x.hi), nice_ticks(y.lo, y.hi), "recall (mean over pages)",
           "precision (mean over pages)")
    plot = (x.start, y.stop, x.stop, y.start)
    for level in nice_ticks(0, 1, 20):
        if not 0 < level < 1:
            continue
        r = np.linspace(x.lo, x.hi, 120)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = level * r / (2 * r - level)
        ok = (2 * r > level) & (p >= y.lo) & (p <= y.hi)
        if ok.sum() < 2:
            continue
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(a):.1f} {y(b):.1f}" for i, (a, b) in enumerate(zip(r[ok], p[ok])))
        canvas.add(f'<path d="{path}" fill="none" stroke="#c3cad3" stroke-dasharray="3 3" class="iso-f1"/>')
        end = int(np.flatnonzero(ok)[-1])
        canvas.text(x(r[end]) - 3, y(p[end]) - 4, f"F1 {level:g}", size=10, anchor="end", colour=MUTED)
        canvas.taken.append((x(r[end]) - 40, y(p[end]) - 15, x(r[end]), y(p[end]) - 1))
    for name, prec, p_lo, p_hi, rec, r_lo, r_hi, colour in points:
        canvas.line(x(r_lo), y(prec), x(r_hi), y(prec), colour=colour, width=1.5)
        canvas.line(x(rec), y(p_lo), x(rec), y(p_hi), colour=colour, width=1.5)
        canvas.taken.append((x(r_lo), y(prec) - 2, x(r_hi), y(prec) + 2))
        canvas.taken.append((x(rec) - 2, y(p_hi), x(rec) + 2, y(p_lo)))
    for name, prec, *_, rec, _, _, colour in points:
        canvas.add(f'<circle cx="{x(rec):.1f}" cy="{y(prec):.1f}" r="5" fill="{colour}" stroke="white" '
                   f'class="dot" data-name="{_attr(name)}"/>')
        canvas.taken.append((x(rec) - 6, y(prec) - 6, x(rec) + 6, y(prec) + 6))
        canvas.dots.append((name, x(rec), y(prec)))
    for name, prec, *_, rec, _, _, colour in sorted(points, key=lambda p: (p[4], p[1])):
        canvas.place_label(name, x(rec), y(prec), colour=colour, frame=plot)
    alt = "Precision against recall per extractor, means over pages with 95% intervals: " + "; ".join(
        f"{p[0]} precision {p[1]:.3f} [{p[2]:.3f}, {p[3]:.3f}], recall {p[4]:.3f} [{p[5]:.3f}, {p[6]:.3f}]"
        for p in points)
    return as_chart(canvas, alt)


def pareto_front(points: Sequence[tuple[str, float, float]]) -> list[str]:
    """Names not beaten on both speed and quality: each is faster than every better one. points: (name, ms, f1)."""
    front, best = [], -math.inf
    for name, ms, f1 in sorted(points, key=lambda p: (p[1], -p[2], p[0])):
        if f1 > best:
            front.append(name)
            best = f1
    return front


def quality_speed(points: Sequence[tuple[str, float, float, float, str]]) -> Chart:
    """Mean F1 against median ms per page on a log axis spanning the data, p95 as a whisker, the Pareto front drawn.

    points: (name, ms_median, ms_p95, f1, colour); baselines are left out by the caller.
    """
    canvas = Canvas("chart-speed", width=600, height=470)
    ms = [max(p[1], 0.01) for p in points] + [max(p[2], 0.01) for p in points]
    lo, hi = min(ms) / 1.4, max(ms) * 1.4
    x = Scale(lo, hi, 64, 580, log=True)
    y = Scale(*_zoom([p[3] for p in points], pad=0.05), 420, 14)
    _frame(canvas, x, y, log_ticks(lo, hi), nice_ticks(y.lo, y.hi), "ms per page, log scale: median (dot) to p95",
           "mean F1")
    plot = (x.start, y.stop, x.stop, y.start)
    front = pareto_front([(p[0], p[1], p[3]) for p in points])
    by_name = {p[0]: p for p in points}
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(max(by_name[n][1], 0.01)):.1f} {y(by_name[n][3]):.1f}"
                    for i, n in enumerate(front))
    if len(front) > 1:
        canvas.add(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="1.2" stroke-dasharray="5 3" '
                   f'class="pareto"/>')
    for name, med, p95, f1, colour in points:
        canvas.line(x(max(med, 0.01)), y(f1), x(max(p95, 0.01)), y(f1), colour=colour, width=1.5)
        canvas.line(x(max(p95, 0.01)), y(f1) - 4, x(max(p95, 0.01)), y(f1) + 4, colour=colour, width=1.5)
        canvas.taken.append((x(max(med, 0.01)), y(f1) - 4, x(max(p95, 0.01)), y(f1) + 4))
    for name, med, p95, f1, colour in points:
        ring = ' stroke="#102a43" stroke-width="2"' if name in front else ' stroke="white"'
        canvas.add(f'<circle cx="{x(max(med, 0.01)):.1f}" cy="{y(f1):.1f}" r="5" fill="{colour}"{ring} class="dot" '
                   f'data-name="{_attr(name)}"/>')
        canvas.taken.append((x(max(med, 0.01)) - 6, y(f1) - 6, x(max(med, 0.01)) + 6, y(f1) + 6))
        canvas.dots.append((name, x(max(med, 0.01)), y(f1)))
    for name, med, p95, f1, colour in sorted(points, key=lambda p: (p[1], p[3])):
        canvas.place_label(name, x(max(med, 0.01)), y(f1), colour=colour, frame=plot)
    alt = ("Mean F1 against milliseconds per page per extractor (log scale), Pareto front "
           f"{' → '.join(front)}: " + "; ".join(f"{p[0]} F1 {p[3]:.3f} at {p[1]:.1f} ms median, {p[2]:.1f} ms p95"
                                                for p in points))
    return as_chart(canvas, alt)


def f1_heatmap(matrix, page_ids: Sequence[str], extractors: Sequence[str]) -> Chart:
    """F1 per page (columns, hardest first) and extractor (rows); grey where not scored."""
    import numpy as np

    values = np.asarray(matrix, dtype=float)  # pages x extractors
    n_pages = values.shape[0]
    label_width = max([60.0] + [7.2 * len(e) + 8 for e in extractors])
    cell_w = max(1.0, min(12.0, 640 / max(1, n_pages)))
    row_h = 18
    canvas = Canvas("chart-heatmap", width=label_width + 20 + cell_w * n_pages + 20, height=40 + row_h * len(extractors))
    for j, name in enumerate(extractors):
        cy = 8 + row_h * j
        canvas.text(label_width, cy + 13, name, size=12, anchor="end")
        cells = []
        for i in range(n_pages):
            v = values[i, j]
            fill = "#e4e7eb" if v != v else _viridis(v)
            cells.append(f'<rect x="{label_width + 10 + cell_w * i:.1f}" y="{cy:.1f}" width="{cell_w + 0.3:.2f}" '
                         f'height="{row_h - 2}" fill="{fill}"/>')
        canvas.add("".join(cells))
    canvas.text(label_width + 10, 8 + row_h * len(extractors) + 20,
                f"{n_pages} pages, hardest first (lowest gold share of visible text); colour = F1 from 0 (dark) "
                "to 1 (yellow), grey = not scored", size=11, colour=MUTED)
    alt = (f"Heat map of F1 for {n_pages} pages and {len(extractors)} extractors, pages sorted by difficulty; "
           "the same figures are in the page index.")
    return as_chart(canvas, alt)


_VIRIDIS = ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37))


def _viridis(value: float) -> str:
    """Viridis-like colour of a value in [0, 1], interpolated between five stops."""
    v = min(1.0, max(0.0, float(value))) * (len(_VIRIDIS) - 1)
    k = min(int(v), len(_VIRIDIS) - 2)
    t = v - k
    a, b = _VIRIDIS[k], _VIRIDIS[k + 1]
    return "#" + "".join(f"{round(a[i] + (b[i] - a[i]) * t):02x}" for i in range(3))


def label_boxes(chart_markup: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(name, estimated box) of each placed label in a chart's SVG, for checks outside the browser."""
    from html import unescape

    from benchmark.report.svg import text_width

    found = []
    for match in re.finditer(r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="([\d.]+)"[^>]*class="label"[^>]*>(.*?)'
                             r'</text>', str(chart_markup)):
        x0, baseline, size, text = float(match[1]) - 1, float(match[2]), float(match[3]), unescape(match[4])
        found.append((text, (x0, baseline - size, x0 + text_width(text, size), baseline - size + size * 1.3)))
    return found


def is_placed_without_overlap(boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    from benchmark.report.svg import overlap

    return all(overlap(a, b) < 1 for i, a in enumerate(boxes) for b in boxes[i + 1:])


def palette(names: Sequence[str], baselines: Mapping[str, bool]) -> dict[str, str]:
    from benchmark.report.svg import colours

    return colours(list(names), [baselines.get(n, False) for n in names])

