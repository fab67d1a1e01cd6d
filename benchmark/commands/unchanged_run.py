"""`boilerbench run` when nothing changed: the newest stored run answers, and nothing is run, copied or rendered.

Checked before the table libraries are imported (`run/unchanged.py` says
when a run would repeat a stored one), so an unchanged re-run costs the
interpreter, reading the pages and one look at the cache. It prints the same
table a re-run would (every timing marked as replayed: nothing was measured
now) and the stored run's failures, and points to its folder and reports.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Mapping

import click

from benchmark.commands.terminal import RunLog, print_summary, process_seconds, replayed_line, table_lines


def find_unchanged_run(target: Any, specs: list, runner: Any, cache: Any, options: Mapping[str, Any], *,
                       reports: bool) -> tuple[Path, Mapping[str, int]] | None:
    """The stored run this one would repeat, with its pairs per extractor (all from the cache); None if none."""
    from benchmark.run.unchanged import newest_unchanged_run, planned_fingerprint

    corpus = target.corpus
    plan = planned_fingerprint(runner, cache, corpus, specs, options)
    if plan.fingerprint is None:
        return None
    run_dir = newest_unchanged_run(target.out, corpus.name, plan.fingerprint, reports=reports)
    return (run_dir, plan.from_cache) if run_dir is not None else None


def answer_unchanged(run_dir: Path, from_cache: Mapping[str, int], fmt: str, *, reports: bool,
                     latest: Path | None) -> None:
    """Print the stored run's comparison and failures, say why nothing ran, refresh results/latest if it lags."""
    machine = fmt in ("csv", "json", "markdown")
    if fmt == "table":
        for line in table_lines(_summary_records(run_dir / "summary.csv"), from_cache):
            click.echo(line)
        if any(from_cache.values()):
            click.echo(replayed_line(from_cache))
    else:
        from benchmark.results import stored_result

        print_summary(stored_result(run_dir).summary, fmt, from_cache, click.echo)
    for line in _failure_lines(run_dir):
        click.echo(click.style(f"failures: {line}", fg="red"), err=True)
    pairs = sum(from_cache.values())
    written = "report.md, report.html, summary.csv, scores.csv" if reports else "summary.csv, scores.csv"
    click.echo(f"Unchanged: {run_dir} ({written}) already holds this run: the same pages, gold, extractors and "
               f"their code, settings and harness, and all {pairs} pairs as the cache has them. Nothing was run "
               f"or rendered ({process_seconds():.1f} s); `--rerun` writes a new run folder anyway.", err=machine)
    if latest is not None and _mirrored_run(latest) != run_dir.name:
        from benchmark.results import update_latest

        update_latest(run_dir, latest)
        click.echo(f"Updated {latest}.", err=machine)


def _summary_records(path: Path) -> list[dict[str, Any]]:
    """summary.csv's rows of extractors that ran, read without pandas (empty cells are missing values)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [{key: (value if value != "" else None) for key, value in row.items()}
                for row in csv.DictReader(handle)]
    if rows and "available" in rows[0]:
        return [row for row in rows if str(row["available"]).lower() in ("true", "1")]
    return [row for row in rows if float(row.get("pages") or 0) > 0]


def _failure_lines(run_dir: Path) -> list[str]:
    """The stored run's failure lines, read from its extractions only when run.json counts any failure."""
    import json

    from benchmark.results import iter_extractions

    outcomes = json.loads((run_dir / "run.json").read_text(encoding="utf-8")).get("outcomes") or {}
    if all(outcome in ("ok", "empty") for outcome in outcomes):
        return []
    log = RunLog()
    for extraction in iter_extractions(run_dir):
        log.add(extraction)
    return log.failure_lines()


def _mirrored_run(latest: Path) -> str | None:
    import json

    try:
        return json.loads((latest / "run.json").read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError):
        return None
