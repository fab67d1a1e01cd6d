"""`boilerbench run`: every extractor on every page, scored, tabulated and reported."""

from __future__ import annotations

import os
from pathlib import Path

import click

from benchmark.commands.options import corpus_option
from benchmark.commands.run_sets import load_targets, write_several_runs_page


def print_summary(summary, console=None) -> None:
    """The comparison table on the terminal, sorted by F1."""
    from rich.console import Console
    from rich.table import Table

    from benchmark.report.markdown import COMPARISON_HEADER, comparison_rows

    if console is None:
        console = Console()
        if not console.is_terminal:  # a log file or a pipe: keep one row per extractor
            console = Console(width=220)
    table = Table(title="boilerbench — comparison (macro means over pages)", title_justify="left")
    for column in COMPARISON_HEADER:
        table.add_column(column, justify="left" if column in {"extractor", "version"} else "right")
    for row in comparison_rows(summary):
        table.add_row(*(str(c) for c in row))
    console.print(table)


@click.command("run")
@corpus_option
@click.option("--dataset", "datasets", multiple=True, metavar="NAME|KIND:PATH",
              help="Run on a public dataset instead: a name from `boilerbench datasets list` (downloaded with "
                   "`datasets get`), bundled, or KIND:PATH (aeb, naeb, l3s-gn1, webmainbench, snippets, cleaneval, "
                   "readability, plain). Repeatable: one run folder per set, then a page comparing them.")
@click.option("--sample", type=click.IntRange(min=1), default=None, metavar="N",
              help="Run a seeded sample of N pages per set, stratified by language and era (else by site).")
@click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where `datasets get` put the sets (default: $BOILERBENCH_DATA_DIR, else "
                   "$XDG_DATA_HOME/boilerbench/datasets).")
@click.option("--extractors", "extractor_names", default=None, metavar="A,B",
              help="Comma-separated names or module:function specs (default: the four required + baselines, "
                   "plus the extractors of --config). Commas inside quotes do not split a cmd:/jsonl: item.")
@click.option("--extractor-cmd", "extractor_cmds", multiple=True, metavar="NAME=COMMAND",
              help="An external extractor: COMMAND reads a page's HTML on stdin and writes its text on stdout; "
                   "prefix it with jsonl: for one long-lived process speaking JSON lines. Repeatable; always run.")
@click.option("--version-cmd", "version_cmds", multiple=True, metavar="NAME=COMMAND",
              help="A command printing the version of external extractor NAME (recorded, keys the cache). "
                   "Repeatable.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="A TOML file defining external extractors as [extractors.NAME] tables "
                   "(command, mode, version_cmd or version, input, network).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU cores).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds one extractor call may take before its worker is killed.")
@click.option("--memory-mb", type=click.IntRange(min=64), default=4096, show_default=True,
              help="Cap on each worker's address space (RLIMIT_AS), commands it starts included; "
                   "JVM- or V8-based external extractors need 4096 or more.")
@click.option("--max-output-mb", type=click.IntRange(min=1), default=20, show_default=True,
              help="Longest text one extractor call may return, in MB of UTF-8; a longer one is not kept and "
                   "records error: output too large (N bytes).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where workers run: this machine, or a Dask distributed cluster (pip install boilerbench[dask]).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="The Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Results folder (default: results/ beside the corpus).")
@click.option("--seed", type=int, default=None, help="Bootstrap seed (stored with the run).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where finished pairs are cached (default: the user cache dir).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--no-report", is_flag=True,
              help="Write the tables only; render report.md/html later with `boilerbench report RUN_DIR`.")
@click.option("--quiet", is_flag=True, help="No progress display.")
def run_command(corpus: Path | None, datasets: tuple[str, ...], sample: int | None, data_dir: Path | None,
                extractor_names: str | None,
                extractor_cmds: tuple[str, ...], version_cmds: tuple[str, ...], config_path: Path | None,
                jobs: int | None, timeout: float, memory_mb: int, max_output_mb: int, executor: str,
                scheduler: str | None,
                out: Path | None, seed: int | None, cache_dir: Path | None, no_cache: bool, no_report: bool,
                quiet: bool) -> int:
    """Benchmark extractors on the bundled corpus (or --corpus / --dataset) and write a report."""
    from rich.console import Console

    from benchmark.pipeline import DEFAULT_SEED, run_benchmark

    console = Console(stderr=True)
    specs = _selected_specs(extractor_names, extractor_cmds, version_cmds, config_path)
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (the Dask scheduler to send tasks to)")

    seed = DEFAULT_SEED if seed is None else seed
    targets = load_targets(corpus, datasets, out=out, data_dir=data_dir, sample=sample, seed=seed)

    cache = None
    if not no_cache:
        from benchmark.run.cache import CACHE_FILENAME, Cache

        cache = Cache(cache_dir / CACHE_FILENAME if cache_dir else None,
                      on_notice=lambda notice: click.echo(f"warning: {notice}", err=True))
    jobs = jobs or os.cpu_count() or 1
    run_dirs = []
    for target in targets:
        loaded = target.corpus
        if len(targets) > 1:
            click.echo(f"— {loaded.name}: {len(loaded.pages)} pages", err=True)
        total = len(specs) * len(loaded.pages)
        with _progress(console, total, quiet) as advance:
            result = run_benchmark(loaded, specs, out_root=target.out, jobs=jobs, timeout=timeout,
                                   memory_mb=memory_mb, max_output_bytes=max_output_mb * 1024 * 1024,
                                   executor=executor, scheduler=scheduler, seed=seed, cache=cache,
                                   on_extraction=advance, reports=not no_report)
        print_summary(result.summary)
        written = "summary.csv, scores.csv" if no_report else "report.md, report.html, summary.csv, scores.csv"
        click.echo(f"Wrote {result.run_dir} ({written}) in "
                   f"{result.meta['elapsed_s']:.1f} s.")
        if result.interrupted:
            click.echo("Interrupted: finished pairs are kept in the cache; run the same command again to resume.",
                       err=True)
            return 130
        run_dirs.append(result.run_dir)
        if target.updates_latest:
            from benchmark.results import update_latest

            update_latest(result.run_dir, target.out / "latest")
            click.echo(f"Updated {target.out / 'latest'}.")
    if len(run_dirs) > 1:
        for path in write_several_runs_page(run_dirs, targets[0].out):
            click.echo(f"Wrote {path} (the {len(run_dirs)} sets side by side).")
    return 0


def _selected_specs(extractor_names: str | None, extractor_cmds: tuple[str, ...], version_cmds: tuple[str, ...],
                    config_path: Path | None) -> list:
    """The specs to run: --extractors (or the defaults), the config file's and --extractor-cmd's commands."""
    from benchmark.extractors.config import ConfigError, external_definitions, run_names, split_extractor_names
    from benchmark.extractors.registry import UnknownExtractorError, default_names, resolve

    selected = None
    try:
        defined, cli_names = external_definitions(extractor_cmds, version_cmds, config_path)
        selected = split_extractor_names(extractor_names) if extractor_names else None
        specs = resolve(run_names(selected, default_names(), defined, cli_names), extra=defined)
    except (ConfigError, UnknownExtractorError) as exc:
        hint = ""
        if isinstance(exc, UnknownExtractorError) and any(n.startswith(("cmd:", "jsonl:")) for n in selected or ()):
            hint = ("\n(--extractors splits on commas: quote a comma that belongs to a cmd:/jsonl: command, "
                    "or define the command with --extractor-cmd NAME=COMMAND)")
        raise click.UsageError(str(exc) + hint) from None
    for spec in specs:
        if spec.kind == "external" and spec.name in defined and spec.options.get("version") is None:
            click.echo(f"warning: no version for {spec.name}: give --version-cmd (or version in the config) "
                       "so results and the cache tell versions apart", err=True)
    return specs


class _progress:
    """A rich progress bar with rate and time left, fed one extraction at a time."""

    def __init__(self, console, total: int, quiet: bool) -> None:
        self.console, self.total, self.quiet = console, total, quiet
        self._progress = None

    def __enter__(self):
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        if self.quiet:
            return lambda extraction: None
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[rate]}"),
                                  TimeElapsedColumn(), TimeRemainingColumn(), console=self.console,
                                  transient=False)
        self._progress.__enter__()
        task = self._progress.add_task("extracting", total=self.total, rate="")

        def advance(extraction) -> None:
            speed = self._progress.tasks[0].speed
            self._progress.update(task, advance=1, rate=f"{speed:.1f} pairs/s" if speed else "",
                                  description=f"{extraction.extractor:>18}")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
