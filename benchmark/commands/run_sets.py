"""What `boilerbench run` runs on: the corpus, or each `--dataset` in turn (`--sample N`), and the page over them.

All sets are loaded (and their problems printed) before the first extractor
starts, so a set that is missing stops the command before any work, with the
command that fetches it. After a run over several sets, the several-runs page
(`boilerbench report RUN RUN ... --out FILE`) is written over all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import click

from benchmark.records import Corpus


@dataclass(frozen=True)
class RunTarget:
    """One corpus to run, where its run folder goes, and whether it refreshes results/latest."""

    corpus: Corpus
    out: Path
    updates_latest: bool = False


def load_targets(corpus: Path | None, datasets: tuple[str, ...], *, out: Path | None, data_dir: Path | None,
                 sample: int | None, seed: int) -> list[RunTarget]:
    """Every corpus the command will run, loaded and checked up front; a usage error names what is wrong."""
    from benchmark.commands.options import resolve_corpus_root
    from benchmark.corpus.datasets import DatasetError
    from benchmark.corpus.sampling import sample_corpus
    from benchmark.registry.local import load_dataset_spec

    if corpus is not None and datasets:
        raise click.UsageError("give --corpus DIR or --dataset (repeatable), not both")
    targets: list[RunTarget] = []
    if datasets:
        if len(set(datasets)) < len(datasets):
            raise click.UsageError("a --dataset is given twice: each set runs once")
        for spec in datasets:
            try:
                loaded = load_dataset_spec(spec, data_dir)
            except DatasetError as exc:
                raise click.UsageError(str(exc)) from None
            targets.append(RunTarget(loaded, out or Path("results")))
    else:
        from benchmark.corpus.bundled import load_corpus

        root = resolve_corpus_root(corpus)
        loaded = load_corpus(root, name="bundled" if corpus is None else root.name)
        targets.append(RunTarget(loaded, out or root / "results", updates_latest=corpus is None and sample is None))
    for target in targets:
        for problem in target.corpus.problems:
            click.echo(f"warning: {problem}" + (" (page skipped)" if problem.blocks_page else ""), err=True)
        if not target.corpus.pages:
            raise click.UsageError(f"no page of {target.corpus.root} can be scored: run `boilerbench validate` "
                                   "and fix what it lists")
    if sample is not None:
        targets = [RunTarget(sample_corpus(t.corpus, sample, seed), t.out, t.updates_latest) for t in targets]
    return targets


def write_several_runs_page(run_dirs: list[Path], out: Path) -> list[Path]:
    """The several-runs page over the runs just made (extractor x dataset table, rank agreement), HTML and Markdown."""
    from benchmark.report.multirun import write_multirun
    from benchmark.results import corpus_part

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    names = "+".join(corpus_part(run_dir.name) for run_dir in run_dirs)[:80]
    written = []
    for suffix in (".html", ".md"):
        path = out / f"{stamp}-sets-{names}{suffix}"
        write_multirun(run_dirs, path)
        written.append(path)
    return written
