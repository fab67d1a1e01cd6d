"""report.md: the comparison a reader sees on GitHub without running anything.

Order follows DESIGN.md: what the pages are; who is tied at the top and the
picks for common needs; the ranking with its columns defined; whether the
differences are significant and how pages split into wins, ties and losses;
where each extractor fails; which chrome leaks through whom (pages); speed;
splits; the data files; what exactly was measured and how to reproduce it.
Every figure comes from one `analysis.Analysis`, shared with report.html.

`COMPARISON_HEADER` and `comparison_rows` are the terminal's table.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.report.ranking import fmt
from benchmark.report.structure import structure_lines

__all__ = ["fmt", "escape_md", "available", "comparison_rows", "COMPARISON_HEADER", "render_markdown"]

#: how many worst pages to list per extractor
WORST_PAGES = 5
#: how many leaked strings to list per extractor
TOP_LEAKS = 8
#: an option value longer than this is shown as its size, the whole map in a collapsed block
SHORT_OPTION = 40


def escape_md(text: Any) -> str:
    """Text that Markdown shows as written: markup-like characters from data made inert."""
    value = str(text).replace("\\", "\\\\")
    for char in "*_<>":
        value = value.replace(char, "\\" + char)
    return value


def _cell(text: Any) -> str:
    """Escape a value for a Markdown table cell (page text can hold pipes and markup)."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return value.replace("<", "&lt;").replace(">", "&gt;")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def available(summary) -> Any:
    from benchmark.report.analysis import available as available_rows

    return available_rows(summary)


def comparison_rows(summary) -> list[list[Any]]:
    """The ranking table rows, sorted by mean F1."""
    rows = []
    for rec in available(summary).sort_values("f1_mean", ascending=False).to_dict("records"):
        rows.append([
            rec["extractor"], rec.get("version", ""), int(rec["pages"]),
            f"{fmt(rec['f1_mean'])} [{fmt(rec['f1_ci_low'])}, {fmt(rec['f1_ci_high'])}]",
            fmt(rec["precision_mean"]), fmt(rec["recall_mean"]), fmt(rec["lcs_f1_mean"]),
            fmt(rec["chrome_leak_rate"]), fmt(rec["must_include_rate"]),
            fmt(rec["ms_median"], 1), fmt(rec["ms_p95"], 1), int(rec["failures"]),
        ])
    return rows


COMPARISON_HEADER = ["extractor", "version", "pages", "F1 mean [95% CI]", "precision", "recall", "lcs_f1",
                     "chrome leak", "must-include", "ms median", "ms p95", "failures"]




def render_markdown(result, analysis=None) -> str:
    """The whole report.md for one run (`analysis` as computed for report.html, or computed here)."""
    from benchmark.report import ranking, verdict_text
    from benchmark.report.analysis import analyze
    from benchmark.report.html_pages import page_facts

    analysis = analysis or analyze(result)
    meta = result.meta
    facts = page_facts(result.pages)
    scores = analysis.records
    prov = analysis.provenance
    lines = [f"# boilerbench results — {escape_md(prov['title'])}", ""]
    if meta.get("status") != "complete":
        lines += [f"> **This run is {meta.get('status')}**: the tables cover only the pairs that finished.", ""]
    lines += ["## What the pages are", ""]
    lines += [verdict_text.as_markdown(s) + "\n" for s in verdict_text.provenance_sentences(analysis)]
    lines += ["## Verdict", ""]
    lines += [verdict_text.as_markdown(s) + "\n" for s in verdict_text.verdict_sentences(analysis)]
    picks = verdict_text.pick_sentences(analysis)
    if picks:
        lines += ["Picks for common needs (the best on those pages, and who is not significantly behind it):", ""]
        lines += [f"- {verdict_text.as_markdown(s)}" for s in picks] + [""]

    columns, rows = ranking.ranking_table(analysis)
    lines += ["## Ranking", "", f"Run `{meta.get('run_id')}`, best mean F1 first. Intervals: 95% percentile "
              f"bootstrap over pages ({analysis.n_boot} resamples, seed {analysis.seed}).", ""]
    lines += [*_table([c.header for c in columns], rows), ""]
    lines += ["Columns:", ""] + [f"- **{c.header}**: {c.definition}." for c in columns] + [""]
    for item in analysis.unavailable:
        lines.append(f"- *{item['name']}*: not installed, not scored. {item['note']}".rstrip())
    notes = ranking.baseline_notes(analysis)
    if notes or analysis.unavailable:
        lines += [f"- Baseline {n}" for n in notes] + [""]

    lines += _significance(analysis)
    lines += _failures(result.scores, analysis, scores, facts)
    lines += _leaked(analysis)
    lines += structure_lines(result.scores)
    lines += ["## Speed", "", ranking.timing_note(analysis), ""]
    lines += [*_table(["extractor", "ms median", "ms p95", "pages / s", "import + warm-up ms", "cached pairs"],
                      [[r["name"], fmt(r["ms_median"], 1), fmt(r["ms_p95"], 1), fmt(r["pages_per_s"], 1),
                        fmt(r["import_ms"], 0), "–" if r["cached"] is None else f"{r['cached']} of {r['pairs']}"]
                       for r in ranking.speed_rows(analysis)]), ""]
    lines += _splits(analysis)
    lines += ["## Data", "", "Everything above comes from these files in the run folder: "
              "[summary.csv](summary.csv) (one row per extractor), [scores.csv](scores.csv) (one row per extractor "
              "and page), [extractions.jsonl](extractions.jsonl) (every output as returned), [pages.csv](pages.csv) "
              "(page facts), [table.tex](table.tex) (the summary for a paper, booktabs) and "
              "[outputs/](outputs/) (each page's gold, then its outputs as stored: one JSON-lines file per page).", ""]
    lines += _provenance(meta, result.run_dir)
    return "\n".join(lines).rstrip() + "\n"


def _significance(analysis) -> list[str]:
    from benchmark.report import ranking

    order = analysis.names
    rows = []
    for a, b in zip(order, order[1:]):
        c = analysis.pairs.get((a, b))
        if c is not None:
            rows.append([f"{a} − {b}", f"{c.diff:+.3f}", f"[{c.ci_low:+.3f}, {c.ci_high:+.3f}]", f"{c.p_value:.3f}",
                         "yes" if c.significant else "not significant"])
    if not rows:
        return []
    names, wins = ranking.win_rows(analysis)
    return ["## Is the difference significant?", "",
            "Paired bootstrap of the F1 difference between neighbours in the ranking, over the same resampled "
            "pages (uncorrected; the verdict's top group corrects for its comparisons). The full pairwise table "
            "is in the HTML report.", "",
            *_table(["pair", "F1 difference", "95% CI", "p", "significant"], rows), "",
            "### Wins, ties and losses over pages", "",
            "Row against column: pages where the row's F1 is higher by more than 0.01 / within 0.01 (a tie) / "
            "lower by more than 0.01.", "",
            *_table(["", *names], wins), ""]


def _failures(frame, analysis, scores, facts) -> list[str]:
    from benchmark.report.ranking import page_name, worst_pages

    lines = ["## Outcomes other than ok", ""]
    failures = frame[frame["outcome"].map(str) != "ok"]
    if failures.empty:
        lines += ["Every pair ended `ok`.", ""]
    else:
        counts = failures.groupby(["extractor", "outcome"]).size().reset_index(name="pairs")
        lines += [*_table(["extractor", "outcome", "pairs"], counts.values.tolist()), ""]
    lines += ["## Worst pages", ""]
    for name, pages in worst_pages(analysis, scores, WORST_PAGES).items():
        items = ", ".join(f"`{p}` ({escape_md(page_name(facts.get(p, {})) or '?')}) {fmt(f1)} ({outcome})"
                          for p, f1, outcome in pages)
        lines.append(f"- **{name}**: {items}")
    return lines + [""]


def _leaked(analysis) -> list[str]:
    rows = [[name, ", ".join(f"{_cell(t)} ({n})" for t, n in analysis.leaks[name].most_common(TOP_LEAKS))
             or "none"] for name in analysis.names]
    return ["## Leaked chrome", "", "Card chrome strings and lexicon phrases found in the output (not in the gold), "
            "with the number of pages that leaked each (a page counts once, whether its card or the lexicon "
            "found the string).", "", *_table(["extractor", "leaked strings (pages)"], rows), ""]


def _splits(analysis) -> list[str]:
    from benchmark.report.split_tables import merged_label, split_summary_text

    if not analysis.splits:
        return []
    lines = ["## Splits", "", "Mean F1 per group of pages; columns in ranking order. The gold baseline (1 "
             "everywhere) is left out; a split with a single group is left out.", ""]
    for table in analysis.splits:
        rows = []
        for row in table.rows:
            label = merged_label(row) + (" (too few pages)" if row.too_few else "")
            rows.append([label, row.pages, *(fmt(c[0]) if c else "–" for c in row.cells)])
        lines += [f"### {table.title}", "", *_table([table.by, "pages", *table.names], rows), ""]
        note = split_summary_text(table)
        if note:
            lines += [note, ""]
    return lines


def short_options(options: Any) -> str:
    """One line of options; long values (language tables) shown by their size, the whole map given apart."""
    if not isinstance(options, dict) or not options:
        return "{}"
    parts = []
    for key, value in options.items():
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > SHORT_OPTION:
            text = f"{type(value).__name__}[{len(value)}]" if isinstance(value, (dict, list)) else \
                text[:SHORT_OPTION - 3] + "…"
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _provenance(meta: dict[str, Any], run_dir) -> list[str]:
    from benchmark.report.reproduce import commands

    env, libs = meta.get("environment", {}), meta.get("libraries", {})
    corpus = meta.get("corpus", {})
    lines = ["## Provenance", "",
             f"- corpus {corpus.get('name')}: {corpus.get('pages')} pages, digest `{str(corpus.get('digest', ''))}`",
             f"- harness {meta.get('harness_version')}, schema {meta.get('schema_version')}, Python "
             f"{env.get('python')} on {env.get('platform')}",
             f"- lxml {libs.get('lxml')}, libxml2 {libs.get('libxml2')}; chrome lexicon {meta.get('lexicon_version')}",
             f"- started {meta.get('started')}, finished {meta.get('finished')}; options "
             f"{json.dumps(meta.get('options', {}))}"]
    long_maps = []
    for name, info in sorted(meta.get("extractors", {}).items()):
        options = info.get("options", {})
        lines.append(f"- `{name}` {info.get('version') or ''} ({info.get('kind')}, reads {info.get('input')}): "
                     f"options `{short_options(options)}`")
        if short_options(options) != "{}" and len(json.dumps(options, ensure_ascii=False)) > 2 * SHORT_OPTION:
            long_maps.append((name, options))
    for name, options in long_maps:
        lines += ["", f"<details><summary>{name}: all options</summary>", "", "```json",
                  json.dumps(options, ensure_ascii=False, indent=1, sort_keys=True), "```", "", "</details>"]
    found = commands(meta, run_dir)
    lines += ["", "Reproduce (the same extractors and seed; then re-render without running anything):", "",
              "```", found["run"], found["report"], "```", ""]
    return lines
