"""`boilerbench matrix PKG==V1,V2 [--with DEP==A,B]`: one run per combination of releases, and what changed."""

from __future__ import annotations

import os
from pathlib import Path

import click

from benchmark.commands.release_options import (builder, index_options, load_target, out_folder, published,
                                                release_options, sayer, specs_for)


def parse_axes(arguments: tuple[str, ...], index, say) -> list:
    """One axis per package, versions checked against the index and ordered oldest first."""
    from benchmark.versions.index import VersionLookupError, canonical, check_versions, parse_pins
    from benchmark.versions.matrix import Axis

    axes = []
    seen: set[str] = set()
    for argument in arguments:
        try:
            package, versions = parse_pins(argument)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if canonical(package) in seen:
            raise click.UsageError(f"{package} is named twice; give all its versions in one PKG==A,B")
        seen.add(canonical(package))
        try:
            ordered = check_versions(package, versions, published(package, index, say))
        except VersionLookupError as exc:
            raise click.UsageError(str(exc)) from None
        axes.append(Axis(package, tuple(ordered)))
    return axes


@click.command("matrix")
@click.argument("target", metavar="PACKAGE==V1,V2,...")
@click.option("--with", "with_pins", multiple=True, metavar="DEP==A,B",
              help="Cross with a dependency's releases (repeatable), e.g. --with lxml==5.4.0,6.1.3.")
@click.option("--group-by", default="era", show_default=True,
              help="pages.csv column the trend chart groups pages by (era, language, site, layout ...).")
@release_options
def matrix_command(target: str, with_pins: tuple[str, ...], group_by: str, corpus: Path | None,
                   dataset: str | None, extractor_names: tuple[str, ...], python: str | None, installer: str,
                   index_url: str | None, find_links: tuple[str, ...], no_index: bool, envs_dir: Path | None,
                   jobs: int | None, timeout: float, memory_mb: int, out: Path | None, seed: int | None,
                   cache_dir: Path | None, no_cache: bool, quiet: bool) -> int:
    """Run an extractor's releases (crossed with dependencies') each in its own environment, and compare."""
    from benchmark.pipeline import DEFAULT_BOOTSTRAP, DEFAULT_SEED
    from benchmark.report.matrix_markdown import print_matrix
    from benchmark.versions.matrix import run_matrix

    say = sayer(quiet)
    index = index_options(index_url, find_links, no_index)
    axes = parse_axes((target, *with_pins), index, say)
    specs = specs_for(axes[0].package, extractor_names)
    loaded, results_root = load_target(corpus, dataset)
    envs = builder(envs_dir, python, installer, index, say)
    folder = out_folder(out, results_root, "matrix", axes[0].package)
    matrix = run_matrix(loaded, specs, axes, builder=envs, out_dir=folder, jobs=jobs or os.cpu_count() or 1,
                        timeout=timeout, memory_mb=memory_mb, seed=DEFAULT_SEED if seed is None else seed,
                        n_boot=DEFAULT_BOOTSTRAP, cache_dir=cache_dir, use_cache=not no_cache, say=say)
    if any(cell.get("interrupted") for cell in matrix["cells"]):
        click.echo(f"Interrupted: finished pairs are kept in each environment's cache; run the same command "
                   f"again (with a new --out) to resume. Partial runs are in {folder}.", err=True)
        return 130
    matrix = write_matrix_reports(folder, matrix, group_by=group_by)
    print_matrix(matrix)
    click.echo(f"Wrote {folder} (matrix.json, matrix.md, matrix.html, one run per combination under runs/).")
    return 0


def write_matrix_reports(folder: Path, matrix: dict, *, group_by: str) -> dict:
    """Analyse the runs, then write matrix.json, matrix.md and matrix.html; the analysed matrix."""
    from benchmark.report.matrix_html import write_matrix_html
    from benchmark.report.matrix_markdown import matrix_markdown
    from benchmark.results import atomic_write_text
    from benchmark.versions.analysis import analyse
    from benchmark.versions.matrix import write_matrix

    matrix = analyse(matrix, folder, group_by=group_by)
    write_matrix(folder, matrix)
    atomic_write_text(folder / "matrix.md", matrix_markdown(matrix))
    write_matrix_html(folder, matrix)
    return matrix
