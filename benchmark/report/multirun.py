"""Several stored runs on one page: does a ranking hold beyond one set of pages, and what did a new version change?

`compare_stored_runs(runs)` takes runs as `results.read_run` gives them and
returns a `MultiRun`; `render_multirun_html` and `render_multirun_markdown`
format it. Runs on different corpora (digests) form the dataset view: an
extractor x dataset table of mean F1 with its interval and the extractor's
rank among the article extractors of that run, and Kendall's tau between the
rankings of each pair of datasets over the extractors both ran. Runs on one
corpus with an extractor in more than one run form the version view: each
later release of the extractor against the oldest (by release number, then
by a matrix combination's other pins, whatever order the runs were named
in), a paired bootstrap over the pages both scored, and the pages that
changed most. A version matrix's folder stands for its runs, and its trend
chart (as in its matrix.html) heads the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

#: pages listed per version comparison
CHANGED_PAGES = 8
BASELINES = frozenset({"gold", "full-text"})


@dataclass
class RunColumn:
    """One run as a column of the dataset table."""

    label: str
    run_id: str
    corpus: str
    digest: str
    pages: int
    kind: str
    path: str


@dataclass
class MultiRun:
    """The comparison page's content."""

    runs: list[RunColumn]
    extractors: list[str]
    cells: dict[tuple[str, int], dict[str, Any]]  # (extractor, run index) -> f1, low, high, rank, of
    agreement: list[dict[str, Any]]  # one per pair of runs on different corpora: tau, items
    versions: list[dict[str, Any]] = field(default_factory=list)
    #: version matrices given by their folders: (title, link to its matrix.html, trend charts)
    matrices: list[tuple[str, str, list[Any]]] = field(default_factory=list)


def _label(meta: dict[str, Any]) -> str:
    corpus = meta.get("corpus") or {}
    title = (corpus.get("provenance") or {}).get("title") or corpus.get("name") or "?"
    return f"{title}"


def _candidates(run) -> list[dict[str, Any]]:
    kinds = {n: i.get("kind") for n, i in (run.meta.get("extractors") or {}).items()}
    from benchmark.report.analysis import available

    rows = available(run.summary).sort_values("f1_mean", ascending=False, kind="mergesort").to_dict("records")
    return [r for r in rows if str(r["extractor"]) not in BASELINES and kinds.get(str(r["extractor"])) not in
            ("baseline", "full-text")]


def _top_group(run, candidates: list[str]) -> set[str]:
    """The run's top group when it is a tie (Holm-corrected paired bootstrap), else nothing."""
    from benchmark.stats.summary import _normalized, _pivot
    from benchmark.stats.verdict import top_group

    if len(candidates) < 2:
        return set()
    options = run.meta.get("options") or {}
    matrix, _ = _pivot(_normalized(run.scores), "f1", candidates)
    group = top_group(matrix, candidates, seed=int(options.get("seed", 0) or 0),
                      n_boot=int(options.get("bootstrap_resamples", 1000) or 1000))
    return set(group.members) if group is not None and group.tied else set()


def compare_stored_runs(runs: Sequence[Any]) -> MultiRun:
    """The dataset table, rank agreement and version deltas of runs read with `results.read_run`."""
    from benchmark.stats.agreement import kendall_tau

    columns, cells, extractors = [], {}, []
    for k, run in enumerate(runs):
        corpus = run.meta.get("corpus") or {}
        columns.append(RunColumn(label=_label(run.meta), run_id=str(run.meta.get("run_id")),
                                 corpus=str(corpus.get("name")), digest=str(corpus.get("digest") or ""),
                                 pages=int(corpus.get("pages") or 0),
                                 kind=str((corpus.get("provenance") or {}).get("kind") or "unstated"),
                                 path=str(run.path)))
        ranked = _candidates(run)
        tied = _top_group(run, [str(r["extractor"]) for r in ranked])
        for rank, rec in enumerate(ranked, start=1):
            name = str(rec["extractor"])
            if name not in extractors:
                extractors.append(name)
            cells[(name, k)] = {"f1": float(rec["f1_mean"]), "low": float(rec["f1_ci_low"]),
                                "high": float(rec["f1_ci_high"]), "rank": rank, "of": len(ranked),
                                "version": rec.get("version"), "tied": name in tied}
    agreement = []
    for i in range(len(runs)):
        for j in range(i + 1, len(runs)):
            if columns[i].digest == columns[j].digest:
                continue
            a = {n: c["f1"] for (n, k), c in cells.items() if k == i}
            b = {n: c["f1"] for (n, k), c in cells.items() if k == j}
            tau, items = kendall_tau(a, b)
            agreement.append({"a": columns[i].label, "b": columns[j].label, "a_run": columns[i].run_id,
                              "b_run": columns[j].run_id, "tau": tau, "items": items})
    extractors.sort(key=lambda n: (-max((c["f1"] for (m, _), c in cells.items() if m == n), default=0.0), n))
    result = MultiRun(runs=columns, extractors=extractors, cells=cells, agreement=agreement)
    result.versions = _versions(runs, columns)
    return result


def _versions(runs: Sequence[Any], columns: list[RunColumn]) -> list[dict[str, Any]]:
    """Per extractor run more than once on one corpus: each later release against the oldest, paired, and its top pages."""
    from benchmark.stats.paired import compare_runs

    found = []
    by_digest: dict[str, list[int]] = {}
    for k, column in enumerate(columns):
        by_digest.setdefault(column.digest, []).append(k)
    for digest, members in by_digest.items():
        if len(members) < 2:
            continue
        names = sorted({str(n) for k in members for n in runs[k].scores["extractor"].unique()} - {"gold"})
        for name in names:
            having = sorted((k for k in members if (runs[k].scores["extractor"].map(str) == name).any()),
                            key=lambda k: _release_order(runs[k], name, k))
            if len(having) < 2:
                continue
            base = having[0]
            for other in having[1:]:
                seed = int((runs[other].meta.get("options") or {}).get("seed", 0) or 0)
                row = compare_runs(runs[other].scores, runs[base].scores, name, seed=seed).iloc[0].to_dict()
                a = _f1_by_page(runs[other].scores, name)
                b = _f1_by_page(runs[base].scores, name)
                delta = (a - b).dropna()
                changed = delta.reindex(delta.abs().sort_values(ascending=False, kind="mergesort").index)
                found.append({"extractor": name, "corpus": columns[base].label, "old_run": columns[base].run_id,
                              "new_run": columns[other].run_id, "old_version": _version(runs[base], name),
                              "new_version": _version(runs[other], name), **row,
                              "changed": [(str(p), float(b[p]), float(a[p]), float(d))
                                          for p, d in changed.head(CHANGED_PAGES).items() if d != 0],
                              "n_changed": int((delta.abs() > 0).sum())})
    return found


def _f1_by_page(scores, name: str):
    import pandas as pd

    rows = scores[(scores["extractor"].map(str) == name) & (scores["outcome"].map(str) != "unavailable")]
    return pd.Series(pd.to_numeric(rows["f1"], errors="coerce").to_numpy(), index=rows["page_id"].map(str))


def _release(run, name: str) -> tuple[str, list[str]]:
    """The extractor's recorded version, and the pins of the matrix combination the run was (none otherwise)."""
    version = str(((run.meta.get("extractors") or {}).get(name) or {}).get("version") or "")
    return version, [str(pin) for pin in (run.meta.get("release_environment") or {}).get("combination") or []]


def _version(run, name: str) -> str:
    """The extractor's version, with the other pins of a matrix combination ("0.2.8 (lxml 5.4.0)")."""
    version, pins = _release(run, name)
    others = [pin.replace("==", " ") for pin in pins[1:]]  # the first pin is the extractor's own package
    return f"{version or '?'} ({', '.join(others)})" if others else version or "?"


def _release_order(run, name: str, position: int) -> tuple[Any, ...]:
    """Older releases first, whatever order the runs were named in (1.6.4 before 1.12.2); then as given."""
    from benchmark.extractors.releases import release_tuple

    version, pins = _release(run, name)
    return (release_tuple(version), tuple(release_tuple(pin.partition("==")[2]) for pin in pins), position)


def _f(value: Any, digits: int = 3) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(number) else f"{number:.{digits}f}"


def render_multirun_markdown(model: MultiRun) -> str:
    """The comparison as Markdown."""
    from benchmark.report.markdown import _table, escape_md

    lines = ["# boilerbench: several runs compared", ""]
    lines += ["Runs: " + "; ".join(f"{escape_md(c.label)} (`{c.run_id}`, {c.pages} pages, {c.kind} pages)"
                                    for c in model.runs), ""]
    lines += ["## Mean F1 per dataset", "", "Mean token F1 [95% CI] and rank among the article extractors of "
              "that run (baselines left out); \"tied at the top\": in that run's top group, not significantly "
              "behind its best (paired bootstrap, Holm), so its rank there is not a win.", ""]
    rows = []
    for name in model.extractors:
        row = [name]
        for k in range(len(model.runs)):
            c = model.cells.get((name, k))
            tie = " (tied at the top)" if c is not None and c["tied"] else ""
            row.append("–" if c is None else f"{_f(c['f1'])} [{_f(c['low'])}, {_f(c['high'])}] "
                       f"#{c['rank']}/{c['of']}{tie}")
        rows.append(row)
    lines += [*_table(["extractor", *(f"{c.label} ({c.run_id[:15]})" for c in model.runs)], rows), ""]
    if model.agreement:
        lines += ["## Rank agreement", "", "Kendall's tau-b between the two runs' rankings over the extractors "
                  "both ran: 1 = the same order, 0 = unrelated, -1 = reversed.", ""]
        lines += [*_table(["runs", "extractors", "tau"],
                          [[f"{a['a']} vs {a['b']}", a["items"], _f(a["tau"], 2)] for a in model.agreement]), ""]
    for title, link, _charts in model.matrices:
        lines += [f"## Version matrix: {escape_md(title)}", "",
                  f"Its trend chart, flipped pages and their diffs: [matrix.html]({link}), "
                  f"[matrix.md]({link.removesuffix('.html')}.md).", ""]
    if model.versions:
        lines += ["## Versions on one corpus", "", "Newer release minus the oldest, paired bootstrap over the pages "
                  "both scored.", ""]
        for v in model.versions:
            verdict = "significant" if v["significant"] else "not significant"
            lines.append(f"- **{v['extractor']}** {v['old_version']} → {v['new_version']} on {escape_md(v['corpus'])}: "
                         f"{v['mean_diff']:+.3f} [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}] over {v['pages']} pages, "
                         f"{verdict}; {v['n_changed']} pages changed")
            for page, old, new, delta in v["changed"]:
                lines.append(f"  - `{page}`: {old:.3f} → {new:.3f} ({delta:+.3f})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_multirun_html(model: MultiRun) -> str:
    """The comparison as one self-contained HTML page (the report's styles, no script)."""
    from benchmark.report.html import _assets, _environment

    env = _environment()
    return env.get_template("multirun.html.j2").render(m=model, assets=_assets(env), fmt=_f)


def is_matrix_folder(folder: Path) -> bool:
    """A folder written by `boilerbench matrix` (its matrix.json, no run.json of its own)."""
    from benchmark.versions.matrix import MATRIX_FILE

    return (Path(folder) / MATRIX_FILE).is_file() and not (Path(folder) / "run.json").is_file()


def expand_run_dirs(run_dirs: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, dict[str, Any]]]]:
    """Run folders as given, a version matrix's folder (matrix.json) standing for its combinations' runs.

    Also returns each matrix read, so the page can show its trend chart.
    """
    from benchmark.results import ResultsError
    from benchmark.versions.matrix import read_matrix

    expanded: list[Path] = []
    matrices: list[tuple[Path, dict[str, Any]]] = []
    for folder in map(Path, run_dirs):
        if not is_matrix_folder(folder):
            expanded.append(folder)
            continue
        try:
            matrix = read_matrix(folder)
        except ValueError as exc:  # names the file and what it is not
            raise ResultsError(str(exc)) from None
        found = [folder / cell["run_dir"] for cell in matrix.get("cells") or [] if cell.get("run_dir")]
        expanded += found or [folder]  # no runs listed: read_run names the folder and what is missing
        if found:
            matrices.append((folder, matrix))
    return expanded, matrices


def matrix_trends(matrices: Sequence[tuple[Path, dict[str, Any]]], out: Path) -> list[tuple[str, str, list[Any]]]:
    """Each matrix's trend charts (as in its matrix.html), with a link to that page relative to `out`."""
    import os

    from benchmark.report.matrix_html import trend_chart

    shown = []
    for k, (folder, matrix) in enumerate(matrices):
        try:
            charts = [trend_chart(matrix, str(name), 100 * k + j)
                      for j, name in enumerate(matrix.get("extractors") or [])]
        except (KeyError, TypeError, ValueError):  # a matrix.json of another shape: its runs are still compared
            continue
        labels = [str(cell.get("label", "?")) for cell in matrix.get("cells") or []]
        link = Path(os.path.relpath(folder / "matrix.html", out.parent)).as_posix()
        shown.append((" → ".join(labels), link, charts))
    return shown


def write_multirun(run_dirs: Sequence[Path], out: Path) -> Path:
    """Read the runs and write the comparison page: HTML, or Markdown when `out` ends in .md."""
    from benchmark.results import atomic_write_text, read_run

    folders, matrices = expand_run_dirs(run_dirs)
    model = compare_stored_runs([read_run(d) for d in folders])
    model.matrices = matrix_trends(matrices, out)
    text = render_multirun_markdown(model) if out.suffix.lower() == ".md" else render_multirun_html(model)
    atomic_write_text(out, text)
    return out
