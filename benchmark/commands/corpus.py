"""`boilerbench corpus stats`: a corpus's weight and structure, side by side with real pages'.

    boilerbench corpus stats [--corpus DIR | --dataset KIND:PATH] [--against KIND:PATH ...]
                             [--format table|csv|json]

Per page (benchmark.corpus.stats) and summarised per corpus as median
[p10-p90], or as the share of pages for yes/no figures
(benchmark.corpus.ranges). `table` prints the summaries side by side with
the body-container class vocabulary and, for the bundled corpus, its
template and era spread; `csv` one summary row per corpus and statistic;
`json` all of it plus every page's figures.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Sequence

import click

from benchmark.commands.options import corpus_option
from benchmark.corpus.weights import CorpusWeight

FORMATS = ("table", "csv", "json")
#: body-container class names shown in the table (json keeps TOP_CLASSES_JSON)
TOP_CLASSES_TABLE, TOP_CLASSES_JSON = 6, 30


class CorpusStatsError(click.ClickException):
    """Bad input for `corpus stats`: exit 2 with a message that says what to do."""

    exit_code = 2


@click.group("corpus")
def corpus_command() -> None:
    """Look at a corpus as a whole: its weight and structure against real pages."""


def _weigh(corpus: Path | None, dataset: str | None) -> CorpusWeight:
    from benchmark.commands.options import resolve_corpus_root
    from benchmark.corpus.bundled import bundled_root
    from benchmark.corpus.datasets import DatasetError
    from benchmark.corpus.weighing import open_source, weigh

    try:
        if dataset is not None:
            return _weigh_with_progress(open_source(dataset=dataset), weigh)
        root = resolve_corpus_root(corpus)
        weight = _weigh_with_progress(open_source(corpus_dir=root), weigh)
    except DatasetError as exc:
        raise CorpusStatsError(str(exc)) from None
    checkout = bundled_root()
    if checkout is not None and root.resolve() == checkout.resolve():
        weight = dataclasses.replace(weight, name="bundled")
    return weight


def _weigh_with_progress(source, weigh) -> CorpusWeight:
    """Weigh a source, counting pages on stderr while it runs (a 1,000-page dataset takes a minute)."""
    import sys

    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("weighing {task.description}"), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(source.name, total=None)
        return weigh(source, progress=lambda _page_id: bar.advance(task))


def _cell(summary, digits: int) -> str:
    if summary.n == 0:
        return "–"
    if summary.share is not None:
        return f"{summary.share:.0%}"
    return f"{summary.median:,.{digits}f} [{summary.p10:,.{digits}f}–{summary.p90:,.{digits}f}]"


def _print_table(weights: Sequence[CorpusWeight]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from benchmark.corpus.ranges import STATISTICS

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    table = Table(title=escape("Corpus weight and structure: median [p10–p90], or share of pages"),
                  title_justify="left")
    table.add_column("statistic")
    for weight in weights:
        table.add_column(f"{weight.name} ({len(weight.pages)}, {weight.kind})", justify="right")
    for statistic in STATISTICS:
        table.add_row(escape(statistic.label),
                      *(escape(_cell(w.summaries[statistic.key], statistic.digits)) for w in weights))
    table.add_row("body-container class names, distinct", *(str(len(w.body_class_counts)) for w in weights))
    console.print(table)
    for weight in weights:
        top = ", ".join(f"{name} ({count})" for name, count in weight.body_class_counts[:TOP_CLASSES_TABLE])
        console.print(escape(f"{weight.name}: body-container classes, most common: {top or '–'}"), highlight=False)
        if weight.templates:
            spread = ", ".join(f"{name} {count}" for name, count in weight.templates.items())
            console.print(f"{weight.name}: templates ({len(weight.templates)}): {spread}", highlight=False)
            console.print(f"{weight.name}: eras: " + ", ".join(f"{era} {n}" for era, n in weight.eras.items()),
                          highlight=False)


def _csv(weights: Sequence[CorpusWeight]) -> str:
    import pandas as pd

    from benchmark.corpus.ranges import STATISTICS

    rows = []
    for weight in weights:
        for statistic in STATISTICS:
            summary = weight.summaries[statistic.key]
            rows.append({"corpus": weight.name, "statistic": statistic.key, "label": statistic.label,
                         "n": summary.n, **{name: None if getattr(summary, name) is None
                                            else round(getattr(summary, name), 4)
                                            for name in ("median", "p10", "p90", "share")}})
    return pd.DataFrame(rows).to_csv(index=False)


def weight_json(weight: CorpusWeight) -> dict:
    """One corpus as `--format json` writes it (the shipped reference ranges copy its `statistics`)."""
    from benchmark.corpus.ranges import summary_dict

    return {
        "name": weight.name, "kind": weight.kind, "pages": len(weight.pages),
        "statistics": {key: summary_dict(summary) for key, summary in weight.summaries.items()},
        "body_classes": {"distinct": len(weight.body_class_counts),
                         "top": [list(item) for item in weight.body_class_counts[:TOP_CLASSES_JSON]]},
        "templates": dict(weight.templates), "eras": dict(weight.eras),
        "per_page": [dataclasses.asdict(page) for page in weight.pages],
        "problems": [str(problem) for problem in weight.problems],
    }


@corpus_command.command("stats")
@corpus_option
@click.option("--dataset", default=None, metavar="KIND:PATH",
              help="Measure a public dataset where it lies (aeb, snippets, cleaneval, readability, plain, bundled).")
@click.option("--against", "against", multiple=True, metavar="KIND:PATH",
              help="Also measure this dataset and show it side by side (repeatable), e.g. aeb:../shared/datasets/aeb.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def stats_command(corpus: Path | None, dataset: str | None, against: Sequence[str], fmt: str) -> int:
    """Weight and structure per page, summarised as median [p10-p90] per corpus, side by side."""
    if corpus is not None and dataset is not None:
        raise click.UsageError("give --corpus DIR or --dataset KIND:PATH, not both")
    weights = [_weigh(corpus, dataset)] + [_weigh(None, spec) for spec in against]
    for weight in weights:
        for problem in weight.problems:
            click.echo(f"warning: {problem}", err=True)
    empty = [w.name for w in weights if not w.pages]
    if empty:
        raise CorpusStatsError(f"no page of {', '.join(empty)} could be read: see the warnings above")
    if fmt == "json":
        click.echo(json.dumps({"corpora": [weight_json(w) for w in weights]}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(_csv(weights), nl=False)
    else:
        _print_table(weights)
    return 0
