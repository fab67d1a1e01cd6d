"""Corpus weight in summary: each statistic's median and p10/p90 (or share of pages), and real pages' ranges.

The package ships the ranges measured on real saved pages
(`data/real_page_ranges.json`, with the command that measured them and the
date); `boilerbench validate` warns where the bundled corpus leaves them.
What "leaves" means depends on the statistic:

- a per-page figure (`kind = "figure"`): the corpus median lies outside the
  real pages' p10-p90, i.e. a typical bundled page would be an outlier among
  real ones;
- a yes/no figure (`kind = "share"`, e.g. pages with iframes): the corpus's
  share of pages differs from the real share by more than 20 percentage
  points (SHARE_TOLERANCE), about the spread between two real sets (AEB and
  trafilatura's, PAGE-AUTHORING.md section 5).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from benchmark.corpus.weights import PageWeight, WeightSummary

#: how far (absolute) a corpus's share of pages may sit from real pages' before validate warns
SHARE_TOLERANCE = 0.20
REFERENCE_FILE = "data/real_page_ranges.json"


@dataclass(frozen=True)
class Statistic:
    """One row of `corpus stats`: how to read it off a page and how to show it."""

    key: str
    label: str
    kind: str  # "figure": median/p10/p90 of a per-page number; "share": share of pages where it holds
    read: Callable[[PageWeight], Any]
    digits: int = 0  # decimals shown for a figure


def _attr(name: str) -> Callable[[PageWeight], Any]:
    return lambda page: getattr(page, name)


STATISTICS: tuple[Statistic, ...] = (
    Statistic("kb", "page size, KB", "figure", _attr("kb")),
    Statistic("elements", "elements", "figure", _attr("elements")),
    Statistic("max_depth", "max DOM depth", "figure", _attr("max_depth")),
    Statistic("scripts", "<script> elements", "figure", _attr("scripts")),
    Statistic("script_style_share", "script+style share of bytes", "figure", _attr("script_style_share"), 2),
    Statistic("longest_line", "longest line, characters", "figure", _attr("longest_line")),
    Statistic("classes", "distinct class names", "figure", _attr("classes")),
    Statistic("data_attrs", "data-* attributes", "figure", _attr("data_attrs")),
    Statistic("with_data_attrs", "pages with data-* attributes", "share", lambda p: p.data_attrs > 0),
    Statistic("ids", "ids", "figure", _attr("ids")),
    Statistic("meta", "meta tags", "figure", _attr("meta")),
    Statistic("visible_share", "visible-text bytes / page bytes", "figure", _attr("visible_share"), 2),
    Statistic("iframes", "pages with iframes", "share", _attr("iframes")),
    Statistic("lazy_images", "pages with lazy images", "share", _attr("lazy_images")),
    Statistic("parse_errors", "pages lxml reports parse errors on", "share", lambda p: p.parse_errors > 0),
    Statistic("comments", "HTML comments", "figure", _attr("comments")),
    Statistic("links", "<a href> elements", "figure", _attr("links")),
    Statistic("link_density", "link density of visible text", "figure", _attr("link_density"), 2),
    Statistic("visible_tokens", "visible tokens", "figure", _attr("visible_tokens")),
    Statistic("gold_tokens", "gold tokens", "figure", _attr("gold_tokens")),
    Statistic("body_share", "body share of visible tokens", "figure", _attr("body_share"), 2),
    Statistic("blocks_outside_body", "text blocks outside the body container", "figure",
              _attr("blocks_outside_body")),
    Statistic("body_depth", "depth of the body container", "figure", _attr("body_depth")),
    Statistic("placeholder_links", "pages with numbered placeholder links", "share", _attr("placeholder_links")),
)
BY_KEY = {statistic.key: statistic for statistic in STATISTICS}


def summarize(statistic: Statistic, pages: Sequence[PageWeight]) -> WeightSummary:
    """Median and p10/p90 (numpy's linear interpolation) of a figure, or the share of pages with a yes."""
    import numpy as np

    values = [value for value in map(statistic.read, pages) if value is not None]
    if not values:
        return WeightSummary(statistic.key, 0)
    if statistic.kind == "share":
        return WeightSummary(statistic.key, len(values), share=sum(map(bool, values)) / len(values))
    p10, median, p90 = np.percentile(np.asarray(values, dtype=float), [10, 50, 90])
    return WeightSummary(statistic.key, len(values), median=float(median), p10=float(p10), p90=float(p90))


def summarize_weights(pages: Sequence[PageWeight]) -> dict[str, WeightSummary]:
    """Every statistic's summary over the pages."""
    return {statistic.key: summarize(statistic, pages) for statistic in STATISTICS}


def summary_dict(summary: WeightSummary) -> dict[str, float | int]:
    """A summary as plain JSON numbers (rounded to 4 decimals), as `corpus stats --format json` writes it."""
    fields = ("share",) if summary.share is not None else ("median", "p10", "p90")
    return {"n": summary.n, **{name: round(getattr(summary, name), 4) for name in fields
                               if getattr(summary, name) is not None}}


@dataclass(frozen=True)
class ReferenceRanges:
    """Real pages' summaries as measured and stored, with how and when."""

    dataset: str
    command: str
    measured: str  # ISO date
    versions: Mapping[str, str]
    summaries: Mapping[str, WeightSummary]


def reference_from_json(data: Mapping[str, Any]) -> ReferenceRanges:
    """The stored file's content as ReferenceRanges; a field missing raises KeyError or ValueError."""
    summaries = {key: WeightSummary(key, int(value["n"]), median=value.get("median"), p10=value.get("p10"),
                                    p90=value.get("p90"), share=value.get("share"))
                 for key, value in data["statistics"].items()}
    return ReferenceRanges(dataset=str(data["dataset"]), command=str(data["command"]),
                           measured=str(data["measured"]), versions=dict(data.get("versions", {})),
                           summaries=summaries)


def load_reference() -> ReferenceRanges:
    """The reference ranges the package ships (benchmark/corpus/data/real_page_ranges.json)."""
    from importlib.resources import files

    text = files("benchmark.corpus").joinpath(REFERENCE_FILE).read_text(encoding="utf-8")
    return reference_from_json(json.loads(text))


def _shown(statistic: Statistic, value: float) -> str:
    return f"{value:,.{statistic.digits}f}"


def leaves(statistic: Statistic, ours: WeightSummary, real: WeightSummary) -> str | None:
    """How the corpus leaves the real range for this statistic, or None when it does not (or cannot be told)."""
    if ours.n == 0 or real.n == 0:
        return None
    if statistic.kind == "share":
        if ours.share is None or real.share is None or abs(ours.share - real.share) <= SHARE_TOLERANCE:
            return None
        return (f"{ours.share:.0%} of pages, real pages {real.share:.0%} "
                f"(more than {SHARE_TOLERANCE:.0%} points apart)")
    if None in (ours.median, real.p10, real.p90) or real.p10 <= ours.median <= real.p90:
        return None
    return (f"median {_shown(statistic, ours.median)} outside real pages' p10-p90 "
            f"{_shown(statistic, real.p10)}-{_shown(statistic, real.p90)}")


def range_warnings(ours: Mapping[str, WeightSummary], reference: ReferenceRanges) -> list[str]:
    """One line per statistic on which the corpus leaves the real pages' range."""
    found = []
    for statistic in STATISTICS:
        if statistic.key not in ours or statistic.key not in reference.summaries:
            continue
        how = leaves(statistic, ours[statistic.key], reference.summaries[statistic.key])
        if how:
            found.append(f"{statistic.label}: {how} ({reference.dataset}, measured {reference.measured})")
    return found


def body_class_counts(pages: Iterable[PageWeight]) -> tuple[tuple[str, int], ...]:
    """Class names of the body containers and on how many pages each occurs, most common first."""
    from collections import Counter

    counts = Counter(name for page in pages for name in set(page.body_classes))
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
