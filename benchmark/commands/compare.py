"""`boilerbench compare NEW OLD`: did a change move the scores, and is the move real?

Two runs are compared extractor by extractor over the pages both scored, with
a paired bootstrap. Runs on different corpora are refused as not comparable
(as pyperf refuses incomparable results), unless --allow-other-corpus asks
for the shared pages only.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


def _versions(meta: dict) -> dict[str, str | None]:
    return {name: info.get("version") for name, info in meta.get("extractors", {}).items()}


@click.command("compare")
@click.argument("new_run", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("old_run", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--metric", default="f1", show_default=True,
              type=click.Choice(["f1", "precision", "recall", "lcs_f1", "chrome_leak", "must_include"]))
@click.option("--extractors", "names", default=None, metavar="A,B", help="Only these extractors.")
@click.option("--allow-other-corpus", is_flag=True, help="Compare the shared pages of two different corpora.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def compare_command(new_run: Path, old_run: Path, metric: str, names: str | None, allow_other_corpus: bool,
                    fmt: str) -> int:
    """Paired bootstrap of NEW minus OLD per extractor; 'not significant' where the interval crosses 0."""
    from benchmark.results import ResultsError, read_run
    from benchmark.stats.paired import compare_runs

    try:
        new, old = read_run(new_run), read_run(old_run)
    except ResultsError as exc:
        raise click.UsageError(str(exc)) from None
    digest_new, digest_old = new.meta["corpus"]["digest"], old.meta["corpus"]["digest"]
    if digest_new != digest_old and not allow_other_corpus:
        click.echo(f"not comparable: {new_run} ran on corpus {digest_new[:12]}, {old_run} on {digest_old[:12]}; "
                   "pass --allow-other-corpus to compare the pages both share", err=True)
        return 2
    shared = sorted(set(new.scores["extractor"]) & set(old.scores["extractor"]))
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        missing = sorted(set(wanted) - set(shared))
        if missing:
            raise click.UsageError(f"not in both runs: {', '.join(missing)} (both have: {', '.join(shared)})")
        shared = wanted
    seed = int(new.meta.get("options", {}).get("seed", 0))
    import pandas as pd

    rows = []
    for name in shared:
        try:
            table = compare_runs(new.scores, old.scores, name, seed=seed, metric=metric)
        except ValueError as exc:  # an extractor that scored no page in one run
            click.echo(f"{name}: skipped ({exc})", err=True)
            continue
        row = table.iloc[0].to_dict()
        row["version_new"], row["version_old"] = _versions(new.meta).get(name), _versions(old.meta).get(name)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict("records"), indent=2, default=str))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        for row in rows:
            verdict = "significant" if row["significant"] else "not significant"
            click.echo(f"{row['extractor']:<20} {row['version_old']} -> {row['version_new']}: {metric} "
                       f"{row['mean_b']:.4f} -> {row['mean_a']:.4f}, change {row['mean_diff']:+.4f} "
                       f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] {verdict} ({int(row['pages'])} pages)")
    return 0
