"""report.html: one self-contained page that says which extractor to use, and why a page went wrong.

Sections, in this order: what the pages are, the top group and the picks;
the ranking with intervals, pairwise significance and wins/ties/losses;
per-page distributions, precision/recall and quality/speed; where each
extractor fails (heat map, worst pages, outcomes other than ok); leaked
chrome; every page with its card, scores and each output aligned against the
gold token by token; split tables; data files; provenance.

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
small and opens fast. Aligning outputs is the costly part of a render (about
3 ms per pair), so pages are aligned only where the report shows them: every
page of a run of up to `ALIGN_ALL_UP_TO` pages (or with ``all_pages``); in a
larger run, the `PICKED_PAGES` pages most worth reading (each extractor's
worst pages, then the pages where extractors disagree most), inline, while
the index links every other page to its raw outputs (outputs/<page>.json).
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
                                         read_golds, read_marked_golds)
from benchmark.report.structure import structure_section

#: pages whose diffs are inline in the main report; the rest go to sibling files
INLINE_PAGES = 100
#: pages per sibling file
CHUNK_PAGES = 100
#: runs up to this many pages get an aligned view of every page; larger ones of PICKED_PAGES (or all on request)
ALIGN_ALL_UP_TO = 300
PICKED_PAGES = 40
_CHUNK_RE = re.compile(r"pages-\d{4}-\d{4}\.html")


def render_html(result: Any, html_path: Path, analysis: Any = None, *, all_pages: bool = False) -> list[Path]:
    """Write report.html (and its sibling page files for large runs); return every path written."""
    from benchmark.results import atomic_write_text

    html_path = Path(html_path)
    if analysis is None:
        from benchmark.report.analysis import analyze
        from benchmark.report.outputs import read_outputs

        shown = pages_to_parse(result, all_pages=all_pages)
        analysis = analyze(result, read_outputs(result.run_dir, shown, keep_lines=False))
    report = build_report(result, html_path, analysis, all_pages=all_pages)
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


def aligns_every_page(n_pages: int, all_pages: bool) -> bool:
    return all_pages or n_pages <= ALIGN_ALL_UP_TO


def _page_ids(result: Any) -> list[str]:
    ids = set(map(str, result.scores["page_id"])) if len(result.scores) else set()
    if result.pages is not None and not result.pages.empty:
        ids |= set(map(str, result.pages["page_id"]))
    return sorted(ids)


def picked_pages(result: Any, count: int = PICKED_PAGES) -> list[str]:
    """The pages most worth reading in a large run: each extractor's worst, then the widest disagreement."""
    frame = result.scores[result.scores["outcome"].map(str) != "unavailable"]
    frame = frame[~frame["extractor"].map(str).isin(["gold"])]
    if frame.empty:
        return []
    picked: dict[str, None] = {}
    ranked = frame.sort_values(["f1", "page_id"], kind="mergesort")
    per_extractor = max(1, count // (2 * max(1, frame["extractor"].nunique())))
    for _, group in ranked.groupby("extractor", sort=True):
        for page_id in group["page_id"].head(per_extractor):
            picked.setdefault(str(page_id), None)
    spread = frame.groupby("page_id")["f1"].agg(lambda v: v.max() - v.min()).sort_values(ascending=False,
                                                                                         kind="mergesort")
    for page_id in spread.index:
        if len(picked) >= count:
            break
        picked.setdefault(str(page_id), None)
    return sorted(picked)[:count]


def pages_to_parse(result: Any, *, all_pages: bool = False) -> set[str] | None:
    """Pages whose outputs the report shows (None: all of them), plus every page with a failed pair (its message)."""
    ids = _page_ids(result)
    failing = set(map(str, result.scores.loc[~result.scores["outcome"].map(str).isin(["ok", "unavailable"]),
                                             "page_id"]))
    if aligns_every_page(len(ids), all_pages):
        return None
    return set(picked_pages(result)) | failing


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
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=_bytecode_cache())
    env.filters["fmt"] = fmt
    env.filters["f1class"] = f1_class
    env.filters["leakclass"] = leak_class
    env.filters["signed"] = lambda v: "–" if v is None or v != v else f"{v:+.3f}"
    env.filters["short_id"] = short_id
    return env


def _bytecode_cache():
    """Compiled templates kept in the user cache dir (compiling them costs about half a second per render)."""
    from jinja2 import FileSystemBytecodeCache
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("boilerbench", appauthor=False)) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


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


def short_id(page_id: Any, keep: int = 16) -> str:
    """A long (hashed) page id cut to its start; the whole id is in the title attribute beside it."""
    text = str(page_id)
    return text if len(text) <= keep + 2 else text[:keep] + "…"


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
    about: list[Any]  # verdict_text sentences: what the pages are
    verdict: list[Any]  # the top group, and the dataset's own metric beside token F1
    picks: list[Any]
    own_metric: dict[str, Any] | None
    ranking: dict[str, Any]
    significance: dict[str, Any]
    wins: dict[str, Any]
    speed: list[dict[str, Any]]
    timing_note: str
    charts: dict[str, Any]
    worst: list[dict[str, Any]]
    outcomes: dict[str, Any]
    chrome: dict[str, Any]
    page_index: list[dict[str, Any]]
    inline_pages: list[PageView]
    chunks: list[Chunk]
    pages_dir_name: str
    report_name: str
    splits: list[Any]
    provenance: dict[str, Any]
    texts_missing: bool
    every_page_aligned: bool
    picked: int
    outputs_dir: str
    structure: dict[str, Any]


def build_report(result: Any, html_path: Path, analysis: Any, *, all_pages: bool = False) -> Report:
    """Compute every table, chart and page view of the report from a RunResult and its Analysis."""
    from benchmark.report import verdict_text
    from benchmark.report.outputs import OUTPUTS_DIR, output_file_name
    from benchmark.report.ranking import speed_rows, timing_note

    meta = result.meta
    scores = analysis.records
    names = analysis.names
    ranking = sections.ranking(analysis)
    chart_list = sections.charts(analysis, scores)

    # pages, their facts and where their cards live
    facts = page_facts(result.pages)
    all_ids = sorted(set(facts) | {pid for (_, pid) in scores})
    report_name = html_path.name
    pages_dir_name = f"{html_path.stem}-pages"
    every = aligns_every_page(len(all_ids), all_pages)
    outputs = analysis.outputs
    outputs_href = {pid: f"{OUTPUTS_DIR}/{output_file_name(pid)}" for pid in all_ids} \
        if outputs is not None and outputs.present else {}
    if every:
        views = page_views(all_ids, facts, pages_dir_name, inline=INLINE_PAGES, per_file=CHUNK_PAGES)
        rendered, rest = (views, []) if len(views) <= INLINE_PAGES else (views[:INLINE_PAGES], views[INLINE_PAGES:])
    else:
        picked = set(picked_pages(result))
        views = page_views(all_ids, facts, pages_dir_name, inline=len(all_ids), per_file=CHUNK_PAGES)
        for view in views:
            if view.page_id not in picked:
                view.href = outputs_href.get(view.page_id, "")
        rendered, rest = [v for v in views if v.page_id in picked], []
    for view in views:
        view.facts["outputs_href"] = outputs_href.get(view.page_id, "")

    # failures and leaked chrome
    by_page = outputs.by_page if outputs is not None else {}
    heatmap = sections.heatmap(scores, names, all_ids, facts)
    if heatmap is not None:
        chart_list["heatmap"] = heatmap
    worst = sections.worst_pages(scores, names, views)
    outcomes = sections.outcome_table(scores, names, by_page, views)
    chrome = sections.chrome_table(scores, views, names)

    # per page: aligned only where shown
    page_index = sections.page_index(views, names, scores)
    golds, marked = read_golds(result.run_dir), read_marked_golds(result.run_dir)
    inline_pages = [fill_page(v, names, scores, by_page, golds, marked) for v in rendered]
    chunks = []
    for start in range(0, len(rest), CHUNK_PAGES):
        part = rest[start:start + CHUNK_PAGES]
        chunks.append(Chunk(file_name=chunk_name(part[0].index, part[-1].index), first=part[0].index,
                            last=part[-1].index, pages=[fill_page(v, names, scores, by_page, golds, marked) for v in part]))

    corpus = meta.get("corpus", {}) or {}
    header = {
        "corpus": corpus.get("name", "?"), "run_id": meta.get("run_id", ""), "status": meta.get("status"),
        "pages": corpus.get("pages", len(all_ids)), "digest": str(corpus.get("digest", "")),
        "extractors": len(names), "elapsed_s": meta.get("elapsed_s"), "seed": analysis.seed,
        "started": meta.get("started"), "finished": meta.get("finished"), "n_boot": analysis.n_boot,
    }
    return Report(
        title=f"boilerbench results — {analysis.provenance['title']}", header=header, extractors=names,
        about=verdict_text.provenance_sentences(analysis), verdict=verdict_text.verdict_sentences(analysis),
        picks=verdict_text.pick_sentences(analysis), own_metric=analysis.own_metric, ranking=ranking,
        significance=sections.significance(analysis), wins=sections.wins(analysis),
        speed=speed_rows(analysis), timing_note=timing_note(analysis), charts=chart_list, worst=worst,
        outcomes=outcomes, chrome=chrome, page_index=page_index, inline_pages=inline_pages, chunks=chunks,
        pages_dir_name=pages_dir_name, report_name=report_name, splits=analysis.splits,
        provenance=sections.provenance(meta, result.run_dir), texts_missing=outputs is None or not outputs.present,
        every_page_aligned=every, picked=len(rendered), outputs_dir=OUTPUTS_DIR if outputs_href else "",
        structure=structure_section(result.scores),
    )
