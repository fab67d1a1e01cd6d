"""The tables both reports share, as rows of display strings: ranking, speed, worst pages, wins/ties/losses.

Column definitions live here once, so report.md and report.html define
their columns alike; a column that is empty ("–") for every extractor on a
dataset (chrome leak and must-include on AEB, which lists no chrome) is left
out of both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:
        return "–"
    return f"{number:.{digits}f}"


@dataclass(frozen=True)
class Column:
    """One column of the ranking table: header, what it is, and how a summary row shows it."""

    key: str
    header: str
    definition: str
    cell: Callable[[Mapping[str, Any], Any], str]
    numeric: bool = True


def _ci(rec: Mapping[str, Any], stem: str) -> str:
    return f"{fmt(rec[f'{stem}_mean'])} [{fmt(rec.get(f'{stem}_ci_low'))}, {fmt(rec.get(f'{stem}_ci_high'))}]"


def _own(rec: Mapping[str, Any], analysis: Any) -> str:
    own = analysis.own_metric or {}
    value = own.get("values", {}).get(str(rec["extractor"]))
    if value is None:
        return "–"
    mean, low, high = value
    return f"{fmt(mean)} [{fmt(low)}, {fmt(high)}]" if low == low else fmt(mean)


COLUMNS = (
    Column("extractor", "extractor", "registry name", lambda r, a: str(r["extractor"]), numeric=False),
    Column("version", "version", "installed version, as recorded in run.json",
           lambda r, a: "" if r.get("version") is None or r.get("version") != r.get("version") else str(r["version"]),
           numeric=False),
    Column("pages", "pages", "pages scored (every outcome but unavailable)", lambda r, a: str(int(r["pages"]))),
    Column("f1", "F1 mean [95% CI]", "mean of per-page token F1 (a failed extraction scores 0), with the 95% "
           "percentile bootstrap interval over pages", lambda r, a: _ci(r, "f1")),
    Column("f1_median", "F1 median", "median of per-page token F1: half the pages score at least this",
           lambda r, a: fmt(r.get("f1_median"))),
    Column("own", "dataset metric", "the dataset's own metric (see below)", _own),
    Column("precision", "precision", "mean of per-page token precision: share of the output that is gold",
           lambda r, a: fmt(r.get("precision_mean"))),
    Column("recall", "recall", "mean of per-page token recall: share of the gold that was extracted",
           lambda r, a: fmt(r.get("recall_mean"))),
    Column("lcs_f1", "lcs_f1", "mean of per-page order-aware F1 (longest common token subsequence)",
           lambda r, a: fmt(r.get("lcs_f1_mean"))),
    Column("chrome_leak", "chrome leak", "mean share of a page's listed chrome strings found in the output "
           "(pages whose card lists chrome; lower is better)", lambda r, a: fmt(r.get("chrome_leak_rate"))),
    Column("must_include", "must-include", "mean share of a page's required passages found (pages that list them)",
           lambda r, a: fmt(r.get("must_include_rate"))),
    Column("ms_median", "ms median", "median milliseconds of one extractor call (import and warm-up excluded)",
           lambda r, a: fmt(r.get("ms_median"), 1)),
    Column("ms_p95", "ms p95", "95th percentile of the call time", lambda r, a: fmt(r.get("ms_p95"), 1)),
    Column("failures", "failures", "pages whose outcome was not ok (empty, error, timeout, crash)",
           lambda r, a: str(int(r["failures"]))),
)


def ranking_table(analysis: Any) -> tuple[list[Column], list[list[str]]]:
    """Columns with something to show, and one row of cells per available extractor, ranking order."""
    recs = analysis.ranked.to_dict("records")
    columns = []
    for column in COLUMNS:
        if column.key == "own":
            if analysis.own_metric is None:
                continue
            column = Column("own", f"{analysis.own_metric['label']} [95% CI]"
                            if analysis.own_metric["metric"] == "aeb" else analysis.own_metric["label"],
                            analysis.own_metric["definition"], _own)
        cells = [column.cell(r, analysis) for r in recs]
        if column.numeric and cells and all(c in ("–", "– [–, –]") for c in cells):
            continue  # nothing to show on this dataset (AEB lists no chrome, no must-include passages)
        columns.append(column)
    return columns, [[c.cell(r, analysis) for c in columns] for r in recs]


def baseline_notes(analysis: Any) -> list[str]:
    """One sentence per baseline that ran, and none for those that did not."""
    notes = []
    if "full-text" in analysis.names:
        notes.append("full-text returns all visible text: the recall ceiling and precision floor.")
    if "gold" in analysis.names:
        notes.append("gold returns the gold itself: a scorer check, its F1 must be 1.")
    return notes


def page_name(facts: Mapping[str, Any]) -> str:
    """A readable name for a page: its site's domain and its title, as far as the run knows them."""
    url = str(facts.get("url") or "")
    domain = (urlsplit(url).hostname or "").removeprefix("www.") if "://" in url else ""
    domain = domain or str(facts.get("site") or "")
    title = str(facts.get("title") or "")
    if title in ("", "nan"):
        return domain
    return f"{domain} — {title}" if domain else title


def worst_pages(analysis: Any, scores: Mapping[tuple[str, str], Mapping[str, Any]], count: int) -> dict[str, list]:
    """Per extractor (gold aside), its `count` lowest-F1 pages as (page_id, f1, outcome)."""
    found: dict[str, list] = {}
    by_extractor: dict[str, list] = {}
    for (name, _), rec in scores.items():
        if rec["outcome"] != "unavailable":
            by_extractor.setdefault(name, []).append(rec)
    for name in analysis.names:
        if name == "gold":
            continue
        recs = sorted(by_extractor.get(name, []), key=lambda r: (_num(r.get("f1")), r["page_id"]))
        found[name] = [(r["page_id"], r.get("f1"), r["outcome"]) for r in recs[:count]]
    return found


def _num(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if number != number else number


def speed_rows(analysis: Any) -> list[dict[str, Any]]:
    """Per extractor: call time median, p95, mean, pages per second, import time, peak memory, cached pairs."""
    extractor_meta = analysis.meta.get("extractors") or {}
    outputs = analysis.outputs
    rows = []
    for rec in analysis.ranked.to_dict("records"):
        name = str(rec["extractor"])
        mean = rec.get("ms_mean")
        cached = outputs.cached.get(name, 0) if outputs is not None and outputs.present else None
        rows.append({"name": name, "ms_median": rec.get("ms_median"), "ms_p95": rec.get("ms_p95"), "ms_mean": mean,
                     "pages_per_s": 1000.0 / mean if _num(mean) >= 0.01 else None,  # a baseline doing nothing
                     "import_ms": extractor_meta.get(name, {}).get("import_ms"),
                     "peak_rss_mb": extractor_meta.get(name, {}).get("peak_rss_mb"),
                     "cached": cached, "pairs": outputs.pairs.get(name, 0) if outputs is not None else None})
    return rows


def timing_note(analysis: Any) -> str:
    """Where the timings come from: how many were replayed from the cache, and the machine's load then."""
    rows = speed_rows(analysis)
    parts = []
    cached = sum(r["cached"] or 0 for r in rows)
    pairs = sum(r["pairs"] or 0 for r in rows)
    if analysis.outputs is None or not analysis.outputs.present:
        parts.append("Whether timings were replayed from the cache is not known (no extractions.jsonl).")
    elif cached:
        parts.append(f"{cached} of {pairs} pairs were replayed from the cache: their times are those of the run "
                     "that first extracted them, not of this one.")
    else:
        parts.append("Every pair was extracted in this run (none replayed from the cache).")
    load = analysis.meta.get("load") or {}
    cpus = (analysis.meta.get("environment") or {}).get("cpu_count")
    start, end = load.get("start"), load.get("end")
    if start or end:
        described = ", ".join(f"{label} {values[0]:.2f}" for label, values in (("at the start", start),
                                                                               ("at the end", end)) if values)
        busy = any(values and cpus and values[0] > float(cpus) for values in (start, end))
        parts.append(f"Machine load (1-minute average) {described} on {cpus} CPUs"
                     + ("; the machine was busy, so times are slower than on an idle one." if busy else "."))
    else:
        parts.append("The run did not record the machine's load.")
    jobs = (analysis.meta.get("options") or {}).get("jobs")
    if jobs:
        parts.append(f"{jobs} workers ran at once.")
    return " ".join(parts)


def win_rows(analysis: Any) -> tuple[list[str], list[list[str]]]:
    """The win/tie/loss matrix as 'W / T / L' cells, row against column."""
    names = analysis.wins["names"]
    rows = []
    for i, name in enumerate(names):
        cells = [name]
        for j in range(len(names)):
            if i == j:
                cells.append("")
            else:
                w, t, l = analysis.wins["counts"][i][j]
                cells.append(f"{w} / {t} / {l}")
        rows.append(cells)
    return names, rows


def is_finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
