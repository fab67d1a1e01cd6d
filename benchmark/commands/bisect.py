"""`boilerbench bisect PACKAGE GOOD BAD [--page ID ...]`: name the first release where the drop appears."""

from __future__ import annotations

import os
from pathlib import Path

import click

from benchmark.commands.release_options import (builder, index_options, load_target, out_folder, published,
                                                release_options, sayer, specs_for)


@click.command("bisect")
@click.argument("package")
@click.argument("good")
@click.argument("bad")
@click.option("--page", "pages", multiple=True, metavar="ID",
              help="Bisect on these pages' F1 (repeatable) instead of the mean F1.")
@click.option("--with", "with_pins", multiple=True, metavar="DEP==X",
              help="Hold a dependency at one release in every environment (repeatable), e.g. --with lxml==5.4.0.")
@click.option("--pre", is_flag=True, help="Include pre-releases between GOOD and BAD.")
@release_options
def bisect_command(package: str, good: str, bad: str, pages: tuple[str, ...], with_pins: tuple[str, ...],
                   pre: bool, corpus: Path | None, dataset: str | None, extractor_names: tuple[str, ...],
                   python: str | None, installer: str, index_url: str | None, find_links: tuple[str, ...],
                   no_index: bool, envs_dir: Path | None, jobs: int | None, timeout: float, memory_mb: int,
                   out: Path | None, seed: int | None, cache_dir: Path | None, no_cache: bool, quiet: bool) -> int:
    """Find the first release of PACKAGE between GOOD and BAD whose F1 dropped (exit 1 when BAD did not drop)."""
    from benchmark.commands.matrix import parse_axes, write_matrix_reports
    from benchmark.gate import MEAN_F1_TOLERANCE, PAGE_F1_TOLERANCE
    from benchmark.pipeline import DEFAULT_BOOTSTRAP, DEFAULT_SEED
    from benchmark.versions.analysis import load_cell
    from benchmark.versions.bisect import Verdict, is_bad, search
    from benchmark.versions.combinations import Combination, Pin
    from benchmark.versions.index import VersionLookupError, between, canonical, check_versions, version_key
    from benchmark.versions.matrix import MATRIX_SCHEMA, run_combination

    say = sayer(quiet)
    index = index_options(index_url, find_links, no_index)
    releases_all = published(package, index, say)
    try:
        check_versions(package, [good, bad], releases_all)
    except VersionLookupError as exc:
        raise click.UsageError(str(exc)) from None
    if version_key(good) >= version_key(bad):
        raise click.UsageError(f"GOOD {good} is not older than BAD {bad}: give the release that was fine first")
    if any(canonical(pin.partition("==")[0]) == canonical(package) for pin in with_pins):
        raise click.UsageError(f"{package} is the package being bisected; --with names its dependencies")
    fixed = parse_axes(with_pins, index, say)
    if any(len(axis.versions) != 1 for axis in fixed):
        raise click.UsageError("bisect holds each --with dependency at one release: give DEP==X")
    releases = between(releases_all, good, bad, pre=pre)
    specs = specs_for(package, extractor_names)
    if len(specs) != 1:
        raise click.UsageError("bisect follows one extractor: give one --extractor")
    extractor = specs[0].name
    loaded, results_root = load_target(corpus, dataset)
    unknown = sorted(set(pages) - {page.page_id for page in loaded.pages})
    if unknown:
        raise click.UsageError(f"--page {', '.join(unknown)}: not a page of {loaded.root}")
    envs = builder(envs_dir, python, installer, index, say)
    folder = out_folder(out, results_root, "bisect", package)
    folder.mkdir(parents=True, exist_ok=True)
    seed = DEFAULT_SEED if seed is None else seed
    say(f"{len(releases)} releases of {package} from {good} to {bad}: {', '.join(releases)}")
    cells: dict[str, dict] = {}
    runs: dict[str, dict] = {}

    def judge(version: str) -> Verdict:
        combo = Combination((Pin(package, version),) + tuple(Pin(a.package, a.versions[0]) for a in fixed))
        cells[version] = run_combination(loaded, specs, combo, builder=envs, out_dir=folder,
                                         jobs=jobs or os.cpu_count() or 1, timeout=timeout, memory_mb=memory_mb,
                                         seed=seed, n_boot=DEFAULT_BOOTSTRAP, cache_dir=cache_dir,
                                         use_cache=not no_cache, say=say)
        if cells[version].get("interrupted"):  # Ctrl-C: finished pairs are in the venv's cache
            raise click.exceptions.Abort()
        data = load_cell(folder, cells[version])
        if data is None:
            if version in (good, bad):
                raise click.ClickException(f"{package} {version} could not be built, so there is nothing to "
                                           f"compare against: {cells[version]['environment']['message']}")
            return Verdict(version, built=False, reason=cells[version]["environment"]["message"])
        runs[version] = data
        if version == good:
            return Verdict(version, built=True)
        bad_now, reason = is_bad(runs[good], data, extractor, pages=pages, mean_tolerance=MEAN_F1_TOLERANCE,
                                 page_tolerance=PAGE_F1_TOLERANCE)
        say(f"{package} {version}: {'bad' if bad_now else 'good'} ({reason})")
        return Verdict(version, built=True, bad=bad_now, reason=reason)

    outcome = search(releases, judge)
    evaluated = sorted(cells, key=version_key)
    matrix = {"schema_version": MATRIX_SCHEMA, "kind": "matrix",
              "axes": [{"package": package, "versions": evaluated}] + [
                  {"package": a.package, "versions": list(a.versions)} for a in fixed],
              "extractors": [extractor],
              "corpus": {"name": loaded.name, "root": loaded.root, "digest": loaded.digest,
                         "pages": len(loaded.pages),
                         "provenance": loaded.provenance.as_dict() if loaded.provenance else None},
              "seed": seed, "bootstrap_resamples": DEFAULT_BOOTSTRAP,
              "python": envs.identity(Combination((Pin(package, good),)))["python_version"],
              "cells": [cells[v] for v in evaluated],
              "bisect": {"good": good, "bad": bad, "releases": releases, "pages": list(pages),
                         "last_good": outcome.last_good, "first_bad": outcome.first_bad,
                         "skipped": outcome.skipped, "no_drop": outcome.no_drop,
                         "verdicts": {v: {"built": x.built, "bad": x.bad, "reason": x.reason}
                                      for v, x in outcome.verdicts.items()}}}
    matrix = write_matrix_reports(folder, matrix, group_by="era")
    return _report(matrix, outcome, package, extractor, folder)


def _report(matrix: dict, outcome, package: str, extractor: str, folder: Path) -> int:
    """Print the release, the delta with its interval and the pages that flipped; 1 when there was no drop."""
    if outcome.no_drop:
        reason = outcome.verdicts[outcome.releases[-1]].reason
        click.echo(f"No drop: {package} {outcome.releases[-1]} is not worse than {outcome.releases[0]} "
                   f"by the gate's tolerances ({reason}). Wrote {folder}.")
        return 1
    slug = {cell["label"].split(", ")[0]: cell["slug"] for cell in matrix["cells"]}
    older, newer = slug[f"{package} {outcome.last_good}"], slug[f"{package} {outcome.first_bad}"]
    step = next((s for s in matrix["steps"] if s["older"] == older and s["newer"] == newer), None)
    range_note = f" (could not build {', '.join(outcome.skipped)} in between)" if outcome.skipped else ""
    click.echo(f"First bad release: {package} {outcome.first_bad} (last good: {outcome.last_good}){range_note}")
    click.echo(f"  against GOOD {outcome.releases[0]}: {outcome.verdicts[outcome.first_bad].reason}")
    if step is not None:
        reading = "significant" if step["significant"] else "interval crosses zero: not significant over pages"
        click.echo(f"  {extractor} mean F1 {step['mean_older']:.3f} → {step['mean_newer']:.3f}: "
                   f"ΔF1 {step['delta']:+.3f} [{step['low']:+.3f}, {step['high']:+.3f}] "
                   f"(paired bootstrap over {step['pages']} pages; {reading})")
    flips = [f for f in matrix["flipped"] if f["older"] == older and f["newer"] == newer]
    click.echo(f"  pages that flipped from {outcome.last_good} to {outcome.first_bad} "
               f"(|ΔF1| > {matrix['page_tolerance']:g}):" + (" none" if not flips else ""))
    for flip in flips:
        click.echo(f"    {flip['page_id']}: {flip['f1_older']:.3f} → {flip['f1_newer']:.3f} ({flip['delta']:+.3f})")
    click.echo(f"Wrote {folder} (matrix.json, matrix.md, matrix.html with the diffs, runs/).")
    return 0
