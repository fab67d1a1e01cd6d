"""`boilerbench validate`: one line per problem, naming the file; exit 2 when any error (warnings do not fail)."""

from __future__ import annotations

from pathlib import Path

import click

from benchmark.commands.options import corpus_option, resolve_corpus_root


@click.command("validate")
@corpus_option
def validate_command(corpus: Path | None) -> int:
    """Check pages, gold and cards against the corpus rules (gold/GUIDELINES.md)."""
    from benchmark.corpus.bundled import load_corpus
    from benchmark.corpus.validation import validate

    root = resolve_corpus_root(corpus)
    loaded = load_corpus(root)
    found = validate(loaded)
    for problem in found:
        click.echo(str(problem))
    errors = sum(1 for p in found if p.fails)
    warnings = sum(1 for p in found if p.severity == "warning")
    if warnings:
        click.echo(f"{warnings} warning(s): the corpus leaves the ranges of real pages there; warnings do not "
                   "fail validation (see `boilerbench corpus stats`).", err=True)
    if errors:
        click.echo(f"{errors} problem(s) in {root}: fix them and run `boilerbench validate` again.", err=True)
        return 2
    click.echo(f"{len(loaded.pages)} pages OK in {root} (digest {loaded.digest[:12]})"
               + (f", with {warnings} warning(s)." if warnings else "."))
    return 0
