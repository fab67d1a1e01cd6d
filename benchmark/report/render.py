"""The reports of one run, written into its folder: report.md, table.tex, outputs/, and report.html where its
renderer is available.

One `analysis.Analysis` is computed per render and shared by every file, so
report.md and report.html never disagree and nothing is computed twice. A
fresh `RunResult` and one read back with `results.stored_result` render the
same files, so `boilerbench report RUN_DIR` never re-runs an extractor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


def write_reports(result: Any, *, all_pages: bool = False,
                  on_step: Callable[[str], None] | None = None) -> list[Path]:
    """report.md, table.tex and outputs/ always; report.html (and its page files) where jinja2 is installed.

    `on_step(what)` is told each step as it starts, for a progress display.
    """
    from benchmark.report.analysis import analyze
    from benchmark.report.latex import render_table
    from benchmark.report.markdown import render_markdown
    from benchmark.report.outputs import read_outputs, write_page_outputs
    from benchmark.results import atomic_write_text

    step = on_step or (lambda what: None)

    try:
        from benchmark.report import html
    except ModuleNotFoundError:
        html = None
    step("reading the outputs")
    shown = html.pages_to_parse(result, all_pages=all_pages) if html is not None else set()
    found = read_outputs(result.run_dir, shown)
    step("analysing the run")
    analysis = analyze(result, found)
    written = []
    step("report.md, table.tex")
    for name, text in (("report.md", render_markdown(result, analysis)), ("table.tex", render_table(analysis))):
        atomic_write_text(result.run_dir / name, text)
        written.append(result.run_dir / name)
    outputs = write_page_outputs(result.run_dir, found)
    if outputs is not None:
        written.append(outputs)
    if html is not None:
        step("report.html")
        written += html.render_html(result, result.run_dir / "report.html", analysis, all_pages=all_pages)
    return written
