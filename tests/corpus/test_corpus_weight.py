"""The bundled corpus at real-page weight: every target of issue 11, measured by `corpus stats` on this checkout.

Real saved pages (AEB, measured by the same code: benchmark/corpus/data/
real_page_ranges.json) carry far more than their text; an authored corpus
that does not is easier for extractors in ways real pages are not. Each
target is its own test, so a failure names the statistic, the figure and
the target. Figures are numpy percentiles (linear), as `corpus stats` prints.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from benchmark.corpus.weighing import open_source, weigh

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def weight():
    return weigh(open_source(corpus_dir=REPO))


def _summary(weight, key, field):
    return getattr(weight.summaries[key], field)


def _heavier_from_2015(weight) -> float:
    """Median KB of pages from 2015 on over the median of older pages (> 1: heavier)."""
    new = [p.kb for p in weight.pages if p.year is not None and p.year >= 2015]
    old = [p.kb for p in weight.pages if p.year is not None and p.year < 2015]
    return statistics.median(new) / statistics.median(old) if new and old else 0.0


#: (what, figure, at least, at most): issue 11, "What to build" 2 and 3
TARGETS = [
    ("page size median, KB", lambda w: _summary(w, "kb", "median"), 80, None),
    ("page size p90, KB", lambda w: _summary(w, "kb", "p90"), 250, None),
    ("pages of 400 KB or more", lambda w: sum(p.kb >= 400 for p in w.pages), 10, None),
    ("pages from 2015 on are heavier than older ones (ratio of median KB)", _heavier_from_2015, 1.0 + 1e-9, None),
    ("elements median", lambda w: _summary(w, "elements", "median"), 600, None),
    ("max DOM depth median", lambda w: _summary(w, "max_depth", "median"), 15, None),
    ("<script> elements median", lambda w: _summary(w, "scripts", "median"), 20, None),
    ("script+style share of bytes median", lambda w: _summary(w, "script_style_share", "median"), 0.2, None),
    ("longest line median, characters", lambda w: _summary(w, "longest_line", "median"), 5000, None),
    ("distinct class names median", lambda w: _summary(w, "classes", "median"), 150, None),
    ("ids median", lambda w: _summary(w, "ids", "median"), 40, None),
    ("meta tags median", lambda w: _summary(w, "meta", "median"), 20, None),
    ("share of pages with data-* attributes", lambda w: _summary(w, "with_data_attrs", "share"), 0.9, None),
    ("data-* attributes median", lambda w: _summary(w, "data_attrs", "median"), 30, None),
    ("share of pages with iframes", lambda w: _summary(w, "iframes", "share"), 0.4, None),
    ("share of pages with lazy images", lambda w: _summary(w, "lazy_images", "share"), 0.4, None),
    ("HTML comments median", lambda w: _summary(w, "comments", "median"), 10, None),
    ("share of pages lxml reports parse errors on", lambda w: _summary(w, "parse_errors", "share"), 0.4, None),
    ("visible-text bytes / page bytes median", lambda w: _summary(w, "visible_share", "median"), None, 0.12),
    ("body share p10", lambda w: _summary(w, "body_share", "p10"), None, 0.2),
    ("body share median", lambda w: _summary(w, "body_share", "median"), 0.40, 0.55),
    ("body share p90", lambda w: _summary(w, "body_share", "p90"), 0.75, None),
    ("share of pages with numbered placeholder links", lambda w: _summary(w, "placeholder_links", "share"),
     None, 0.05),
    ("pages", lambda w: len(w.pages), 150, None),
    ("gold tokens p10", lambda w: _summary(w, "gold_tokens", "p10"), None, 120),
    ("gold tokens p90", lambda w: _summary(w, "gold_tokens", "p90"), 1500, None),
]


@pytest.mark.parametrize("what, figure, low, high", TARGETS, ids=[t[0] for t in TARGETS])
def test_target(weight, what, figure, low, high):
    value = figure(weight)
    wanted = " and ".join(part for part in (f">= {low}" if low is not None else "",
                                             f"<= {high}" if high is not None else "") if part)
    assert value is not None, f"{what}: not measured on {len(weight.pages)} pages"
    assert (low is None or value >= low) and (high is None or value <= high), (
        f"{what}: {value:,.3f} on {len(weight.pages)} pages, target {wanted} "
        "(`boilerbench corpus stats --against aeb:../shared/datasets/aeb` shows all figures)")
