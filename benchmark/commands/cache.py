"""`boilerbench cache info|clear`: the store of finished pairs that lets a run resume."""

from __future__ import annotations

import json
from pathlib import Path

import click

cache_dir_option = click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                                help="The cache folder (default: the user cache dir, honouring XDG_CACHE_HOME).")


def _open(cache_dir: Path | None):
    from benchmark.run.cache import CACHE_FILENAME, Cache

    cache = Cache(cache_dir / CACHE_FILENAME if cache_dir else None,
                  on_notice=lambda notice: click.echo(f"warning: {notice}", err=True))
    return cache


@click.group("cache")
def cache_command() -> None:
    """Inspect or empty the extraction cache."""


@cache_command.command("info")
@cache_dir_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A readable table, or everything as JSON.")
def cache_info(cache_dir: Path | None, fmt: str) -> int:
    """Where the cache is and how many pairs it holds per extractor."""
    with _open(cache_dir) as cache:
        stats = cache.stats()
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2, default=str))
        return 0
    rows = stats["rows"]
    click.echo(f"cache: {stats['path']} ({stats['bytes'] / 1e6:.1f} MB"
               + ("" if stats["enabled"] else ", disabled: it could not be opened") + ")")
    if not rows:
        click.echo("no cached pairs")
        return 0
    width = max(len("extractor"), *(len(name) for name in rows))
    click.echo(f"{'extractor':<{width}}  {'pairs':>7}")
    for name, count in rows.items():
        click.echo(f"{name:<{width}}  {count:>7}")
    click.echo(f"{'total':<{width}}  {sum(rows.values()):>7}")
    return 0


@cache_command.command("clear")
@cache_dir_option
def cache_clear(cache_dir: Path | None) -> int:
    """Delete every cached pair; the next run extracts everything again."""
    with _open(cache_dir) as cache:
        removed = cache.clear()
        click.echo(f"removed {removed} cached pair(s) from {cache.path}")
    return 0
