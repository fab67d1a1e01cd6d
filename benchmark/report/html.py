"""report.html: one self-contained page that says which extractor to use, and why a page went wrong.

Sections, in this order (issue 5): ranking with intervals and pairwise
significance; precision/recall and quality/speed trade-offs; where each
extractor fails (heat map, worst pages, outcomes other than ok); leaked
chrome; every page with its card, scores and each output aligned against the
gold token by token; split tables; provenance.

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
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

#: pages whose diffs are inline in the main report; the rest go to sibling files
INLINE_PAGES = 100
#: pages per sibling file
CHUNK_PAGES = 100
#: leaked strings listed in the chrome table (most frequent first), the first CHROME_OPEN of them open
TOP_CHROME = 100
CHROME_OPEN = 20
#: pages named per leaked string before "and N more"
CHROME_PAGES_LISTED = 40
#: error messages listed per (extractor, outcome) before "and N more"
FAILURES_LISTED = 30
#: captured stdout/stderr shown per pair, in characters (the tail)
STREAM_TAIL = 2000
#: the split tables, as in report.md
SPLITS = (("language", "By language"), ("era", "By era"), ("charset_family", "By charset family"),
          ("layout", "By layout tag"), ("difficulty", "By difficulty (share of visible tokens that are gold)"))
BASELINE_KINDS = frozenset({"baseline", "full-text"})
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

    env = Environment(loader=PackageLoader("benchmark.report", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
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
class PageView:
    """One page: its facts, its scores per extractor, and (when rendered) each output aligned to the gold."""

    page_id: str
    anchor: str
    index: int
    facts: dict[str, Any]
    href: str = ""
    scores: list[dict[str, Any]] = field(default_factory=list)
    diffs: list[dict[str, Any]] = field(default_factory=list)
    gold: str | None = None


@dataclass
class Chunk:
    """A sibling file of page cards (large runs), or the inline part of the main report."""

    file_name: str
    first: int
    last: int
    pages: list[PageView]


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
    from benchmark.report import charts
    from benchmark.report.markdown import COMPARISON_HEADER, available, comparison_rows

    meta, summary = result.meta, result.summary
    scores = _score_records(result.scores)
    extractor_meta = meta.get("extractors", {}) or {}
    ranked = available(summary).sort_values("f1_mean", ascending=False, kind="mergesort")
    names = [str(n) for n in ranked["extractor"]]
    baseline = {n: extractor_meta.get(n, {}).get("kind") in BASELINE_KINDS or n in {"gold", "full-text"}
                for n in names}

    # 1. ranking
    rows = []
    for cells, rec in zip(comparison_rows(summary), ranked.to_dict("records")):
        rows.append({"name": str(rec["extractor"]), "cells": cells, "baseline": baseline[str(rec["extractor"])],
                     "kind": extractor_meta.get(str(rec["extractor"]), {}).get("kind", "")})
    unavailable = []
    for rec in summary[~summary.index.isin(ranked.index)].to_dict("records"):
        note = extractor_meta.get(rec["extractor"], {}).get("note", "")
        unavailable.append({"name": str(rec["extractor"]), "note": note})
    ranking = {"header": COMPARISON_HEADER, "rows": rows, "unavailable": unavailable}

    chart_list: dict[str, Any] = {}
    recs = ranked.to_dict("records")
    if recs:
        chart_list["f1"] = charts.f1_bars([(r["extractor"], _num(r["f1_mean"]), _num(r["f1_ci_low"]),
                                            _num(r["f1_ci_high"]), baseline[str(r["extractor"])]) for r in recs])
        chart_list["pr"] = charts.precision_recall([(r["extractor"], _num(r["precision_mean"]),
                                                     _num(r["recall_mean"]), baseline[str(r["extractor"])])
                                                    for r in recs])
        timed = [r for r in recs if _finite(r.get("ms_median")) and _finite(r.get("ms_p95"))]
        if timed:
            chart_list["speed"] = charts.f1_vs_ms([(r["extractor"], float(r["ms_median"]), float(r["ms_p95"]),
                                                    _num(r["f1_mean"]), baseline[str(r["extractor"])])
                                                   for r in timed])
    speed = [{"name": str(r["extractor"]), "ms_median": r.get("ms_median"), "ms_p95": r.get("ms_p95"),
              "ms_mean": r.get("ms_mean"),
              "pages_per_s": 1000.0 / r["ms_mean"] if _finite(r.get("ms_mean")) and r["ms_mean"] > 0 else None,
              "import_ms": extractor_meta.get(str(r["extractor"]), {}).get("import_ms"),
              "peak_rss_mb": extractor_meta.get(str(r["extractor"]), {}).get("peak_rss_mb")} for r in recs]

    significance = _significance(result, names)
    verdict = _verdict(ranked, baseline, significance)

    # pages, their facts and where their cards live
    page_facts = _page_facts(result.pages)
    all_ids = sorted(set(page_facts) | {pid for (_, pid) in scores})
    report_name = html_path.name
    pages_dir_name = f"{html_path.stem}-pages"
    views = _page_views(all_ids, page_facts, pages_dir_name)

    # 3. failures
    extraction_info = _read_extractions(result.run_dir)
    texts_missing = extraction_info is None
    outputs = extraction_info or {}
    difficulty = {pid: _num(page_facts.get(pid, {}).get("difficulty"), default=float("nan")) for pid in all_ids}
    by_difficulty = sorted(all_ids, key=lambda p: (math.isnan(difficulty[p]), difficulty[p], p))
    if names and all_ids:
        import numpy as np

        matrix = np.array([[_num(scores.get((n, p), {}).get("f1"), float("nan"))
                            if scores.get((n, p), {}).get("outcome") != "unavailable" else float("nan")
                            for n in names] for p in by_difficulty])
        chart_list["heatmap"] = charts.f1_heatmap(matrix, by_difficulty, names)
    worst = _worst_pages(scores, names, views)
    outcomes = _outcome_table(scores, names, outputs, views)
    chrome = _chrome_table(scores, views, names)

    # 5. per page
    page_index = [{"view": v, "f1": [(_cell_score(scores.get((n, v.page_id)))) for n in names]} for v in views]
    golds = _read_golds(result.run_dir)
    rendered = views if len(views) <= INLINE_PAGES else views[:INLINE_PAGES]
    inline_pages = [_fill_page(v, names, scores, outputs, golds) for v in rendered]
    chunks = []
    if len(views) > INLINE_PAGES:
        rest = views[INLINE_PAGES:]
        for start in range(0, len(rest), CHUNK_PAGES):
            part = rest[start:start + CHUNK_PAGES]
            chunks.append(Chunk(file_name=_chunk_name(part[0].index, part[-1].index), first=part[0].index,
                                last=part[-1].index,
                                pages=[_fill_page(v, names, scores, outputs, golds) for v in part]))

    splits = _splits(result, names)
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
        pages_dir_name=pages_dir_name, report_name=report_name, splits=splits, provenance=_provenance(meta),
        texts_missing=texts_missing,
    )


# --------------------------------------------------------------------------- helpers


def _num(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if number != number else number


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _json_list(value: Any) -> list[str]:
    """A scores.csv list cell (JSON array text, or already a list) as a list of strings."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            return []
    return []


def _score_records(frame) -> dict[tuple[str, str], dict[str, Any]]:
    """scores.csv rows keyed by (extractor, page_id), list cells parsed."""
    records = {}
    for rec in frame.to_dict("records"):
        rec = dict(rec)
        rec["extractor"], rec["page_id"], rec["outcome"] = str(rec["extractor"]), str(rec["page_id"]), \
            str(rec["outcome"])
        for column in ("chrome_leaked", "lexicon_leaked", "must_missing"):
            rec[column] = _json_list(rec.get(column))
        records[(rec["extractor"], rec["page_id"])] = rec
    return records


def _page_facts(pages) -> dict[str, dict[str, Any]]:
    facts = {}
    if pages is None or getattr(pages, "empty", True):
        return facts
    for rec in pages.to_dict("records"):
        rec = dict(rec)
        rec["layout"] = _json_list(rec.get("layout"))
        rec["page_id"] = str(rec["page_id"])
        url = str(rec.get("url") or "")
        rec["url"] = url
        rec["url_is_link"] = bool(re.match(r"https?://", url, re.I))
        facts[rec["page_id"]] = rec
    return facts


#: what a page without a pages.csv row shows
_NO_FACTS: dict[str, Any] = {"site": "", "language": "", "era": "", "published": "", "layout": [], "url": "",
                             "url_is_link": False}


def _anchor(page_id: str, used: set[str]) -> str:
    """A fragment-safe, unique element id for a page card."""
    slug = "page-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", page_id)[:120]
    anchor, n = slug, 2
    while anchor in used:
        anchor, n = f"{slug}-{n}", n + 1
    used.add(anchor)
    return anchor


def _chunk_name(first: int, last: int) -> str:
    return f"pages-{first:04d}-{last:04d}.html"


def _page_views(page_ids: list[str], facts: Mapping[str, dict[str, Any]], pages_dir_name: str) -> list[PageView]:
    """Every page in page-id order, with the link to its card (inline, or in its sibling file)."""
    used: set[str] = set()
    views = []
    for i, page_id in enumerate(page_ids, start=1):
        view = PageView(page_id=page_id, anchor=_anchor(page_id, used), index=i,
                        facts={**_NO_FACTS, "page_id": page_id, **facts.get(page_id, {})})
        if len(page_ids) <= INLINE_PAGES or i <= INLINE_PAGES:
            view.href = f"#{view.anchor}"
        else:
            first = INLINE_PAGES + 1 + ((i - INLINE_PAGES - 1) // CHUNK_PAGES) * CHUNK_PAGES
            last = min(first + CHUNK_PAGES - 1, len(page_ids))
            view.href = f"{pages_dir_name}/{_chunk_name(first, last)}#{view.anchor}"
        views.append(view)
    return views


def _cell_score(rec: Mapping[str, Any] | None) -> dict[str, Any]:
    if rec is None or rec.get("outcome") == "unavailable":
        return {"value": None, "outcome": rec.get("outcome") if rec else "missing"}
    return {"value": _num(rec.get("f1")), "outcome": rec.get("outcome")}


def _read_extractions(run_dir: Path) -> dict[str, dict[str, Any]] | None:
    """Each page's extractions by extractor (the last line wins), or None when the run kept no texts."""
    from benchmark.results import iter_extractions

    if not (Path(run_dir) / "extractions.jsonl").is_file():
        return None
    outputs: dict[str, dict[str, Any]] = defaultdict(dict)
    for extraction in iter_extractions(Path(run_dir)):
        outputs[extraction.page_id][extraction.extractor] = extraction
    return outputs


def _read_golds(run_dir: Path) -> dict[str, str | None]:
    """Gold texts by page; a run without them still renders, with its diffs left out."""
    from benchmark.results import ResultsError, read_golds

    try:
        return {page_id: gold.text for page_id, gold in read_golds(run_dir).items()}
    except ResultsError:
        return {}


def _tail(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= STREAM_TAIL else "…" + text[-STREAM_TAIL:]


def _fill_page(view: PageView, names: list[str], scores, outputs, golds) -> PageView:
    """Attach scores and the aligned outputs to a page view (only for pages that are rendered)."""
    from benchmark.score.alignment import align, token_spans

    gold = golds.get(view.page_id)
    gold_spans = token_spans(gold) if gold is not None else None
    view.gold = gold
    view.scores = []
    view.diffs = []
    for name in names:
        rec = scores.get((name, view.page_id))
        if rec is None:
            continue
        view.scores.append({**rec, "leaked": [*rec["chrome_leaked"],
                                              *(t for t in rec["lexicon_leaked"] if t not in rec["chrome_leaked"])]})
        extraction = outputs.get(view.page_id, {}).get(name)
        diff: dict[str, Any] = {"name": name, "outcome": rec["outcome"], "f1": rec.get("f1"), "alignment": None,
                                "error": "", "stdout": "", "stderr": "", "text_missing": extraction is None}
        if extraction is not None:
            diff.update(error=extraction.error, stdout=_tail(extraction.stdout), stderr=_tail(extraction.stderr))
            if str(extraction.outcome) in ("ok", "empty") and gold is not None:
                diff["alignment"] = align(gold, extraction.text or "", gold_spans=gold_spans)
            elif str(extraction.outcome) in ("ok", "empty"):
                diff["output"] = extraction.text
        view.diffs.append(diff)
    return view


def _significance(result: Any, names: list[str]) -> dict[str, Any]:
    """Upper triangle of the paired-bootstrap F1 differences (row minus column), ranking order."""
    from benchmark.stats.paired import paired_differences

    options = result.meta.get("options", {}) or {}
    table = paired_differences(result.scores, seed=options.get("seed", 0),
                               n_boot=int(options.get("bootstrap_resamples", 1000)))
    if table.empty or len(names) < 2:
        return {"names": names, "rows": []}
    cells = {(str(r["a"]), str(r["b"])): r for r in table.to_dict("records")}
    rows = []
    for i, a in enumerate(names[:-1]):
        row = []
        for j, b in enumerate(names[1:], start=1):
            rec = cells.get((a, b))
            if j <= i or rec is None:
                row.append(None)
                continue
            significant = bool(rec["significant"])
            row.append({"diff": _num(rec["mean_diff"], float("nan")), "low": rec["ci_low"], "high": rec["ci_high"],
                        "pages": int(rec["pages"]), "significant": significant,
                        "direction": ("better" if rec["mean_diff"] > 0 else "worse") if significant else "ns"})
        rows.append({"name": a, "cells": row})
    return {"names": names, "columns": names[1:], "rows": rows}


def _verdict(available, baseline: Mapping[str, bool], significance: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who wins among the article extractors, by how much over the runner-up, and whether that is significant."""
    recs = [r for r in available.to_dict("records") if not baseline.get(str(r["extractor"]))]
    if not recs:
        return None
    best = recs[0]
    verdict: dict[str, Any] = {"best": str(best["extractor"]), "f1": best["f1_mean"], "low": best["f1_ci_low"],
                               "high": best["f1_ci_high"], "second": None}
    if len(recs) > 1:
        second = str(recs[1]["extractor"])
        for row in significance.get("rows", []):
            if row["name"] != verdict["best"]:
                continue
            for column, cell in zip(significance["columns"], row["cells"]):
                if column == second and cell is not None:
                    verdict["second"] = {"name": second, **cell}
    return verdict


def _worst_pages(scores, names: list[str], views: list[PageView]) -> list[dict[str, Any]]:
    from benchmark.report.markdown import WORST_PAGES

    href = {v.page_id: v.href for v in views}
    worst = []
    for name in names:
        if name == "gold":  # as in report.md: the scorer check has no worst pages
            continue
        recs = [r for (e, _), r in scores.items() if e == name and r["outcome"] != "unavailable"]
        recs.sort(key=lambda r: (_num(r.get("f1")), r["page_id"]))
        worst.append({"name": name, "pages": [{"page_id": r["page_id"], "href": href.get(r["page_id"], ""),
                                               "f1": r.get("f1"), "outcome": r["outcome"]}
                                              for r in recs[:WORST_PAGES]]})
    return worst


def _outcome_table(scores, names: list[str], outputs, views: list[PageView]) -> dict[str, Any]:
    """Counts of every outcome other than ok per extractor, with each failing pair's message."""
    from benchmark.stats.summary import OUTCOMES

    href = {v.page_id: v.href for v in views}
    kinds = [o for o in OUTCOMES if o != "ok"]
    counts: dict[str, Counter] = defaultdict(Counter)
    details: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for (name, page_id), rec in sorted(scores.items()):
        outcome = rec["outcome"]
        if outcome == "ok":
            continue
        counts[name][outcome] += 1
        extraction = outputs.get(page_id, {}).get(name)
        details[(name, outcome)].append({"page_id": page_id, "href": href.get(page_id, ""),
                                         "error": extraction.error if extraction is not None else "",
                                         "stderr": _tail(extraction.stderr) if extraction is not None else ""})
    all_names = names + sorted(n for n in counts if n not in names)
    rows = []
    for name in all_names:
        if not counts.get(name):
            continue
        rows.append({"name": name, "counts": [counts[name].get(k, 0) for k in kinds],
                     "groups": [{"outcome": k, "total": len(details[(name, k)]),
                                 "pairs": details[(name, k)][:FAILURES_LISTED]}
                                for k in kinds if details.get((name, k))]})
    return {"kinds": kinds, "rows": rows}


def _chrome_table(scores, views: list[PageView], names: list[str]) -> dict[str, Any]:
    """Leaked strings, most (extractor, page) pairs first, with who leaked them on which pages."""
    href = {v.page_id: v.href for v in views}
    pairs: Counter = Counter()
    sources: dict[str, set[str]] = defaultdict(set)
    by_extractor: dict[str, Counter] = defaultdict(Counter)
    pages: dict[str, set[str]] = defaultdict(set)
    for (name, page_id), rec in scores.items():
        for source, column in (("card", "chrome_leaked"), ("lexicon", "lexicon_leaked")):
            for text in rec[column]:
                sources[text].add(source)
        for text in dict.fromkeys([*rec["chrome_leaked"], *rec["lexicon_leaked"]]):
            pairs[text] += 1
            by_extractor[text][name] += 1
            pages[text].add(page_id)
    ordered = sorted(pairs, key=lambda t: (-pairs[t], -len(pages[t]), t))
    rows = []
    for text in ordered[:TOP_CHROME]:
        page_list = sorted(pages[text])
        rows.append({"text": text, "sources": sorted(sources[text]), "pairs": pairs[text],
                     "counts": [by_extractor[text].get(name, 0) for name in names], "n_pages": len(page_list),
                     "pages": [{"page_id": p, "href": href.get(p, "")} for p in page_list[:CHROME_PAGES_LISTED]]})
    return {"rows": rows[:CHROME_OPEN], "folded": rows[CHROME_OPEN:], "more": max(0, len(ordered) - TOP_CHROME),
            "total": len(ordered), "max": max((max(r["counts"], default=0) for r in rows), default=0)}


def _splits(result: Any, names: list[str]) -> list[dict[str, Any]]:
    """Mean F1 per stratum and extractor for each split of report.md, with intervals for the tooltip."""
    from benchmark.stats.splits import split_summary

    pages = result.pages
    if pages is None or pages.empty:
        return []
    pages = pages.copy()
    if "layout" in pages.columns:
        pages["layout"] = pages["layout"].map(_json_list)
    options = result.meta.get("options", {}) or {}
    seed = options.get("seed", 0)
    n_boot = min(200, int(options.get("bootstrap_resamples", 200)))  # as report.md: strata are small
    splits = []
    for by, title in SPLITS:
        if by not in pages.columns:
            continue
        table = split_summary(result.scores, pages, by, seed=seed, n_boot=n_boot)
        if table.empty:
            continue
        cells: dict[tuple[str, str], dict[str, Any]] = {}
        strata: dict[str, int] = {}
        for rec in table.to_dict("records"):
            stratum = str(rec[by])
            strata[stratum] = max(strata.get(stratum, 0), int(rec.get("stratum_pages", rec["pages"])))
            cells[(stratum, str(rec["extractor"]))] = rec
        rows = []
        for stratum, n_pages in strata.items():
            row = []
            for name in names:
                rec = cells.get((stratum, name))
                if rec is None or not rec.get("available", True) or not _finite(rec.get("f1_mean")):
                    row.append(None)
                else:
                    row.append({"f1": rec["f1_mean"], "low": rec.get("f1_ci_low"), "high": rec.get("f1_ci_high"),
                                "pages": int(rec["pages"])})
            rows.append({"stratum": stratum, "pages": n_pages, "cells": row})
        splits.append({"by": by, "title": title, "rows": rows})
    return splits


def _provenance(meta: Mapping[str, Any]) -> dict[str, Any]:
    """What was measured, on what, with what: enough to reproduce the run."""
    corpus = meta.get("corpus", {}) or {}
    options = meta.get("options", {}) or {}
    extractors = []
    for name, info in sorted((meta.get("extractors") or {}).items()):
        extractors.append({"name": name, "version": info.get("version"), "kind": info.get("kind"),
                           "input": info.get("input"), "available": info.get("available", True),
                           "options": json.dumps(info.get("options", {}), ensure_ascii=False, indent=1,
                                                 sort_keys=True),
                           "options_short": _short_options(info.get("options", {})),
                           "digest": str(info.get("options_digest") or "")[:12], "import_ms": info.get("import_ms"),
                           "note": info.get("note", "")})
    requested = meta.get("extractors_requested") or sorted(meta.get("extractors") or {})
    command = ["boilerbench", "run"]
    if corpus.get("name") not in (None, "bundled"):
        command += ["--corpus", str(corpus.get("root", "CORPUS"))]
    command += ["--extractors", ",".join(requested)]
    if options.get("seed") is not None:
        command += ["--seed", str(options["seed"])]
    if options.get("timeout_s") is not None:
        command += ["--timeout", f"{options['timeout_s']:g}"]
    if options.get("jobs") is not None:
        command += ["--jobs", str(options["jobs"])]
    if options.get("memory_mb"):
        command += ["--memory-mb", str(options["memory_mb"])]
    return {
        "run_id": meta.get("run_id"), "status": meta.get("status"), "schema": meta.get("schema_version"),
        "harness": meta.get("harness_version"), "corpus": corpus, "options": options,
        "lexicon": meta.get("lexicon_version"), "libraries": meta.get("libraries") or {},
        "environment": meta.get("environment") or {}, "started": meta.get("started"),
        "finished": meta.get("finished"), "elapsed_s": meta.get("elapsed_s"), "extractors": extractors,
        "outcomes": meta.get("outcomes") or {},
        "run_command": " ".join(_shell_quote(c) for c in command),
        "report_command": f"boilerbench report results/{meta.get('run_id')}",
    }


def _short_options(options: Any) -> str:
    """One line of options; long values (language tables) abbreviated, the full JSON is in a details box."""
    if not isinstance(options, Mapping) or not options:
        return "{}"
    parts = []
    for key, value in options.items():
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > 40:
            text = f"{type(value).__name__}[{len(value)}]" if isinstance(value, (dict, list)) else text[:37] + "…"
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)

