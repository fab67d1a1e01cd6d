"""`boilerbench gate`: hold a finished run to the floors in results/baseline.json, or re-pin them.

Exit 0 when every compared extractor passes; 1 when one fails, when one
cannot be compared (another corpus, version or options: the gate never
passes what it did not check), or when a re-pin would lower a floor; 2 for
bad usage or unreadable files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import click

from benchmark.cli import EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE

DEFAULT_RUN_DIR = Path("results") / "latest"
DEFAULT_BASELINE = Path("results") / "baseline.json"


def _names(values: Sequence[str]) -> list[str] | None:
    """--only given as repeated options and/or comma-separated lists."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


def _run_facts(meta: dict[str, Any], summary: Any) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    """Corpus digest, versions and options digests as run.json records them."""
    corpus = meta.get("corpus")
    digest = corpus.get("digest") if isinstance(corpus, dict) else None
    digest = digest or meta.get("corpus_digest")
    extractors = meta.get("extractors") or {}
    if isinstance(extractors, list):  # tolerate a list of ExtractorRun records
        extractors = {item.get("name"): item for item in extractors if isinstance(item, dict)}
    versions = {name: info.get("version") for name, info in extractors.items() if isinstance(info, dict)}
    options = {name: info.get("options_digest") for name, info in extractors.items() if isinstance(info, dict)}
    if summary is not None and "version" in getattr(summary, "columns", ()):
        for name, version in zip(summary["extractor"], summary["version"]):
            versions.setdefault(str(name), None if version != version else str(version))
    return digest, versions, options


#: colours of statuses on a terminal (click drops them when stdout is not one)
_COLOURS = {"pass": "green", "fail": "red", "missing": "red", "not-comparable": "yellow"}


def _status_text(status: str) -> str:
    text = status.upper() if status in ("pass", "fail") else status
    return click.style(text, fg=_COLOURS.get(status), bold=status in ("pass", "fail"))


def _check_only(names: list[str] | None, baseline: Any, scores: Any, ctx: click.Context) -> None:
    """--only with a name neither pinned nor in the run is a typo: exit 2 saying which names exist."""
    if not names:
        return
    known = set(baseline.get("extractors") or {}) | {str(name) for name in scores.get("extractor", [])}
    unknown = [name for name in names if name not in known]
    if unknown:
        import difflib

        hints = [f"did you mean {', '.join(close)}?" for name in unknown
                 if (close := difflib.get_close_matches(name, sorted(known), n=2))]
        click.echo(f"error: --only {', '.join(unknown)}: neither pinned in the baseline nor in the run "
                   f"(known: {', '.join(sorted(known))})" + (f"; {' '.join(hints)}" if hints else ""), err=True)
        ctx.exit(EXIT_USAGE)


def _print_verdict(verdict: Any, run_dir: Path, baseline_path: Path) -> None:
    click.echo(f"gate: {run_dir} against {baseline_path} (corpus {verdict.run_digest[:12]})")
    for item in verdict.extractors:
        version = item.run_version or item.baseline_version or ""
        click.echo(f"  {item.extractor:<24} {version:<12} {_status_text(item.status)}")
        for finding in item.findings:
            click.echo(f"    - [{finding.severity}] {finding.message}")
    for note in verdict.notes:
        click.echo(f"  note: {note}")
    counts = {status: sum(1 for v in verdict.extractors if v.status == status)
              for status in ("pass", "fail", "not-comparable", "new", "missing")}
    tally = ", ".join(f"{n} {status}" + (" (not checked)" if status == "missing" else "")
                      for status, n in counts.items() if n)
    click.echo(f"gate: {_status_text(verdict.status)} ({tally or 'no extractors'})")
    if counts["missing"]:
        click.echo("A pinned extractor that did not run was not checked: the gate cannot pass it. Run it, or "
                   "check only what ran with --only NAMES.")
    if counts["fail"]:
        click.echo("To accept an intended drop: boilerbench gate RUN_DIR --update --allow-regression")
    elif verdict.status == "not-comparable":
        click.echo("Nothing was judged for the extractors above. After an upgrade, see the changes with "
                   "--across-versions; after a corpus change or an accepted upgrade, re-pin with --update.")


@click.command("gate")
@click.argument("run_dir", required=False, type=click.Path(path_type=Path))
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help=f"Baseline file (default: {DEFAULT_BASELINE}).")
@click.option("--update", is_flag=True, help="Re-pin the floors from this run instead of checking it.")
@click.option("--allow-regression", is_flag=True, help="With --update: allow lowering a floor.")
@click.option("--across-versions", is_flag=True,
              help="Compare even when an extractor's version or options changed, labelling the change.")
@click.option("--only", "only", multiple=True, metavar="NAMES",
              help="Only these extractors (comma-separated, repeatable).")
@click.pass_context
def gate_command(ctx: click.Context, run_dir: Path | None, baseline_path: Path | None, update: bool,
                 allow_regression: bool, across_versions: bool, only: Sequence[str]) -> int:
    """Fail when a run falls below the committed floors (default run: results/latest)."""
    from benchmark import gate
    from benchmark.results import ResultsError, read_run

    run_dir = run_dir or DEFAULT_RUN_DIR
    baseline_path = baseline_path or DEFAULT_BASELINE
    if allow_regression and not update:
        raise click.UsageError("--allow-regression only applies with --update")
    if not run_dir.is_dir():
        click.echo(f"error: {run_dir}: no such run folder. Run `boilerbench run` first, or pass the folder "
                   "of a finished run (results/<run_id>).", err=True)
        ctx.exit(EXIT_USAGE)
    try:
        stored = read_run(run_dir)
    except ResultsError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    except (OSError, ValueError) as exc:  # a damaged scores.csv / summary.csv
        click.echo(f"error: {run_dir}: cannot read the run ({exc}). Re-run it, or re-score it with "
                   "`boilerbench score`.", err=True)
        ctx.exit(EXIT_USAGE)
    digest, versions, options = _run_facts(stored.meta, stored.summary)
    if not digest:
        click.echo(f"error: {run_dir / 'run.json'}: no corpus digest recorded, so the run cannot be compared "
                   "with any baseline. Re-run it with this boilerbench.", err=True)
        ctx.exit(EXIT_USAGE)
    names = _names(only)

    try:
        if update:
            if stored.meta.get("status", "complete") != "complete":
                click.echo(f"error: {run_dir}: the run is {stored.meta.get('status')}; pin only from a "
                           "complete run (start it again to resume from the cache).", err=True)
                ctx.exit(EXIT_USAGE)
            result = gate.update(baseline_path, stored.summary, stored.scores, versions, digest,
                                 run_options_digests=options, allow_regression=allow_regression, only=names)
        else:
            baseline = gate.load_baseline(baseline_path)
            _check_only(names, baseline, stored.scores, ctx)
            verdict = gate.compare(baseline, stored.summary, stored.scores, versions, digest,
                                   across_versions=across_versions, run_options_digests=options, only=names)
    except (gate.UpdateRefused, gate.BaselineEdited) as exc:  # a refused re-pin, or floors edited by hand
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_GATE_FAILED)
    except gate.BaselineError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    except ValueError as exc:  # a scores table without the columns a run has
        click.echo(f"error: {run_dir}: {exc}. Re-score the run with this boilerbench.", err=True)
        ctx.exit(EXIT_USAGE)

    if update:
        for name in result.pinned:
            entry = result.baseline["extractors"][name]
            click.echo(f"pinned {name} {entry['version'] or ''}: mean F1 {entry['f1_mean']:.4f}, "
                       f"{len(entry['pages'])} pages")
        for finding in result.lowered:
            click.echo(f"lowered (allowed): {finding.message}")
        for name in result.dropped:
            click.echo(f"dropped {name} (pinned on the previous corpus)")
        if result.kept:
            click.echo(f"kept as pinned: {', '.join(result.kept)}")
        click.echo(f"wrote {result.path}")
        ctx.exit(EXIT_OK)
    _print_verdict(verdict, run_dir, baseline_path)
    ctx.exit(EXIT_OK if verdict.passed else EXIT_GATE_FAILED)
