"""report.html: one self-contained page that says which extractor to use, and why a page went wrong.

Sections, in this order (issue 5): ranking with intervals and pairwise
significance; precision/recall and quality/speed trade-offs; where each
extractor fails (heat map, worst pages, outcomes other than ok); leaked
chrome; every page with its card, scores and each output aligned against the
gold token by token; split tables; provenance.

This module is the page builder: it renders the templates (autoescaped
Jinja2, templates/) from one `Report` computed by `build_report`, whose
sections come from html_sections.py and whose per-page views (cards, diffs,
sibling files) come from html_pages.py.

Everything is built from the stored run folder (run.json, pages.csv,
golds.jsonl, extractions.jsonl, scores.csv, summary.csv), so a fresh run and
`boilerbench report RUN_DIR` render the same file. Templates autoescape every
value; charts are SVG we generate (`benchmark.report.charts`). The page loads
nothing: CSS and SVG are inline and a Content-Security-Policy forbids any
fetch, with the one small filter script allowed by its hash.

Large runs: the diffs of the first `INLINE_PAGES` pages are inline; the
others go to sibling files ``<report>-pages/pages-0101-0200.html`` (one per
`CHUNK_PAGES` pages), linked from the page index, so the main file stays
small and opens fast.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.report import html_sections as sections
from benchmark.report.html_pages import (Chunk, PageView, chunk_name, fill_page, page_facts, page_views,
                                         read_extractions, read_golds, score_records)

#: pages whose diffs are inline in the main report; the rest go to sibling files
INLINE_PAGES = 100
#: pages per sibling file
CHUNK_PAGES = 100
_CHUNK_RE = re.compile(r"pages-\d{4}-\d{4}\.html")


def render_html(result: Any, html_path: Path) -> list[Path]:
    """Write report.html (and its sibling page files for large runs); return every path written."""
    from benchmark.results import atomic_write_text

    html_path = Path(html_path)
    report = build_report(result, html_path)
    env = _environment()
    assets = _assets(env)
    written = []
    atomic_write_text(html_path, env.get_template("report.html.j2").render(r=report, assets=assets))
    written.append(html_path)
    pages_dir = html_path.parent / report.pages_dir_name
    keep: set[str] = set()
    for chunk in report.chunks:
        path = pages_dir / chunk.file_name
        atomic_write_text(path, env.get_template("pages.html.j2").render(r=report, chunk=chunk, assets=assets))
        keep.add(chunk.file_name)
        written.append(path)
    _remove_stale_chunks(pages_dir, keep)
    return written


def _remove_stale_chunks(pages_dir: Path, keep: set[str]) -> None:
    """Delete page files an earlier render wrote that this one did not (only our own file names)."""
    if not pages_dir.is_dir():
        return
    for path in pages_dir.iterdir():
        if _CHUNK_RE.fullmatch(path.name) and path.name not in keep:
            path.unlink()
    if not any(pages_dir.iterdir()):
        pages_dir.rmdir()


# --------------------------------------------------------------------------- environment


def _environment():
    """Jinja2 with autoescape on for every template, and undefined names as errors."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from benchmark.report.markdown import fmt

    env = Environment(loader=PackageLoader("benchmark.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["fmt"] = fmt
    env.filters["f1class"] = f1_class
    env.filters["leakclass"] = leak_class
    env.filters["signed"] = lambda v: "–" if v is None or v != v else f"{v:+.3f}"
    return env


@dataclass(frozen=True)
class Assets:
    """Inline CSS and script, and the Content-Security-Policy that allows exactly that script."""

    css: str
    script: str
    csp: str


def _assets(env) -> Assets:
    from markupsafe import Markup

    css = env.loader.get_source(env, "report.css")[0]
    script = env.loader.get_source(env, "report.js")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")
    # our own files, shipped with the package: not data
    return Assets(css=Markup(css), script=Markup(script), csp=csp)


def f1_class(value: Any) -> str:
    """CSS class of a score cell: five bands, or `na` for a missing score."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "na"
    if number != number:
        return "na"
    return f"q{min(4, max(0, int(number * 5)))}"


def leak_class(count: int, most: int) -> str:
    """CSS class of a leak-count cell: darker for more pages, none for zero."""
    if not count or not most:
        return ""
    return f"l{min(3, 1 + int(3 * count / (most + 1)))}"


# --------------------------------------------------------------------------- the model


@dataclass
class Report:
    """Everything the templates show, computed once."""

    title: str
    header: dict[str, Any]
    extractors: list[str]  # available ones, ranking order
    ranking: dict[str, Any]
    verdict: dict[str, Any] | None
    significance: dict[str, Any]
    speed: list[dict[str, Any]]
    charts: dict[str, Any]
    worst: list[dict[str, Any]]
    outcomes: dict[str, Any]
    chrome: dict[str, Any]
    page_index: list[dict[str, Any]]
    inline_pages: list[PageView]
    chunks: list[Chunk]
    pages_dir_name: str
    report_name: str
    splits: list[dict[str, Any]]
    provenance: dict[str, Any]
    texts_missing: bool


def build_report(result: Any, html_path: Path) -> Report:
    """Compute every table, chart and page view of the report from a RunResult (fresh or stored)."""
    from benchmark.report.markdown import available

    meta, summary = result.meta, result.summary
    scores = score_records(result.scores)
    extractor_meta = meta.get("extractors", {}) or {}
    ranked = available(summary).sort_values("f1_mean", ascending=False, kind="mergesort")
    names = [str(n) for n in ranked["extractor"]]
    baseline = {n: extractor_meta.get(n, {}).get("kind") in sections.BASELINE_KINDS or n in {"gold", "full-text"}
                for n in names}

    # 1-2. ranking, significance, trade-offs
    ranking = sections.ranking(summary, ranked, extractor_meta, baseline)
    chart_list = sections.charts(ranked, baseline)
    speed = sections.speed(ranked, extractor_meta)
    significance = sections.significance(result, names)
    verdict = sections.verdict(ranked, baseline, significance)

    # pages, their facts and where their cards live
    facts = page_facts(result.pages)
    all_ids = sorted(set(facts) | {pid for (_, pid) in scores})
    report_name = html_path.name
    pages_dir_name = f"{html_path.stem}-pages"
    views = page_views(all_ids, facts, pages_dir_name, inline=INLINE_PAGES, per_file=CHUNK_PAGES)

    # 3-4. failures and leaked chrome
    extraction_info = read_extractions(result.run_dir)
    texts_missing = extraction_info is None
    outputs = extraction_info or {}
    heatmap = sections.heatmap(scores, names, all_ids, facts)
    if heatmap is not None:
        chart_list["heatmap"] = heatmap
    worst = sections.worst_pages(scores, names, views)
    outcomes = sections.outcome_table(scores, names, outputs, views)
    chrome = sections.chrome_table(scores, views, names)

    # 5. per page: the first INLINE_PAGES in this file, the rest CHUNK_PAGES to a sibling file
    page_index = sections.page_index(views, names, scores)
    golds = read_golds(result.run_dir)
    rendered = views if len(views) <= INLINE_PAGES else views[:INLINE_PAGES]
    inline_pages = [fill_page(v, names, scores, outputs, golds) for v in rendered]
    chunks = []
    if len(views) > INLINE_PAGES:
        rest = views[INLINE_PAGES:]
        for start in range(0, len(rest), CHUNK_PAGES):
            part = rest[start:start + CHUNK_PAGES]
            chunks.append(Chunk(file_name=chunk_name(part[0].index, part[-1].index), first=part[0].index,
                                last=part[-1].index,
                                pages=[fill_page(v, names, scores, outputs, golds) for v in part]))

    # 6-7. splits and provenance
    splits = sections.splits(result, names)
    corpus = meta.get("corpus", {}) or {}
    header = {
        "corpus": corpus.get("name", "?"), "run_id": meta.get("run_id", ""), "status": meta.get("status"),
        "pages": corpus.get("pages", len(all_ids)), "digest": str(corpus.get("digest", "")),
        "extractors": len(names), "elapsed_s": meta.get("elapsed_s"), "seed": (meta.get("options") or {}).get("seed"),
        "started": meta.get("started"), "finished": meta.get("finished"),
        "n_boot": (meta.get("options") or {}).get("bootstrap_resamples"),
    }
    return Report(
        title=f"boilerbench results — {header['corpus']} corpus", header=header, extractors=names,
        ranking=ranking, verdict=verdict, significance=significance, speed=speed, charts=chart_list, worst=worst,
        outcomes=outcomes, chrome=chrome, page_index=page_index, inline_pages=inline_pages, chunks=chunks,
        pages_dir_name=pages_dir_name, report_name=report_name, splits=splits,
        provenance=sections.provenance(meta), texts_missing=texts_missing,
    )
