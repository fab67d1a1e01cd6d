"""report.md: the comparison a reader sees on GitHub without running anything.

Order follows DESIGN.md: who wins and by how much (with intervals and
significance), where each extractor fails, which chrome leaks through whom,
how results split by language, era, charset family and layout, and what
exactly was measured.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

#: how many worst pages to list per extractor
WORST_PAGES = 5
#: how many leaked strings to list per extractor
TOP_LEAKS = 8


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:  # NaN
        return "–"
    return f"{number:.{digits}f}"


def _cell(text: Any) -> str:
    """Escape a value for a Markdown table cell (page text can hold pipes and markup)."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return value.replace("<", "&lt;").replace(">", "&gt;")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def available(summary) -> Any:
    if "available" in summary.columns:
        return summary[summary["available"].astype(str).str.lower().isin(["true", "1"])]
    return summary[summary["pages"] > 0]


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


def _leaks(scores) -> dict[str, Counter]:
    leaks: dict[str, Counter] = defaultdict(Counter)
    for rec in scores[["extractor", "chrome_leaked", "lexicon_leaked"]].to_dict("records"):
        for column in ("chrome_leaked", "lexicon_leaked"):
            value = rec[column]
            for text in json.loads(value) if isinstance(value, str) and value else []:
                leaks[rec["extractor"]][text] += 1
    return leaks


def _split_section(result, by: str, title: str) -> list[str]:
    from benchmark.stats.splits import split_summary

    pages = result.pages.copy()
    if "layout" in pages.columns:
        pages["layout"] = pages["layout"].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    seed = result.meta.get("options", {}).get("seed", 0)
    n_boot = min(200, int(result.meta.get("options", {}).get("bootstrap_resamples", 200)))
    table = split_summary(result.scores, pages, by, seed=seed, n_boot=n_boot)
    if table.empty:
        return []
    stratum = [c for c in table.columns if c not in {"extractor"}][0]
    pivot = table.pivot_table(index=stratum, columns="extractor", values="f1_mean", aggfunc="first")
    counts = table.groupby(stratum)["pages"].max()
    extractors = list(pivot.columns)
    rows = [[idx, int(counts.get(idx, 0)), *(fmt(pivot.loc[idx, e]) for e in extractors)] for idx in pivot.index]
    return [f"### {title}", "", "Mean F1 per stratum (pages = pages in the stratum).", "",
            *_table([by, "pages", *extractors], rows), ""]


def render_markdown(result) -> str:
    """The whole report.md for one run."""
    meta, summary, scores = result.meta, result.summary, result.scores
    corpus = meta.get("corpus", {})
    lines = [f"# boilerbench results — {corpus.get('name', '?')} corpus", ""]
    status = meta.get("status")
    if status != "complete":
        lines += [f"> **This run is {status}**: the tables cover only the pairs that finished.", ""]
    lines += [f"Run `{meta.get('run_id')}`: {corpus.get('pages')} pages (corpus digest "
              f"`{str(corpus.get('digest', ''))[:12]}`), {len(available(summary))} extractors, "
              f"{meta.get('elapsed_s', '?')} s. Scores are macro means over pages; a failed extraction "
              "scores 0. Intervals: 95% percentile bootstrap over pages "
              f"(seed {meta.get('options', {}).get('seed')}).", ""]

    lines += ["## Ranking", ""]
    lines += _verdict_lines(result)
    lines += [*_table(COMPARISON_HEADER, comparison_rows(summary)), ""]
    unavailable = summary[~summary.index.isin(available(summary).index)]
    for rec in unavailable.to_dict("records"):
        note = meta.get("extractors", {}).get(rec["extractor"], {}).get("note", "")
        lines.append(f"- *{rec['extractor']}*: not installed, not scored. {note}".rstrip())
    if len(unavailable):
        lines.append("")

    lines += _significance_section(result)

    lines += ["## Outcomes other than ok", ""]
    failures = scores[scores["outcome"] != "ok"]
    if failures.empty:
        lines += ["Every pair ended `ok`.", ""]
    else:
        counts = failures.groupby(["extractor", "outcome"]).size().reset_index(name="pairs")
        lines += [*_table(["extractor", "outcome", "pairs"], counts.values.tolist()), ""]

    lines += ["## Worst pages", ""]
    for extractor in available(summary).sort_values("f1_mean", ascending=False)["extractor"]:
        if extractor == "gold":
            continue
        worst = scores[scores["extractor"] == extractor].nsmallest(WORST_PAGES, "f1")
        items = ", ".join(f"`{r['page_id']}` {fmt(r['f1'])} ({r['outcome']})" for r in worst.to_dict("records"))
        lines.append(f"- **{extractor}**: {items}")
    lines.append("")

    lines += ["## Leaked chrome", "", "Card chrome strings and lexicon phrases found in the output "
              "(not in the gold), with the number of pages.", ""]
    leaks = _leaks(scores)
    rows = [[name, ", ".join(f"{_cell(t)} ({n})" for t, n in leaks[name].most_common(TOP_LEAKS)) or "none"]
            for name in available(summary).sort_values("f1_mean", ascending=False)["extractor"]]
    lines += [*_table(["extractor", "leaked strings (pages)"], rows), ""]

    if not result.pages.empty:
        lines += ["## Splits", ""]
        for by, title in (("language", "By language"), ("era", "By era"),
                          ("charset_family", "By charset family"), ("layout", "By layout tag"),
                          ("difficulty", "By gold share of the page (Q1: the most chrome around the body)")):
            lines += _split_section(result, by, title)

    lines += _provenance_section(meta)
    return "\n".join(lines).rstrip() + "\n"


def _verdict_lines(result) -> list[str]:
    """One sentence: the best article extractor, its lead over the runner-up, and whether the lead is real."""
    from benchmark.stats.paired import paired_differences

    kinds = {name: info.get("kind") for name, info in result.meta.get("extractors", {}).items()}
    ranked = [name for name in available(result.summary).sort_values("f1_mean", ascending=False)["extractor"]
              if kinds.get(name) not in {"baseline", "full-text"}]
    if not ranked:
        return []
    best = available(result.summary).set_index("extractor").loc[ranked[0]]
    sentence = (f"**{ranked[0]}** has the highest mean F1 of the article extractors: {fmt(best['f1_mean'])} "
                f"[{fmt(best['f1_ci_low'])}, {fmt(best['f1_ci_high'])}]")
    if len(ranked) > 1:
        options = result.meta.get("options", {})
        pairs = paired_differences(result.scores, seed=options.get("seed", 0),
                                   n_boot=int(options.get("bootstrap_resamples", 1000)))
        row = pairs[(pairs["a"] == ranked[0]) & (pairs["b"] == ranked[1])]
        if not row.empty:
            rec = row.iloc[0]
            verdict = "significant" if rec["significant"] else "not significant: another sample of pages could swap them"
            sentence += (f". Its lead over **{ranked[1]}** is {rec['mean_diff']:+.3f} "
                         f"[{rec['ci_low']:+.3f}, {rec['ci_high']:+.3f}] over {int(rec['pages'])} pages, {verdict}")
    return [sentence + ".", ""]


def _significance_section(result) -> list[str]:
    from benchmark.stats.paired import paired_differences

    seed = result.meta.get("options", {}).get("seed", 0)
    n_boot = int(result.meta.get("options", {}).get("bootstrap_resamples", 1000))
    table = paired_differences(result.scores, seed=seed, n_boot=n_boot)
    if table.empty:
        return []
    order = list(available(result.summary).sort_values("f1_mean", ascending=False)["extractor"])
    rank = {name: i for i, name in enumerate(order)}
    columns = list(table.columns)
    a_col, b_col = columns[0], columns[1]
    table = table[table[a_col].map(rank.get).lt(table[b_col].map(rank.get))]
    table = table[(table[a_col].map(rank.get) + 1 == table[b_col].map(rank.get))]
    rows = []
    for rec in table.to_dict("records"):
        low, high = rec.get("ci_low"), rec.get("ci_high")
        rows.append([f"{rec[a_col]} − {rec[b_col]}", fmt(rec.get("mean_diff", rec.get("diff"))),
                     f"[{fmt(low)}, {fmt(high)}]", "yes" if rec.get("significant") else "not significant"])
    return ["## Is the difference significant?", "",
            "Paired bootstrap of the F1 difference between neighbours in the ranking, over the same "
            "resampled pages; the full pairwise table is in the HTML report.", "",
            *_table(["pair", "F1 difference", "95% CI", "significant"], rows), ""]


def _provenance_section(meta: dict[str, Any]) -> list[str]:
    lines = ["## Provenance", ""]
    env = meta.get("environment", {})
    libs = meta.get("libraries", {})
    lines.append(f"- harness {meta.get('harness_version')}, schema {meta.get('schema_version')}, "
                 f"Python {env.get('python')} on {env.get('platform')}")
    lines.append(f"- lxml {libs.get('lxml')}, libxml2 {libs.get('libxml2')}; chrome lexicon "
                 f"{meta.get('lexicon_version')}")
    lines.append(f"- started {meta.get('started')}, finished {meta.get('finished')}; options "
                 f"{json.dumps(meta.get('options', {}))}")
    for name, info in sorted(meta.get("extractors", {}).items()):
        lines.append(f"- `{name}` {info.get('version') or ''} ({info.get('kind')}, reads {info.get('input')}): "
                     f"options `{json.dumps(info.get('options', {}), ensure_ascii=False)}`")
    lines += ["", "Reproduce: `boilerbench run` (bundled corpus), then `boilerbench report "
              f"results/{meta.get('run_id')}` to re-render without running extractors.", ""]
    return lines
