"""report.html's sections, each computed from the run's `Analysis` and tables: ranking, charts, significance,
wins and losses, failures, leaked chrome, the page index and provenance.

Each function returns the plain values one section of the templates shows;
`html.build_report` calls them in the report's order.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Mapping

from benchmark.report.html_pages import PageView, cell_score, finite, num, tail

#: leaked strings listed in the chrome table (most frequent first), the first CHROME_OPEN of them open
TOP_CHROME = 100
CHROME_OPEN = 20
#: pages named per leaked string before "and N more"
CHROME_PAGES_LISTED = 40
#: error messages listed per (extractor, outcome) before "and N more"
FAILURES_LISTED = 30


def ranking(analysis: Any) -> dict[str, Any]:
    """The ranking table: columns shown on this dataset (with definitions), one row per available extractor."""
    from benchmark.report.ranking import baseline_notes, ranking_table

    columns, rows = ranking_table(analysis)
    top = set(analysis.top.members) if analysis.top is not None else set()
    return {"columns": columns,
            "rows": [{"name": n, "cells": cells, "baseline": analysis.baseline[n], "top": n in top}
                     for n, cells in zip(analysis.names, rows)],
            "unavailable": analysis.unavailable, "baseline_notes": baseline_notes(analysis)}


def charts(analysis: Any, scores) -> dict[str, Any]:
    """Per-page F1 distributions, precision against recall, quality against speed (baselines left out)."""
    from benchmark.report import charts as svg

    chart_list: dict[str, Any] = {"f1": None, "pr": None, "speed": None, "heatmap": None}
    recs = analysis.ranked.to_dict("records")
    if not recs:
        return chart_list
    colour = svg.palette(analysis.names, analysis.baseline)
    per_page: dict[str, list[float]] = defaultdict(list)
    for (name, _), rec in scores.items():
        if rec["outcome"] != "unavailable" and finite(rec.get("f1")):
            per_page[name].append(float(rec["f1"]))
    shown = [r for r in recs if str(r["extractor"]) != "gold"]
    chart_list["f1"] = svg.f1_distribution([(str(r["extractor"]), per_page.get(str(r["extractor"]), []),
                                             num(r["f1_mean"]), num(r["f1_ci_low"]), num(r["f1_ci_high"]),
                                             colour[str(r["extractor"])]) for r in shown])
    points = [r for r in shown if all(finite(r.get(k)) for k in ("precision_mean", "recall_mean"))]
    if points:
        chart_list["pr"] = svg.precision_recall([
            (str(r["extractor"]), float(r["precision_mean"]), num(r.get("precision_ci_low"), r["precision_mean"]),
             num(r.get("precision_ci_high"), r["precision_mean"]), float(r["recall_mean"]),
             num(r.get("recall_ci_low"), r["recall_mean"]), num(r.get("recall_ci_high"), r["recall_mean"]),
             colour[str(r["extractor"])]) for r in points])
    timed = [r for r in recs if not analysis.baseline[str(r["extractor"])]
             and finite(r.get("ms_median")) and finite(r.get("ms_p95"))]
    if timed:
        chart_list["speed"] = svg.quality_speed([(str(r["extractor"]), float(r["ms_median"]), float(r["ms_p95"]),
                                                  num(r["f1_mean"]), colour[str(r["extractor"])]) for r in timed])
    return chart_list


def heatmap(scores, names: list[str], page_ids: list[str], page_facts: Mapping[str, Mapping[str, Any]]) -> Any:
    """F1 per page and extractor, hardest pages first; None when there is nothing to draw."""
    if not (names and page_ids):
        return None
    import math

    import numpy as np

    from benchmark.report import charts as svg

    difficulty = {pid: num(page_facts.get(pid, {}).get("difficulty"), default=float("nan")) for pid in page_ids}
    by_difficulty = sorted(page_ids, key=lambda p: (math.isnan(difficulty[p]), difficulty[p], p))
    matrix = np.array([[num(scores.get((n, p), {}).get("f1"), float("nan"))
                        if scores.get((n, p), {}).get("outcome") != "unavailable" else float("nan")
                        for n in names] for p in by_difficulty])
    return svg.f1_heatmap(matrix, by_difficulty, names)


def page_index(views: list[PageView], names: list[str], scores) -> list[dict[str, Any]]:
    """One row per page: its readable name, its link and each extractor's F1."""
    from benchmark.report.ranking import page_name

    return [{"view": v, "name": page_name(v.facts), "f1": [(cell_score(scores.get((n, v.page_id)))) for n in names]}
            for v in views]


def significance(analysis: Any) -> dict[str, Any]:
    """Upper triangle of the paired-bootstrap F1 differences (row minus column), ranking order."""
    names = analysis.names
    if len(names) < 2:
        return {"names": names, "columns": [], "rows": []}
    rows = []
    for i, a in enumerate(names[:-1]):
        row = []
        for j, b in enumerate(names[1:], start=1):
            c = analysis.pairs.get((a, b))
            if j <= i or c is None:
                row.append(None)
                continue
            row.append({"diff": c.diff, "low": c.ci_low, "high": c.ci_high, "pages": c.pages, "p": c.p_value,
                        "significant": c.significant,
                        "direction": ("better" if c.diff > 0 else "worse") if c.significant else "ns"})
        rows.append({"name": a, "cells": row})
    return {"names": names, "columns": names[1:], "rows": rows}


def wins(analysis: Any) -> dict[str, Any]:
    """The win / tie / loss matrix over pages, row against column."""
    names = analysis.wins["names"]
    rows = []
    for i, name in enumerate(names):
        cells = []
        for j in range(len(names)):
            cells.append(None if i == j else dict(zip(("w", "t", "l"), analysis.wins["counts"][i][j])))
        rows.append({"name": name, "cells": cells})
    return {"names": names, "rows": rows}


def worst_pages(scores, names: list[str], views: list[PageView]) -> list[dict[str, Any]]:
    from benchmark.report.markdown import WORST_PAGES
    from benchmark.report.ranking import page_name

    href = {v.page_id: v.href for v in views}
    names_of = {v.page_id: page_name(v.facts) for v in views}
    worst = []
    for name in names:
        if name == "gold":  # as in report.md: the scorer check has no worst pages
            continue
        recs = [r for (e, _), r in scores.items() if e == name and r["outcome"] != "unavailable"]
        recs.sort(key=lambda r: (num(r.get("f1")), r["page_id"]))
        worst.append({"name": name, "pages": [{"page_id": r["page_id"], "href": href.get(r["page_id"], ""),
                                               "label": names_of.get(r["page_id"], ""), "f1": r.get("f1"),
                                               "outcome": r["outcome"]} for r in recs[:WORST_PAGES]]})
    return worst


def outcome_table(scores, names: list[str], outputs, views: list[PageView]) -> dict[str, Any]:
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
                                         "stderr": tail(extraction.stderr) if extraction is not None else ""})
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


def chrome_table(scores, views: list[PageView], names: list[str]) -> dict[str, Any]:
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


def provenance(meta: Mapping[str, Any], run_dir) -> dict[str, Any]:
    """What was measured, on what, with what: enough to reproduce the run."""
    from benchmark.report.markdown import short_options
    from benchmark.report.reproduce import commands

    corpus = meta.get("corpus", {}) or {}
    options = meta.get("options", {}) or {}
    extractors = []
    for name, info in sorted((meta.get("extractors") or {}).items()):
        extractors.append({"name": name, "version": info.get("version"), "kind": info.get("kind"),
                           "input": info.get("input"), "available": info.get("available", True),
                           "options": json.dumps(info.get("options", {}), ensure_ascii=False, indent=1,
                                                 sort_keys=True),
                           "options_short": short_options(info.get("options", {})),
                           "digest": str(info.get("options_digest") or "")[:12], "import_ms": info.get("import_ms"),
                           "note": info.get("note", "")})
    found = commands(meta, run_dir)
    return {
        "run_id": meta.get("run_id"), "status": meta.get("status"), "schema": meta.get("schema_version"),
        "harness": meta.get("harness_version"), "corpus": corpus, "options": options,
        "lexicon": meta.get("lexicon_version"), "libraries": meta.get("libraries") or {},
        "environment": meta.get("environment") or {}, "started": meta.get("started"),
        "finished": meta.get("finished"), "elapsed_s": meta.get("elapsed_s"), "extractors": extractors,
        "outcomes": meta.get("outcomes") or {}, "run_command": found["run"], "report_command": found["report"],
    }
