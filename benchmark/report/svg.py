"""A small SVG writer for the report's charts: scales, axes, text boxes and label placement, all escaped.

Charts are drawn here rather than with matplotlib: a chart is a few dozen
elements whose coordinates we know, so label boxes can be checked for
overlap exactly where they are placed, every id is ours (one per chart), and
rendering takes microseconds instead of a second per figure. Text widths are
estimated from per-character advance widths of a common sans-serif font,
rounded up; the browser test measures the real boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from markupsafe import escape

#: one colour per extractor (Okabe-Ito, then Tableau), in ranking order; baselines grey
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#7f7f7f", "#bcbd22",
           "#17becf", "#9467bd", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#e377c2", "#393b79", "#637939",
           "#8c6d31", "#843c39")
BASELINE = "#9aa5b1"
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
_NARROW = set("ijlI.,:;|!'`()[]{}/\\ ft-1r")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float) -> float:
    """An upper estimate of the rendered width of `text` at `size` px in a common sans-serif font."""
    units = 0.0
    for char in str(text):
        if char in _NARROW:
            units += 0.36
        elif char in _WIDE:
            units += 0.92
        elif char.isupper() or char.isdigit():
            units += 0.68
        elif ord(char) > 0x2e80:  # CJK: full width
            units += 1.0
        else:
            units += 0.58
    return units * size * 1.08 + 2


def colours(names: Sequence[str], baselines: Sequence[bool]) -> dict[str, str]:
    """A colour per extractor, stable for one ranking; baselines grey."""
    found, k = {}, 0
    for name, is_baseline in zip(names, baselines):
        if is_baseline:
            found[name] = BASELINE
        else:
            found[name] = PALETTE[k % len(PALETTE)]
            k += 1
    return found


@dataclass
class Scale:
    """Data to pixels along one axis; `log` for a base-10 axis."""

    lo: float
    hi: float
    start: float
    stop: float
    log: bool = False

    def __call__(self, value: float) -> float:
        lo, hi, v = self.lo, self.hi, value
        if self.log:
            lo, hi, v = math.log10(lo), math.log10(hi), math.log10(max(value, 1e-12))
        span = hi - lo or 1.0
        return self.start + (v - lo) / span * (self.stop - self.start)


def nice_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks, value = [], first
    while value <= hi + 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2, 5 times powers of ten inside [lo, hi] (fewer when the range is wide)."""
    ticks = []
    for exponent in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0 ** exponent
            if lo <= value <= hi:
                ticks.append(value)
    if len(ticks) > 8:
        ticks = [t for t in ticks if str(t).lstrip("0.").startswith("1")]
    return ticks


def fmt_tick(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f"{value:.3g}"


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (pixels, y down)


def box_distance(box: Box, x: float, y: float) -> float:
    """Distance from a point to a box (0 inside it)."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy)


def overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


@dataclass
class Canvas:
    """Elements of one chart, its plot frame and the boxes labels must avoid."""

    chart_id: str
    width: float
    height: float
    parts: list[str] = field(default_factory=list)
    taken: list[Box] = field(default_factory=list)
    labels: list[Box] = field(default_factory=list)
    dots: list[tuple[str, float, float]] = field(default_factory=list)  # labelled points, for unambiguous labels

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, x: float, y: float, text: str, *, size: float = 12, anchor: str = "start", colour: str = INK,
             weight: str = "normal", cls: str = "", extra: str = "", rotate: float | None = None) -> None:
        transform = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate is not None else ""
        klass = f' class="{cls}"' if cls else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" fill="{colour}"'
                 f' font-weight="{weight}"{klass}{transform}{extra}>{escape(text)}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, *, colour: str = GRID, width: float = 1,
             extra: str = "") -> None:
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"'
                 f' stroke-width="{width:g}"{extra}/>')

    def place_label(self, name: str, px: float, py: float, *, size: float = 12, colour: str = INK,
                    frame: Box | None = None) -> Box:
        """Put `name` near its point where it covers no point, line or label; a leader line when it had to move."""
        width, height = text_width(name, size), size * 1.3
        frame = frame or (0, 0, self.width, self.height)
        best = None
        for radius in (7, 14, 24, 36, 52, 72, 96):
            for dx, dy in ((1, 0), (1, -1), (1, 1), (-1, 0), (-1, -1), (-1, 1), (0, -1), (0, 1)):
                cx, cy = px + dx * radius, py + dy * radius
                x0 = cx if dx > 0 else cx - width if dx < 0 else cx - width / 2
                y0 = cy - height / 2 if dy == 0 else cy - height if dy < 0 else cy
                box = (x0, y0, x0 + width, y0 + height)
                outside = (max(0, frame[0] - box[0]) + max(0, box[2] - frame[2]) + max(0, frame[1] - box[1])
                           + max(0, box[3] - frame[3]))
                cost = sum(overlap(box, other) for other in self.taken) + outside * 1000 + radius * 0.01
                if radius == 7:  # no leader line: the label must be nearer its own dot than any other dot
                    own = box_distance(box, px, py)
                    if any(box_distance(box, x, y) <= own + 6 for other, x, y in self.dots if other != name):
                        cost += 500
                if best is None or cost < best[0]:
                    best = (cost, box, radius)
            if best is not None and best[0] < 1:
                break
        _, box, radius = best
        self.taken.append(box)
        self.labels.append(box)
        if radius > 7:  # moved away: a leader from the label's nearest edge to its own point
            lx = min(max(px, box[0]), box[2])
            ly = min(max(py, box[1]), box[3])
            self.line(px, py, lx, ly, colour=colour, width=0.8, extra=f' class="leader" data-for="{escape(name)}"')
        self.text(box[0] + 1, box[1] + size, name, size=size, colour=INK, cls="label",
                  extra=f' data-for="{escape(name)}"')
        return box

    def svg(self, title: str) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" id="{self.chart_id}" class="chart" role="img"'
                f' aria-labelledby="{self.chart_id}-title" viewBox="0 0 {self.width:.0f} {self.height:.0f}"'
                f' style="max-width:{self.width:.0f}px" font-family="{FONT}">')
        return head + f'<title id="{self.chart_id}-title">{escape(title)}</title>' + "".join(self.parts) + "</svg>"
