"""The report's structure section and per-page structure diff, for extractors that return Markdown or HTML.

The section answers which extractors keep headings, lists, tables and quotes
of the body they extract: per extractor the mean of each structure figure
(benchmark.score.structure) over the pages where it is defined, and two
plain counts a reader can check: on how many pages with a gold table the
output kept at least half of its cells ("keeps tables"), and on how many
pages with a gold list not one item came out as an item ("flattens lists").
Plain-text extractors are named apart: they have no structure to score.
"""

from __future__ import annotations

from typing import Any

#: the figures shown, in order: (scores.csv column, heading)
FIGURES = (("structure_f1", "structure_f1"), ("heading_precision", "heading P"), ("heading_recall", "heading R"),
           ("list_f1", "list-item F1"), ("table_f1", "table-cell F1"), ("quote_f1", "quote F1"),
           ("order", "order"))
#: a table counts as kept on a page when at least this share of its cells matched
TABLE_KEPT = 0.5
#: percentile bootstrap of structure_f1's mean over pages: resamples and seed (the run's default seed)
RESAMPLES = 1000
SEED = 20080406


def structure_rows(scores) -> list[dict[str, Any]]:
    """One row per extractor with any structure score, best structure_f1 first."""
    import pandas as pd

    if "structure_f1" not in scores.columns:
        return []
    scored = scores[pd.to_numeric(scores["structure_f1"], errors="coerce").notna()]
    rows = []
    for extractor, group in scored.groupby("extractor"):
        row: dict[str, Any] = {"extractor": extractor, "pages": int(len(group))}
        for column, _label in FIGURES:
            values = pd.to_numeric(group[column], errors="coerce").dropna()
            row[column] = float(values.mean()) if len(values) else None
        row["ci"] = _interval(pd.to_numeric(group["structure_f1"], errors="coerce").to_numpy())
        tables = pd.to_numeric(group["table_f1"], errors="coerce")
        lists = pd.to_numeric(group["list_f1"], errors="coerce")
        row["table_pages"] = int(tables.notna().sum())
        row["keeps_tables"] = int((tables >= TABLE_KEPT).sum())
        row["list_pages"] = int(lists.notna().sum())
        row["flattens_lists"] = int((lists == 0).sum())
        rows.append(row)
    return sorted(rows, key=lambda r: -(r["structure_f1"] if r["structure_f1"] is not None else -1))


def _interval(values) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean over pages (seeded: the same run, the same interval)."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    means = values[rng.integers(0, len(values), size=(RESAMPLES, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def plain_text_extractors(scores, structured: set[str]) -> list[str]:
    """Extractors that ran and whose output carries no structure (listed, never scored 0)."""
    ran = scores[scores["outcome"].map(str) != "unavailable"]
    return sorted(set(ran["extractor"]) - structured - {"gold"})


def structure_lines(scores) -> list[str]:
    """The report.md section: the structure table and who has none, or why there is none."""
    from benchmark.report.markdown import _table, fmt

    rows = structure_rows(scores)
    lines = ["## Structure (Markdown and HTML outputs)", ""]
    if not rows:
        return lines + ["No structure score in this run: either no extractor returns Markdown or HTML, or the "
                        "golds carry no structure marks (AEB, CleanEval and snippet sets have none).", ""]
    lines += ["Means over the pages where each figure is defined (DESIGN.md, *structure_f1*): headings matched "
              "by text, list items by their boundaries, table cells by row and column, quoted tokens, and the "
              "order of the gold's blocks in the output. *Keeps tables*: pages where at least half of the gold "
              "table's cells came out in place, of the pages with a gold table; *flattens lists*: pages where "
              "no gold list item came out as an item, of the pages with a gold list. Intervals: 95% "
              "percentile bootstrap over the pages; overlapping intervals are no ranking.", ""]
    header = ["extractor", "pages", "structure_f1 [95% CI]", *(label for _column, label in FIGURES[1:]),
              "keeps tables", "flattens lists"]
    body = [[r["extractor"], r["pages"], f"{fmt(r['structure_f1'])} [{fmt(r['ci'][0])}, {fmt(r['ci'][1])}]",
             *(fmt(r[column]) for column, _label in FIGURES[1:]),
             f"{r['keeps_tables']} of {r['table_pages']}", f"{r['flattens_lists']} of {r['list_pages']}"]
            for r in rows]
    lines += [*_table(header, body), ""]
    plain = plain_text_extractors(scores, {r["extractor"] for r in rows})
    if plain:
        lines += [f"Plain-text outputs, no structure to score: {', '.join(plain)}.", ""]
    return lines


def structure_section(scores) -> dict[str, Any]:
    """What report.html's structure section shows: the rows, the figures' labels and the plain-text extractors."""
    rows = structure_rows(scores)
    return {"rows": rows, "figures": FIGURES, "table_kept": TABLE_KEPT,
            "plain": plain_text_extractors(scores, {r["extractor"] for r in rows}) if rows else []}


def structure_diff(gold_marked: str | None, extraction: Any) -> list[dict[str, str]] | None:
    """The per-page structure diff of one output: each gold element and what became of it; None without one."""
    from benchmark.score.output_kinds import extraction_text, marked_output
    from benchmark.score.structure import element_statuses, gold_has_structure

    kind = getattr(extraction, "output", "text")
    if kind == "text" or not gold_has_structure(gold_marked) or str(extraction.outcome) != "ok":
        return None
    marked = marked_output(extraction.text or "", kind) or ""
    return [{"element": row.element, "text": row.text, "status": row.status}
            for row in element_statuses(gold_marked, marked, extraction_text(extraction))]
