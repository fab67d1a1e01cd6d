"""`boilerbench validate`: one line per problem, naming the file; exit 2 when any."""

from __future__ import annotations

from pathlib import Path

import click

from benchmark.commands.options import corpus_option, resolve_corpus_root


@click.command("validate")
@corpus_option
def validate_command(corpus: Path | None) -> int:
    """Check pages, gold and cards against the corpus rules (gold/GUIDELINES.md)."""
    from benchmark.corpus.bundled import load_corpus, validate

    root = resolve_corpus_root(corpus)
    loaded = load_corpus(root)
    problems = validate(loaded)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}: fix them and run `boilerbench validate` again.",
                   err=True)
        return 2
    click.echo(f"{len(loaded.pages)} pages OK in {root} (digest {loaded.digest[:12]}).")
    return 0
