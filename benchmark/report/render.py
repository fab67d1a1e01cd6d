"""The reports of one run, written into its folder: report.md always, report.html where its renderer is available.

A fresh `RunResult` and one read back with `results.stored_result` render
the same files, so `boilerbench report RUN_DIR` never re-runs an extractor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_reports(result: Any) -> list[Path]:
    """report.md always; report.html where its renderer is available."""
    from benchmark.report.markdown import render_markdown
    from benchmark.results import atomic_write_text

    written = []
    markdown_path = result.run_dir / "report.md"
    atomic_write_text(markdown_path, render_markdown(result))
    written.append(markdown_path)
    try:
        from benchmark.report.html import render_html
    except ModuleNotFoundError:
        return written
    html_path = result.run_dir / "report.html"
    render_html(result, html_path)
    written.append(html_path)
    return written
