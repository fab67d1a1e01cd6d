"""`boilerbench run`: every extractor on every page, scored, tabulated and reported."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from benchmark.commands.options import corpus_option, resolve_corpus_root
from benchmark.commands.run_sets import load_targets, write_several_runs_page
from benchmark.commands.terminal import FORMATS, MACHINE_FORMATS
from benchmark.run.runner import DEFAULT_LOAD_TIMEOUT


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
                   "plus the extractors of --config); 'all' for every known extractor, 'installed' for every "
                   "one installed here. Commas inside quotes do not split a cmd:/jsonl: item.")
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
@click.option("--load-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_LOAD_TIMEOUT, show_default=True,
              help="Start-up allowance: seconds more for an extractor's first page in each worker (interpreter "
                   "start, import, warm-up); a tool that hangs from the start is reported after --timeout plus "
                   "this.")
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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="The comparison on stdout: a table that fits 100 columns, every column (wide), or the whole "
                   "summary as csv, json or markdown (other messages then go to stderr).")
@click.option("--rerun", is_flag=True,
              help="Write a new run folder even when the newest one in --out already holds this run (same pages, "
                   "gold, extractors and code, settings and harness, every pair cached); without it such a run "
                   "is answered by that folder, with nothing run or rendered.")
@click.option("--quiet", is_flag=True, help="No progress display.")
def run_command(corpus: Path | None, datasets: tuple[str, ...], sample: int | None, data_dir: Path | None,
                extractor_names: str | None,
                extractor_cmds: tuple[str, ...], version_cmds: tuple[str, ...], config_path: Path | None,
                jobs: int | None, timeout: float, load_timeout: float, memory_mb: int, max_output_mb: int,
                executor: str, scheduler: str | None, out: Path | None, seed: int | None, cache_dir: Path | None,
                no_cache: bool, no_report: bool, fmt: str, rerun: bool, quiet: bool) -> int:
    """Benchmark extractors on the bundled corpus (or --corpus / --dataset) and write a report."""
    from benchmark.run.runner import Runner

    specs = _selected_specs(extractor_names, extractor_cmds, version_cmds, config_path)
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (the Dask scheduler to send tasks to)")
    if corpus is not None:
        resolve_corpus_root(corpus)  # a folder that is not there: say so before any worker starts
    cache = _open_cache(cache_dir, no_cache)
    jobs = jobs or os.cpu_count() or 1
    settings = dict(jobs=jobs, timeout=timeout, memory_mb=memory_mb, cache=cache, executor=executor,
                    scheduler=scheduler, load_timeout=load_timeout, max_output_bytes=max_output_mb * 1024 * 1024)
    # workers start importing the first extractor now, while the harness reads the corpus (cold runs)
    runner: Runner | None = Runner(specs, **settings)
    try:
        runner.start()
        # the rest of the harness is imported while the workers start
        from rich.console import Console

        from benchmark.commands.terminal import Progress, RunLog
        from benchmark.commands.unchanged_run import answer_unchanged, find_unchanged_run
        from benchmark.pipeline import DEFAULT_SEED, run_benchmark

        seed = DEFAULT_SEED if seed is None else seed
        _check_plugins(specs, load_timeout, memory_mb)
        targets = load_targets(corpus, datasets, out=out, data_dir=data_dir, sample=sample, seed=seed)
    except BaseException:
        runner.close()
        raise
    console = Console(stderr=True)
    machine = fmt in MACHINE_FORMATS
    run_dirs = []
    for target in targets:
        loaded = target.corpus
        if len(targets) > 1:
            click.echo(f"— {loaded.name}: {len(loaded.pages)} pages", err=True)
        latest = target.out / "latest" if target.updates_latest and _is_default_run(specs) else None
        runner = runner or Runner(specs, **settings)
        if cache is not None and executor == "local" and not rerun:
            try:
                unchanged = find_unchanged_run(target, specs, runner, cache, settings, seed, reports=not no_report)
            except BaseException:
                runner.close()
                raise
            if unchanged is not None:
                runner.close()
                runner = None
                answer_unchanged(unchanged, fmt, reports=not no_report, latest=latest)
                run_dirs.append(unchanged.run_dir)
                continue
        log = RunLog()
        with Progress(console, len(specs) * len(loaded.pages), quiet) as advance:
            def on_extraction(extraction, log=log, advance=advance) -> None:
                log.add(extraction)
                advance(extraction)

            result = run_benchmark(loaded, specs, out_root=target.out, seed=seed, on_extraction=on_extraction,
                                   reports=False, runner=runner, **settings)
        runner = None  # this set's runner is closed now; each later set gets its own
        code = _finish(result, log, fmt, no_report=no_report, quiet=quiet, console=console, latest=latest,
                       skipped_latest=target.updates_latest)
        if code != 0:
            return code
        run_dirs.append(result.run_dir)
    if len(run_dirs) > 1:
        for path in write_several_runs_page(run_dirs, targets[0].out):
            click.echo(f"Wrote {path} (the {len(run_dirs)} sets side by side).", err=machine)
    return 0


def _open_cache(cache_dir: Path | None, no_cache: bool):
    if no_cache:
        return None
    from benchmark.run.cache import CACHE_FILENAME, Cache

    return Cache(cache_dir / CACHE_FILENAME if cache_dir else None,
                 on_notice=lambda notice: click.echo(f"warning: {notice}", err=True))


def _finish(result, log, fmt: str, *, no_report: bool, quiet: bool, console, latest: Path | None,
            skipped_latest: bool) -> int:
    """The table, the failures, the reports (with progress; Ctrl-C keeps the run), the closing line."""
    from benchmark.commands.terminal import closing_line, load_warning, print_summary, process_seconds, written_files

    machine = fmt in MACHINE_FORMATS

    def say(text: str) -> None:
        click.echo(text, err=machine)

    print_summary(result.summary, fmt, dict(log.cached), click.echo)
    for line in log.failure_lines():
        click.echo(click.style(f"failures: {line}", fg="red"), err=True)
    warning = load_warning(result.meta.get("load"))
    if warning:
        click.echo(warning, err=True)
    report_s = None
    if result.interrupted:
        say(closing_line(result.run_dir, written_files(reports=False), process_seconds(), result.meta["phases"],
                         None, log))
        click.echo("Interrupted: finished pairs are kept in the cache; run the same command again to resume.",
                   err=True)
        return 130
    if not no_report:
        started = time.perf_counter()
        try:
            _render(result, console, quiet)
        except KeyboardInterrupt:
            click.echo(f"Interrupted while rendering the reports: the run is kept in {result.run_dir} "
                       f"(summary.csv, scores.csv); render them with `boilerbench report {result.run_dir}`.",
                       err=True)
            return 130
        report_s = time.perf_counter() - started
    written = written_files(reports=not no_report)
    say(closing_line(result.run_dir, written, process_seconds(), result.meta["phases"], report_s, log))
    if latest is not None:
        from benchmark.results import update_latest

        update_latest(result.run_dir, latest)
        say(f"Updated {latest}.")
    elif skipped_latest:
        say("results/latest not updated: it mirrors the newest run of the default extractors "
            f"({', '.join(_default_names())}), and this run measured another set.")
    return 0


def _render(result, console, quiet: bool) -> None:
    """report.md, table.tex and report.html, saying which step is under way."""
    from benchmark.report.render import write_reports

    if quiet:
        write_reports(result)
        return
    with console.status("rendering the reports") as status:
        write_reports(result, on_step=lambda step: status.update(f"rendering the reports: {step}"))


def _default_names() -> list[str]:
    from benchmark.extractors.registry import default_names

    return default_names()


def _is_default_run(specs) -> bool:
    """A run of exactly the default extractors: the only kind results/latest mirrors."""
    return sorted(spec.name for spec in specs) == sorted(_default_names())


def _check_plugins(specs, load_timeout: float, memory_mb: int) -> None:
    """A user function that cannot be imported or does not exist is a usage error before any work starts."""
    from benchmark.run.probe import plugin_targets, probe_plugins

    problems = {target: problem for target, problem in
                probe_plugins(plugin_targets(specs), timeout=load_timeout, memory_mb=memory_mb).items() if problem}
    if problems:
        raise click.UsageError("; ".join(f"cannot use extractor {target}: {problem}"
                                         for target, problem in problems.items()))


def _selected_specs(extractor_names: str | None, extractor_cmds: tuple[str, ...], version_cmds: tuple[str, ...],
                    config_path: Path | None) -> list:
    """The specs to run: --extractors (or the defaults, all, installed), the config file's and --extractor-cmd's."""
    from benchmark.extractors.config import ConfigError, external_definitions, run_names, split_extractor_names
    from benchmark.extractors.registry import UnknownExtractorError, default_names, is_installed, known_specs, resolve

    selected = None
    try:
        defined, cli_names = external_definitions(extractor_cmds, version_cmds, config_path)
        selected = split_extractor_names(extractor_names) if extractor_names else None
        if selected in (["all"], ["installed"]):
            known = {**known_specs(), **defined}
            order = default_names() + sorted(name for name in known if name not in default_names())
            selected = [name for name in order if selected == ["all"] or is_installed(known[name])]
        specs = resolve(run_names(selected, default_names(), defined, cli_names), extra=defined)
    except (ConfigError, UnknownExtractorError) as exc:
        hint = ""
        if isinstance(exc, UnknownExtractorError) and any(n.startswith(("cmd:", "jsonl:")) for n in selected or ()):
            hint = ("\n(--extractors splits on commas: quote a comma that belongs to a cmd:/jsonl: command, "
                    "or define the command with --extractor-cmd NAME=COMMAND)")
        raise click.UsageError(str(exc) + hint) from None
    _check_named_code(specs, defined)
    for spec in specs:
        if spec.kind == "external" and spec.name in defined and spec.options.get("version") is None:
            click.echo(f"warning: no version for {spec.name}: give --version-cmd (or version in the config) "
                       "so results and the cache tell versions apart", err=True)
    return specs


def _check_named_code(specs, defined) -> None:
    """A command the user named that is not found, or a plugin module that is not there: usage errors, now."""
    from benchmark.extractors.registry import PLUGIN_TARGET, is_installed
    from benchmark.run.code_identity import module_source

    for spec in specs:
        if spec.kind == "external" and (spec.name in defined or spec.name.startswith(("cmd:", "jsonl:"))):
            if not is_installed(spec):
                program = (spec.options.get("command") or ["?"])[0]
                where = spec.options.get("cwd")
                raise click.UsageError(f"extractor {spec.name}: program {program!r} not found"
                                       + (f" (relative to {where})" if where and os.sep in program else "")
                                       + ": put it on PATH or give its path")
        elif spec.target == PLUGIN_TARGET:
            module = str(spec.options.get("target", "")).split(":", 1)[0]
            if module_source(module) is None and not _importable_elsewhere(module):
                raise click.UsageError(f"extractor {spec.name}: no module {module!r} can be imported from here "
                                       f"(current folder {os.getcwd()}): install its package, run from the "
                                       "folder that holds it, or set PYTHONPATH")


def _importable_elsewhere(module: str) -> bool:
    """A module that is not a plain .py file (an extension, a namespace package) but that find_spec sees."""
    from importlib.util import find_spec

    top = module.split(".")[0]
    try:
        return find_spec(top) is not None and "." not in module and find_spec(module) is not None
    except (ImportError, ValueError):
        return False
