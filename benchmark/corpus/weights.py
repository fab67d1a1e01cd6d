"""The records of a corpus's weight and structure (`boilerbench corpus stats`).

Used only by the corpus stage and its command; `benchmark.records`
re-exports them, so `from benchmark.records import PageWeight` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # an annotation only: importing records here would make the two modules import each other
    from benchmark.records import Problem


@dataclass(frozen=True)
class PageWeight:
    """What one saved page carries besides its text, as an extractor's heuristics meet it (corpus stats)."""

    page_id: str
    kb: float  # page bytes / 1000 (the and PAGE-AUTHORING.md's KB)
    elements: int
    max_depth: int  # <html> is depth 1
    scripts: int  # <script> elements
    script_style_share: float  # bytes of <script> and <style> elements (tags included) / page bytes
    longest_line: int  # characters of the longest line of the decoded page
    classes: int  # distinct class names
    data_attrs: int  # data-* attributes
    ids: int  # elements with an id
    meta: int  # <meta> elements
    visible_share: float  # visible-text bytes (in the page's own charset) / page bytes
    iframes: bool
    lazy_images: bool  # an <img> with data-src, srcset or loading=lazy
    parse_errors: int  # errors lxml's HTML parser reports
    comments: int  # HTML comments
    links: int  # <a href> elements
    link_density: float  # tokens of visible text inside <a href> / visible tokens
    visible_tokens: int
    placeholder_links: bool  # >= 3 numbered placeholder links (/story/1 ...)
    gold_tokens: int | None = None  # None: the page has no body gold (snippet sets)
    body_share: float | None = None  # gold tokens / visible tokens, at most 1
    body_depth: int | None = None  # depth of the body container (deepest element with >= 80% of the gold)
    blocks_outside_body: int | None = None  # text blocks (lines of visible text) outside the body container
    body_classes: tuple[str, ...] = ()  # the body container's class names
    template: str | None = None  # the card's template family (bundled corpora)
    era: str = "unknown"
    year: int | None = None  # the card's publication year, where known


@dataclass(frozen=True)
class WeightSummary:
    """One statistic over a corpus: median and p10/p90 of a per-page figure, or the share of pages with it."""

    statistic: str
    n: int  # pages that have the figure
    median: float | None = None
    p10: float | None = None
    p90: float | None = None
    share: float | None = None  # for yes/no figures: the share of pages with it


@dataclass(frozen=True)
class CorpusWeight:
    """A corpus's weight and structure: per-page figures and their summaries, side by side with others."""

    name: str
    kind: str  # the corpus's provenance kind: authored, real, unstated
    pages: tuple[PageWeight, ...]
    summaries: Mapping[str, WeightSummary] = field(hash=False, default_factory=dict)
    #: class names of body containers and on how many pages each is, most common first
    body_class_counts: tuple[tuple[str, int], ...] = ()
    templates: Mapping[str, int] = field(hash=False, default_factory=dict)
    eras: Mapping[str, int] = field(hash=False, default_factory=dict)
    problems: tuple[Problem, ...] = ()
