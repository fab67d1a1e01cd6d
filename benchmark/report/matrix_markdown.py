"""matrix.md and the terminal tables of `boilerbench matrix`: figures per combination, deltas, flipped pages."""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def _ci(row: Mapping[str, Any], name: str) -> str:
    if row.get(name) is None or (isinstance(row.get(name), float) and math.isnan(row[name])):
        return "–"
    return f"{_num(row[name])} [{_num(row[f'{name}_low'])}, {_num(row[f'{name}_high'])}]"


def _signed(value: float) -> str:
    return f"{value:+.3f}"


def figure_rows(matrix: Mapping[str, Any]) -> list[list[str]]:
    """combination, extractor, version, pages, F1 [CI], chrome leak [CI], other outcomes or why unavailable."""
    labels = {cell["slug"]: cell["label"] for cell in matrix["cells"]}
    rows = []
    for figure in matrix.get("figures", []):
        label = labels[figure["slug"]]
        if figure.get("environment_failed"):
            rows.append([label, figure["extractor"], "–", "0", "environment could not be built", "–",
                         figure["note"]])
            continue
        if not figure["available"]:
            rows.append([label, figure["extractor"], figure.get("version") or "–", "0", "unavailable", "–",
                         figure.get("note", "")])
            continue
        others = ", ".join(f"{n} {k}" for k, n in sorted(figure["outcomes"].items()) if k != "ok")
        rows.append([label, figure["extractor"], figure.get("version") or "–", str(figure["pages"]),
                     _ci(figure, "f1"), _ci(figure, "leak"), others])
    return rows


def step_rows(matrix: Mapping[str, Any]) -> list[list[str]]:
    """extractor, from, to, pages, ΔF1 [CI], verdict: a crossing interval reads "no significant change"."""
    labels = {cell["slug"]: cell["label"] for cell in matrix["cells"]}
    rows = []
    for step in matrix.get("steps", []):
        if step["significant"]:
            verdict = "drop" if step["delta"] < 0 else "gain"
        else:
            verdict = "no significant change"
        leak = "–"
        if step.get("leak_delta") is not None and step["leak_delta"] == step["leak_delta"]:
            leak = (f"{_signed(step['leak_delta'])} [{_signed(step['leak_low'])}, {_signed(step['leak_high'])}]"
                    + ("" if step["leak_significant"] else " (n.s.)"))
        rows.append([step["extractor"], labels[step["older"]], labels[step["newer"]], str(step["pages"]),
                     f"{_signed(step['delta'])} [{_signed(step['low'])}, {_signed(step['high'])}]", verdict, leak])
    return rows


def flipped_rows(matrix: Mapping[str, Any], link: bool = False) -> list[list[str]]:
    """extractor, from -> to, page, F1 before, F1 after, Δ (and a link to its diff in matrix.html)."""
    labels = {cell["slug"]: cell["label"] for cell in matrix["cells"]}
    rows = []
    for index, flip in enumerate(matrix.get("flipped", [])):
        page = f"[{flip['page_id']}](matrix.html#flip-{index})" if link else flip["page_id"]
        outcome = "" if flip["outcome_newer"] == "ok" else f" ({flip['outcome_newer']})"
        rows.append([flip["extractor"], f"{labels[flip['older']]} → {labels[flip['newer']]}", page,
                     _num(flip["f1_older"]), _num(flip["f1_newer"]) + outcome, _signed(flip["delta"])])
    return rows


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


FIGURE_HEADER = ("combination", "extractor", "version", "pages", "F1 [95% CI]", "chrome leak [95% CI]", "notes")
STEP_HEADER = ("extractor", "from", "to", "pages", "ΔF1 [95% CI]", "reading", "Δ chrome leak [95% CI]")
FLIP_HEADER = ("extractor", "step", "page", "F1 before", "F1 after", "ΔF1")


def corpus_line(matrix: Mapping[str, Any]) -> str:
    corpus = matrix["corpus"]
    provenance = corpus.get("provenance") or {}
    kind = {"authored": "pages authored after real templates for fictional outlets",
            "real": "real saved pages"}.get(provenance.get("kind", ""), "pages of unstated provenance")
    return (f"Corpus: {corpus['name']} ({corpus['pages']} pages, {kind}), digest {corpus['digest'][:16]}. "
            f"Python {matrix.get('python', '?')}; bootstrap seed {matrix['seed']}, "
            f"{matrix['bootstrap_resamples']} resamples.")


def matrix_markdown(matrix: Mapping[str, Any]) -> str:
    """matrix.md: what was compared, then the three tables."""
    axes = " × ".join(f"{axis['package']} {', '.join(axis['versions'])}" for axis in matrix["axes"])
    failed = [cell for cell in matrix["cells"] if not cell["environment"]["ok"]]
    parts = [f"# Version matrix: {axes}", "", corpus_line(matrix), "",
             "Each combination ran in its own environment through boilerbench's workers "
             "(same deadlines, memory cap and outcomes as a local run). Means are over the pages each "
             "extractor was scored on; intervals are 95% page bootstrap.", ""]
    if failed:
        parts += ["Environments that could not be built (their own outcome, not zeros):", ""]
        parts += [f"- {cell['label']}: {cell['environment']['message']}" for cell in failed]
        parts.append("")
    parts += ["## Mean F1 and chrome leak per combination", "", _table(FIGURE_HEADER, figure_rows(matrix)), "",
              "## Changes between neighbouring combinations", "",
              "Paired bootstrap over the pages both scored, newer minus older; an interval that crosses "
              "zero is not a change (n.s.).", "", _table(STEP_HEADER, step_rows(matrix)) if matrix.get("steps")
              else "(no two neighbouring combinations both ran)", "",
              f"## Pages whose F1 moved by more than {matrix.get('page_tolerance', 0.02):g}", ""]
    flips = flipped_rows(matrix, link=True)
    parts += [_table(FLIP_HEADER, flips) if flips else "None.", ""]
    return "\n".join(parts)


def print_matrix(matrix: Mapping[str, Any], console: Any = None) -> None:
    """The three tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=None if Console().is_terminal else 200)
    for title, header, rows in (("mean F1 and chrome leak per combination", FIGURE_HEADER, figure_rows(matrix)),
                                ("changes between neighbours (newer − older)", STEP_HEADER, step_rows(matrix)),
                                (f"pages whose F1 moved by more than {matrix.get('page_tolerance', 0.02):g}",
                                 FLIP_HEADER, flipped_rows(matrix))):
        table = Table(title=f"boilerbench matrix — {title}", title_justify="left")
        for column in header:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
