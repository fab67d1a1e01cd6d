"""`boilerbench list`: every registered extractor, installed or not, its version and how to install it."""

from __future__ import annotations

import json

import click


def extractor_rows() -> list[dict[str, object]]:
    """One row per registered extractor (builtins and entry points), defaults first, no library imported."""
    from benchmark.extractors import registry

    defaults = registry.default_names()
    specs = registry.known_specs()
    order = defaults + sorted(name for name in specs if name not in defaults)
    rows = []
    for name in order:
        spec = specs[name]
        installed = registry.is_installed(spec)
        rows.append({
            "name": name,
            "default": name in defaults,
            "kind": spec.kind,
            "installed": installed,
            "version": registry.version_of(spec) if installed else None,
            "distribution": spec.distribution,
            "input": spec.input,
            "install": spec.install,
            "description": spec.description,
            "options": dict(spec.options),
            "options_digest": registry.options_digest(spec),
        })
    return rows


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per extractor, with its exact options.")
@click.option("--installed", "only_installed", is_flag=True, help="Only the extractors that can run here.")
def list_command(as_json: bool, only_installed: bool) -> int:
    """List extractors: installed or not, version, kind, and the command that installs a missing one."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = [row for row in extractor_rows() if row["installed"] or not only_installed]
    for warning in caught:  # a broken third-party entry point: one clear line, no traceback
        click.echo(f"warning: {warning.message}", err=True)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        return 0
    header = ("name", "kind", "installed", "version", "install")
    table = [header] + [
        (f"{row['name']}{' *' if row['default'] else ''}", str(row["kind"]),
         "yes" if row["installed"] else "no", str(row["version"] or "-"),
         "" if row["installed"] else str(row["install"]))
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths)] + [line[-1]]
        click.echo("  ".join(cells).rstrip())
    missing = sum(1 for row in rows if not row["installed"])
    click.echo("\n* run by default.  Plugins: 'package.module:function' or 'cmd:<command line>' "
               "/ 'jsonl:<command line>' with --extractors.")
    if missing:
        click.echo(f"{missing} not installed: they are reported as unavailable, never as zeros.")
    return 0
