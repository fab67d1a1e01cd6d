"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

corpus_option = click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Corpus folder holding pages/ and gold/ (default: the bundled corpus).",
)


def resolve_corpus_root(corpus: Path | None) -> Path:
    """The corpus folder to use, or a usage error that says how to name one."""
    from benchmark.corpus.bundled import bundled_root

    if corpus is not None:
        if not corpus.is_dir():
            raise click.UsageError(f"{corpus}: no such folder; pass --corpus DIR holding pages/ and gold/")
        return corpus
    root = bundled_root()
    if root is None:
        raise click.UsageError("no bundled corpus beside this installation: pass --corpus DIR "
                               "(a folder holding pages/ and gold/)")
    return root
