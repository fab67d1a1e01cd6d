"""`boilerbench run` when nothing changed: the newest stored run answers, and nothing is run, copied or rendered.

Checked before the table libraries are imported (`run/unchanged.py` says
when a run would repeat a stored one), so an unchanged re-run costs the
interpreter, reading the pages and one look at the cache. It prints the same
table a re-run would (every timing marked as replayed: nothing was measured
now) and the stored run's failures, and points to its folder and reports.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import click

from benchmark.commands.terminal import (MACHINE_FORMATS, RunLog, print_summary, process_seconds, replayed_line,
                                         table_lines, written_files)

if TYPE_CHECKING:
    from benchmark.records import ExtractorSpec
    from benchmark.run.unchanged import UnchangedRun


def find_unchanged_run(target: Any, specs: Sequence[ExtractorSpec], runner: Any, cache: Any,
                       settings: Mapping[str, Any], seed: int, *, reports: bool) -> UnchangedRun | None:
    """The stored run this one would repeat, with the settings run.json would record for it; None if none."""
    from benchmark.pipeline import DEFAULT_BOOTSTRAP
    from benchmark.run.unchanged import find_unchanged_run as find
    from benchmark.run_metadata import run_options

    options = run_options(jobs=settings["jobs"], timeout=settings["timeout"], seed=seed, n_boot=DEFAULT_BOOTSTRAP,
                          memory_mb=settings["memory_mb"], max_output_bytes=settings["max_output_bytes"])
    return find(runner, cache, target.corpus, specs, options, target.out, reports=reports)


def answer_unchanged(found: UnchangedRun, fmt: str, *, reports: bool, latest: Path | None) -> None:
    """Print the stored run's comparison and failures, say why nothing ran, refresh results/latest if it lags."""
    run_dir, from_cache = found.run_dir, found.from_cache
    machine = fmt in MACHINE_FORMATS
    if fmt == "table":
        for line in table_lines(_summary_records(run_dir / "summary.csv"), from_cache):
            click.echo(line)
        if any(from_cache.values()):
            click.echo(replayed_line(from_cache))
    else:
        from benchmark.results import stored_result

        print_summary(stored_result(run_dir).summary, fmt, from_cache, click.echo)
    for line in _failure_lines(run_dir, found.meta.get("outcomes") or {}):
        click.echo(click.style(f"failures: {line}", fg="red"), err=True)
    pairs = sum(from_cache.values())
    click.echo(f"Unchanged: {run_dir} ({written_files(reports)}) already holds this run: the same pages, gold, "
               f"extractors and their code, settings and harness, and all {pairs} pairs as the cache has them. "
               f"Nothing was run or rendered ({process_seconds():.1f} s); `--rerun` writes a new run folder anyway.",
               err=machine)
    if latest is not None and _mirrored_run(latest) != run_dir.name:
        from benchmark.results import update_latest

        update_latest(run_dir, latest)
        click.echo(f"Updated {latest}.", err=machine)


def _summary_records(path: Path) -> list[dict[str, Any]]:
    """summary.csv's rows of extractors that ran, read without pandas (empty cells are missing values)."""
    from benchmark.report.analysis import ran

    with path.open(encoding="utf-8", newline="") as handle:
        rows = [{key: (value if value != "" else None) for key, value in row.items()}
                for row in csv.DictReader(handle)]
    return [row for row in rows if ran(row)]


def _failure_lines(run_dir: Path, outcomes: Mapping[str, int]) -> list[str]:
    """The stored run's failure lines, read from its extractions only when its outcome counts hold a failure."""
    from benchmark.results import iter_extractions

    if all(outcome in ("ok", "empty") for outcome in outcomes):
        return []
    log = RunLog()
    for extraction in iter_extractions(run_dir):
        log.add(extraction)
    return log.failure_lines()


def _mirrored_run(latest: Path) -> str | None:
    try:
        return json.loads((latest / "run.json").read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError):
        return None
