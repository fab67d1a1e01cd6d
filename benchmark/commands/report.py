"""`boilerbench report RUN_DIR`: re-render the reports from stored results, running nothing."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("report")
@click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
def report_command(run_dir: Path) -> int:
    """Regenerate report.md (and report.html) of a finished run."""
    from benchmark.report.render import write_reports
    from benchmark.results import ResultsError, stored_result

    try:
        result = stored_result(run_dir)
    except ResultsError as exc:
        raise click.UsageError(str(exc)) from None
    for path in write_reports(result):
        click.echo(f"Wrote {path}")
    return 0
