"""`boilerbench report RUN_DIR [RUN_DIR ...]`: re-render a run's reports, or compare several runs on one page.

A version matrix's folder (`boilerbench matrix --out`) counts as the runs of its combinations.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("report")
@click.argument("run_dirs", nargs=-1, required=True,
                type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="With several runs: the comparison page to write (HTML, or Markdown for a .md name).")
@click.option("--all-pages", is_flag=True,
              help="Align every page's outputs into the report's page files, however large the run "
                   "(by default runs of more than 300 pages align the pages most worth reading).")
def report_command(run_dirs: tuple[Path, ...], out: Path | None, all_pages: bool) -> int:
    """Regenerate report.md and report.html of a finished run, or compare several runs (or a matrix's) in one page."""
    from benchmark.report.multirun import is_matrix_folder, write_multirun
    from benchmark.results import ResultsError, stored_result

    if len(run_dirs) > 1 or out is not None or any(map(is_matrix_folder, run_dirs)):  # a matrix: its runs

        if out is None:
            raise click.UsageError("several runs make one comparison page: give its file with --out FILE "
                                   "(.html, or .md for Markdown)")
        try:
            click.echo(f"Wrote {write_multirun(run_dirs, out)}")
        except ResultsError as exc:
            raise click.UsageError(str(exc)) from None
        return 0
    from benchmark.report.render import write_reports

    try:
        result = stored_result(run_dirs[0])
    except ResultsError as exc:
        raise click.UsageError(str(exc)) from None
    for path in write_reports(result, all_pages=all_pages):
        click.echo(f"Wrote {path}")
    return 0
