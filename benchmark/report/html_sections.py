"""report.html's sections, each computed from the run's tables: ranking, charts, speed, significance, verdict,
failures, leaked chrome, split tables and provenance.

Each function returns the plain values one section of the templates shows;
`html.build_report` calls them in the report's order.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Mapping

from benchmark.report.html_pages import PageView, cell_score, finite, json_list, num, tail

#: leaked strings listed in the chrome table (most frequent first), the first CHROME_OPEN of them open
TOP_CHROME = 100
CHROME_OPEN = 20
#: pages named per leaked string before "and N more"
CHROME_PAGES_LISTED = 40
#: error messages listed per (extractor, outcome) before "and N more"
FAILURES_LISTED = 30
#: the split tables, as in report.md
SPLITS = (("language", "By language"), ("era", "By era"), ("charset_family", "By charset family"),
          ("layout", "By layout tag"), ("difficulty", "By difficulty (share of visible tokens that are gold)"))
BASELINE_KINDS = frozenset({"baseline", "full-text"})


def ranking(summary, ranked, extractor_meta: Mapping[str, Any], baseline: Mapping[str, bool]) -> dict[str, Any]:
    """The ranking table: one row per available extractor, best first; the unavailable ones as footnotes."""
    from benchmark.report.markdown import COMPARISON_HEADER, comparison_rows

    rows = []
    for cells, rec in zip(comparison_rows(summary), ranked.to_dict("records")):
        rows.append({"name": str(rec["extractor"]), "cells": cells, "baseline": baseline[str(rec["extractor"])],
                     "kind": extractor_meta.get(str(rec["extractor"]), {}).get("kind", "")})
    unavailable = []
    for rec in summary[~summary.index.isin(ranked.index)].to_dict("records"):
        note = extractor_meta.get(rec["extractor"], {}).get("note", "")
        unavailable.append({"name": str(rec["extractor"]), "note": note})
    return {"header": COMPARISON_HEADER, "rows": rows, "unavailable": unavailable}


def charts(ranked, baseline: Mapping[str, bool]) -> dict[str, Any]:
    """F1 bars, precision against recall, and quality against speed where calls were timed."""
    from benchmark.report import charts as svg

    chart_list: dict[str, Any] = {}
    recs = ranked.to_dict("records")
    if recs:
        chart_list["f1"] = svg.f1_bars([(r["extractor"], num(r["f1_mean"]), num(r["f1_ci_low"]),
                                         num(r["f1_ci_high"]), baseline[str(r["extractor"])]) for r in recs])
        chart_list["pr"] = svg.precision_recall([(r["extractor"], num(r["precision_mean"]),
                                                  num(r["recall_mean"]), baseline[str(r["extractor"])])
                                                 for r in recs])
        timed = [r for r in recs if finite(r.get("ms_median")) and finite(r.get("ms_p95"))]
        if timed:
            chart_list["speed"] = svg.f1_vs_ms([(r["extractor"], float(r["ms_median"]), float(r["ms_p95"]),
                                                 num(r["f1_mean"]), baseline[str(r["extractor"])])
                                                for r in timed])
    return chart_list


def speed(ranked, extractor_meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Milliseconds per call (median, p95, mean), pages per second, import time and peak memory."""
    return [{"name": str(r["extractor"]), "ms_median": r.get("ms_median"), "ms_p95": r.get("ms_p95"),
             "ms_mean": r.get("ms_mean"),
             "pages_per_s": 1000.0 / r["ms_mean"] if finite(r.get("ms_mean")) and r["ms_mean"] > 0 else None,
             "import_ms": extractor_meta.get(str(r["extractor"]), {}).get("import_ms"),
             "peak_rss_mb": extractor_meta.get(str(r["extractor"]), {}).get("peak_rss_mb")}
            for r in ranked.to_dict("records")]


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
    """One row per page: its link and each extractor's F1."""
    return [{"view": v, "f1": [(cell_score(scores.get((n, v.page_id)))) for n in names]} for v in views]


def significance(result: Any, names: list[str]) -> dict[str, Any]:
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
            row.append({"diff": num(rec["mean_diff"], float("nan")), "low": rec["ci_low"], "high": rec["ci_high"],
                        "pages": int(rec["pages"]), "significant": significant,
                        "direction": ("better" if rec["mean_diff"] > 0 else "worse") if significant else "ns"})
        rows.append({"name": a, "cells": row})
    return {"names": names, "columns": names[1:], "rows": rows}


def verdict(available, baseline: Mapping[str, bool], significance: Mapping[str, Any]) -> dict[str, Any] | None:
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


def worst_pages(scores, names: list[str], views: list[PageView]) -> list[dict[str, Any]]:
    from benchmark.report.markdown import WORST_PAGES

    href = {v.page_id: v.href for v in views}
    worst = []
    for name in names:
        if name == "gold":  # as in report.md: the scorer check has no worst pages
            continue
        recs = [r for (e, _), r in scores.items() if e == name and r["outcome"] != "unavailable"]
        recs.sort(key=lambda r: (num(r.get("f1")), r["page_id"]))
        worst.append({"name": name, "pages": [{"page_id": r["page_id"], "href": href.get(r["page_id"], ""),
                                               "f1": r.get("f1"), "outcome": r["outcome"]}
                                              for r in recs[:WORST_PAGES]]})
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


def splits(result: Any, names: list[str]) -> list[dict[str, Any]]:
    """Mean F1 per stratum and extractor for each split of report.md, with intervals for the tooltip."""
    from benchmark.stats.splits import split_summary

    pages = result.pages
    if pages is None or pages.empty:
        return []
    pages = pages.copy()
    if "layout" in pages.columns:
        pages["layout"] = pages["layout"].map(json_list)
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
                if rec is None or not rec.get("available", True) or not finite(rec.get("f1_mean")):
                    row.append(None)
                else:
                    row.append({"f1": rec["f1_mean"], "low": rec.get("f1_ci_low"), "high": rec.get("f1_ci_high"),
                                "pages": int(rec["pages"])})
            rows.append({"stratum": stratum, "pages": n_pages, "cells": row})
        splits.append({"by": by, "title": title, "rows": rows})
    return splits


def provenance(meta: Mapping[str, Any]) -> dict[str, Any]:
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
