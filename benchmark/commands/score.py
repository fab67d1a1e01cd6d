"""`boilerbench score`: score predictions made elsewhere, or re-score a stored run, with any metric.

Two sources, one scoring path (`score_extractions`):

* ``--dataset KIND:PATH --predictions FILE``: an extractor run anywhere (Go,
  Rust, JavaScript, another harness) against a public dataset's gold; FILE
  is AEB-style JSON or JSON lines (benchmark.score.predictions);
* ``--run RUN_DIR``: the outputs (extractions.jsonl) and golds (golds.jsonl)
  of a finished run, per extractor, without running any extractor.

Metrics, what each row averages and the scoring itself: benchmark.score.by_metric.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import click

from benchmark.records import Extraction, Gold, Outcome
from benchmark.score.by_metric import DEFINITIONS, METRICS, default_metric, has_gold, score_extractions

FORMATS = ("table", "json", "csv")


class ScoreError(click.ClickException):
    """Bad input for `score`: exit 2 with a message that says what to do."""

    exit_code = 2


# --------------------------------------------------------------------------- checks


def _require_gold(metric: str, golds: Mapping[str, Gold], where: str) -> None:
    if any(has_gold(metric, g) for g in golds.values()):
        return
    if metric == "snippet":
        raise ScoreError(f"{where} has no snippet gold (no page lists with/without snippets): "
                         "use --metric token, lcs, aeb or rouge")
    raise ScoreError(f"{where} has no body gold (a snippet set?): use --metric snippet")


# --------------------------------------------------------------------------- output


def _clean(value: Any) -> Any:
    """JSON-safe: NaN becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(metric: str, rows: Sequence[dict[str, Any]], title: str, notes: Sequence[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    table = Table(title=title, title_justify="left", caption=DEFINITIONS[metric], caption_justify="left")
    columns = ["extractor", "version", "pages"]
    if metric == "aeb":
        columns += ["F1 ± 1.96 sd", "precision", "recall", "accuracy"]
    elif metric == "snippet":
        columns += ["F1", "precision", "recall", "accuracy", "tp", "fn", "fp", "tn"]
    else:
        columns += ["F1 [95% CI]", "precision", "recall"]
    columns.append("failures")
    for column in columns:
        table.add_column(column, justify="left" if column in {"extractor", "version"} else "right")
    for row in rows:
        if metric == "aeb":
            spread = f" ± {1.96 * row['f1_std']:.3f}" if row.get("f1_std") is not None else ""
            f1 = f"{_fmt(row['f1'])}{spread}"
        elif metric == "snippet":
            f1 = _fmt(row["f1"])
        else:
            interval = (f" [{_fmt(row['f1_ci_low'])}, {_fmt(row['f1_ci_high'])}]"
                        if "f1_ci_low" in row else "")
            f1 = f"{_fmt(row['f1'])}{interval}"
        cells = [row["extractor"], row.get("version") or "–", str(row["n_pages"]), f1,
                 _fmt(row["precision"]), _fmt(row["recall"])]
        if metric in ("aeb", "snippet"):
            cells.append(_fmt(row["accuracy"]))
        if metric == "snippet":
            cells += [str(row[k]) for k in ("tp", "fn", "fp", "tn")]
        cells.append(str(row["failures"]))
        table.add_row(*cells)
    console.print(table)
    for note in notes:
        click.echo(note)


def _csv(rows: Sequence[dict[str, Any]]) -> None:
    import csv
    import sys

    outcomes = sorted({outcome for row in rows for outcome in row.get("outcomes", {})})
    flat = []
    for row in rows:
        item = {k: v for k, v in row.items() if k != "outcomes"}
        item.update({f"n_{k}": row.get("outcomes", {}).get(k, 0) for k in outcomes})
        flat.append(item)
    fields: list[str] = []
    for item in flat:
        fields += [k for k in item if k not in fields]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for item in flat:
        writer.writerow({k: ("" if v is None or (isinstance(v, float) and math.isnan(v)) else
                             repr(v) if isinstance(v, float) else v) for k, v in item.items()})


# --------------------------------------------------------------------------- sources


def _score_predictions(metric: str | None, dataset: str, predictions: Path, name: str | None, seed: int,
                       n_boot: int) -> tuple[str, list[dict[str, Any]], dict[str, Any], list[str]]:
    from benchmark.corpus.datasets import DatasetError
    from benchmark.registry.local import load_dataset_spec
    from benchmark.score.predictions import PredictionsError, check_ids, read_predictions

    try:
        corpus = load_dataset_spec(dataset)
    except DatasetError as exc:
        raise ScoreError(str(exc)) from None
    skipped = {p.page_id: p.message for p in corpus.problems if p.blocks_page and p.page_id}
    if not corpus.golds:
        reasons = "; ".join(str(p) for p in corpus.problems[:3])
        raise ScoreError(f"no page of {dataset} can be scored ({reasons}): run `boilerbench validate` on it or "
                         "check KIND:PATH")
    label = name or predictions.stem
    try:
        extractions, version = read_predictions(predictions, label)
        check_ids(predictions, extractions, corpus.golds.keys(), skipped)
    except PredictionsError as exc:
        raise ScoreError(str(exc)) from None
    metric = metric or default_metric(corpus.golds)
    _require_gold(metric, corpus.golds, f"dataset {dataset}")
    extractions = [e for e in extractions if e.page_id in corpus.golds]
    row = {"extractor": label, "version": version,
           **score_extractions(metric, extractions, corpus.golds, seed=seed, n_boot=n_boot)}
    notes = [f"note: {len(skipped)} page(s) of the dataset could not be read and are not scored: "
             + ", ".join(sorted(skipped)[:10])] if skipped else []
    header = {"dataset": dataset, "dataset_digest": corpus.digest, "predictions": str(predictions)}
    return metric, [row], header, notes


def _read_golds(run_dir: Path) -> dict[str, Gold]:
    from benchmark.results import ResultsError, read_golds

    try:
        return read_golds(run_dir)
    except ResultsError as exc:
        raise ScoreError(str(exc)) from None


def _score_run(metric: str | None, run_dir: Path, seed: int | None,
               n_boot: int | None) -> tuple[str, list[dict[str, Any]], dict[str, Any], list[str]]:
    from benchmark.records import SCHEMA_VERSION
    from benchmark.results import iter_extractions

    meta_path = run_dir / "run.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScoreError(f"{meta_path}: not found; is {run_dir} a boilerbench results folder?") from None
    except (OSError, ValueError) as exc:
        raise ScoreError(f"{meta_path}: cannot read ({exc})") from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise ScoreError(f"{meta_path}: schema version {meta.get('schema_version')!r}, this boilerbench reads "
                         f"{SCHEMA_VERSION}; re-run with this version")
    golds = _read_golds(run_dir)
    by_extractor: dict[str, dict[str, Extraction]] = {}
    try:
        for extraction in iter_extractions(run_dir):
            by_extractor.setdefault(extraction.extractor, {})[extraction.page_id] = extraction
    except FileNotFoundError:
        raise ScoreError(f"{run_dir / 'extractions.jsonl'}: missing; the run wrote no output") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ScoreError(f"{run_dir / 'extractions.jsonl'}: not an extraction log ({exc})") from None
    metric = metric or default_metric(golds)
    _require_gold(metric, golds, f"run {run_dir}")
    options = meta.get("options") or {}
    seed = int(options.get("seed", 0)) if seed is None else seed
    n_boot = int(options.get("bootstrap_resamples", 1000)) if n_boot is None else n_boot
    extractors_meta = meta.get("extractors") or {}
    rows, notes = [], []
    for name, extractions in sorted(by_extractor.items()):
        scored = [e for e in extractions.values() if e.outcome is not Outcome.UNAVAILABLE]
        if not scored:
            notes.append(f"note: {name} was not installed for this run; no row")
            continue
        row = {"extractor": name, "version": (extractors_meta.get(name) or {}).get("version"),
               **score_extractions(metric, scored, golds, seed=seed, n_boot=n_boot)}
        missing = sum(1 for g in golds.values() if has_gold(metric, g)) - row["n_pages"]
        if missing > 0:
            notes.append(f"note: {name} has no output for {missing} page(s) (an interrupted run?): its row "
                         "covers the pages it has")
        rows.append(row)
    rows.sort(key=lambda r: (r["f1"] is None or math.isnan(r["f1"]), -(r["f1"] or 0.0), r["extractor"]))
    header = {"run": str(run_dir), "run_id": meta.get("run_id"), "corpus": (meta.get("corpus") or {}).get("name"),
              "corpus_digest": (meta.get("corpus") or {}).get("digest")}
    return metric, rows, {**header, "seed": seed, "n_bootstrap": n_boot}, notes


# --------------------------------------------------------------------------- command


@click.command("score")
@click.option("--dataset", metavar="NAME|KIND:PATH", default=None,
              help="The dataset the predictions were made on: a downloaded set's name (`boilerbench datasets "
                   "list`), or KIND:PATH (aeb, naeb, l3s-gn1, webmainbench, snippets, cleaneval, readability, plain, "
                   "bundled).")
@click.option("--predictions", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help='AEB-style JSON {id: {"articleBody": text}} (optionally wrapped as {"version", "output"}) '
                   'or JSON lines of {"page_id", "text"}.')
@click.option("--run", "run_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Re-score a stored run (extractions.jsonl + golds.jsonl) instead; runs no extractor.")
@click.option("--metric", type=click.Choice(METRICS), default=None,
              help="token (default), lcs, aeb, rouge, or snippet (default for snippet-only datasets).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--name", default=None, help="Label of the predictions in the output (default: the file name).")
@click.option("--seed", type=int, default=None,
              help="Bootstrap seed (default: the run's own seed; for --dataset the harness default).")
@click.option("--bootstrap", "n_boot", type=click.IntRange(min=0), default=None,
              help="Bootstrap resamples, 0 for none (default: the run's; for --dataset 1000).")
def score_command(dataset: str | None, predictions: Path | None, run_dir: Path | None, metric: str | None,
                  output_format: str, name: str | None, seed: int | None, n_boot: int | None) -> int:
    """Score predictions made elsewhere against a dataset, or re-score a stored run with another metric."""
    from benchmark.pipeline import DEFAULT_BOOTSTRAP, DEFAULT_SEED

    if run_dir is not None:
        if dataset or predictions:
            raise ScoreError("give either --run RUN_DIR, or --dataset KIND:PATH with --predictions FILE, not both")
        if not run_dir.is_dir():
            raise ScoreError(f"{run_dir}: no such folder; pass a results/<run_id> folder of `boilerbench run`")
        metric, rows, header, notes = _score_run(metric, run_dir, seed, n_boot)
        title = f"boilerbench score — {metric} — run {header['run_id'] or run_dir.name}"
    else:
        if not dataset or predictions is None:
            raise ScoreError("give --dataset KIND:PATH and --predictions FILE (or --run RUN_DIR to re-score a run)")
        if not predictions.is_file():
            raise ScoreError(f"{predictions}: no such file; pass the predictions file to score")
        seed = DEFAULT_SEED if seed is None else seed
        n_boot = DEFAULT_BOOTSTRAP if n_boot is None else n_boot
        metric, rows, header, notes = _score_predictions(metric, dataset, predictions, name, seed, n_boot)
        header.update({"seed": seed, "n_bootstrap": n_boot})
        title = f"boilerbench score — {metric} — {predictions.name} on {dataset}"

    if output_format == "json":
        document: dict[str, Any] = {"metric": metric, "definition": DEFINITIONS[metric], **header}
        if run_dir is not None:
            document["extractors"] = rows
        else:
            document.update(rows[0])
        if notes:
            document["notes"] = [note.removeprefix("note: ") for note in notes]
        click.echo(json.dumps(_clean(document), ensure_ascii=False, indent=2))
    elif output_format == "csv":
        _csv(rows)
        for note in notes:
            click.echo(note, err=True)
    else:
        _table(metric, rows, title, notes)
    return 0
