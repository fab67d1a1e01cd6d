"""What `matrix` and `bisect` share: their options, the corpus, the specs and the environment builder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Callable

import click

from benchmark.commands.options import corpus_option, resolve_corpus_root

_OPTIONS = [
    corpus_option,
    click.option("--dataset", "dataset", default=None, metavar="NAME|KIND:PATH",
                 help="Run on a public dataset instead: a downloaded set's name (`boilerbench datasets list`) "
                      "or KIND:PATH."),
    click.option("--extractor", "extractor_names", multiple=True, metavar="NAME",
                 help="The registered extractor (or module:function) to run in each environment; repeatable. "
                      "Default: the built-in adapter of the package."),
    click.option("--python", "python", default=None, metavar="PATH",
                 help="The interpreter the environments are made from (default: the one running boilerbench)."),
    click.option("--installer", type=click.Choice(["auto", "uv", "pip"]), default="auto", show_default=True,
                 help="What builds the environments: uv when it is on PATH, pip otherwise."),
    click.option("--index-url", default=None, metavar="URL", help="Package index to install and list from."),
    click.option("--find-links", multiple=True, metavar="DIR|URL",
                 help="Also look for wheels here (repeatable); with --no-index, only here."),
    click.option("--no-index", is_flag=True, help="Never reach a package index: --find-links only."),
    click.option("--envs-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                 help="Where the environments are kept (default: the user cache dir, boilerbench/envs)."),
    click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU cores)."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
                 help="Seconds one extractor call may take before its worker is killed."),
    click.option("--memory-mb", type=click.IntRange(min=64), default=4096, show_default=True,
                 help="Cap on each worker's address space."),
    click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
                 help="Folder for this matrix (default: a new one under results/ beside the corpus)."),
    click.option("--seed", type=int, default=None, help="Bootstrap seed (stored with every run)."),
    click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                 help="Where finished pairs are cached, one file per environment (default: in each environment)."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    click.option("--quiet", is_flag=True, help="Only the tables, no set-up lines."),
]


def release_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Apply the options `matrix` and `bisect` share."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def load_target(corpus: Path | None, dataset: str | None):
    """The corpus to run on and the folder results go under by default."""
    if dataset:
        from benchmark.corpus.datasets import DatasetError
        from benchmark.registry.local import load_dataset_spec

        try:
            loaded, results_root = load_dataset_spec(dataset), Path("results")
        except DatasetError as exc:
            raise click.UsageError(str(exc)) from None
    else:
        from benchmark.corpus.bundled import load_corpus

        root = resolve_corpus_root(corpus)
        loaded = load_corpus(root, name="bundled" if corpus is None else root.name)
        results_root = root / "results"
    for problem in loaded.problems:
        click.echo(f"warning: {problem}" + (" (page skipped)" if problem.blocks_page else ""), err=True)
    if not loaded.pages:
        raise click.UsageError(f"no page of {loaded.root} can be scored: run `boilerbench validate` "
                               "and fix what it lists")
    return loaded, results_root


def specs_for(package: str, names: tuple[str, ...]) -> list:
    """The specs to run in each environment: the named ones, else the package's own built-in adapter.

    A module:function spec gets the package as its distribution, so the
    version each environment reports (and the cache key) is the package's.
    """
    import dataclasses

    from benchmark.extractors.registry import DEFAULT_NAMES, UnknownExtractorError, known_specs, resolve
    from benchmark.versions.index import canonical

    if names:
        try:
            specs = resolve([n for name in names for n in name.split(",") if n.strip()])
        except UnknownExtractorError as exc:
            raise click.UsageError(str(exc)) from None
        return [dataclasses.replace(spec, distribution=spec.distribution or package)
                if spec.kind != "external" else spec for spec in specs]
    own = [spec for spec in known_specs().values()
           if spec.distribution and canonical(spec.distribution) == canonical(package)]
    main = [spec for spec in own if spec.name in DEFAULT_NAMES] or own[:1]
    if not main:
        raise click.UsageError(f"no built-in adapter runs {package}: name the function that does with "
                               f"--extractor module:function (or a registered extractor name)")
    return main


def index_options(index_url: str | None, find_links: tuple[str, ...], no_index: bool):
    from benchmark.versions.index import IndexOptions

    if no_index and not find_links:
        raise click.UsageError("--no-index needs --find-links DIR: otherwise nothing can be installed")
    return IndexOptions(index_url=index_url, find_links=tuple(str(Path(link).resolve()) if os.path.isdir(link)
                                                              else link for link in find_links), no_index=no_index)


def published(package: str, index, say: Callable[[str], None]) -> list[str]:
    """The package's releases on the index, or a usage error naming what is wrong."""
    from benchmark.versions.index import VersionLookupError, published_versions

    if not index.offline:
        say(f"listing the releases of {package} on {index.describe()} (network)")
    try:
        return published_versions(package, index)
    except VersionLookupError as exc:
        raise click.UsageError(str(exc)) from None


def builder(envs_dir: Path | None, python: str | None, installer: str, index, say: Callable[[str], None]):
    from benchmark.versions.environments import EnvironmentBuilder, installer_available

    if installer == "uv" and not installer_available("uv"):
        raise click.UsageError("--installer uv: uv is not on PATH (pip install uv), or use --installer pip")
    if python is not None and not (Path(python).is_file() and os.access(python, os.X_OK)):
        raise click.UsageError(f"--python {python}: not an executable file")
    return EnvironmentBuilder(envs_dir, python=python, index=index, installer=installer, say=say)


def out_folder(out: Path | None, results_root: Path, kind: str, package: str) -> Path:
    """The folder for this matrix or bisection: --out, or a new one under results/."""
    if out is not None:
        if out.exists() and any(out.iterdir()):
            raise click.UsageError(f"{out}: exists and is not empty; give a new folder with --out")
        return out
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return results_root / f"{kind}-{package}-{stamp}"


def sayer(quiet: bool) -> Callable[[str], None]:
    return (lambda _line: None) if quiet else (lambda line: click.echo(line, err=True))
