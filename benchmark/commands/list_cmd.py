"""`boilerbench list`: every known extractor, installed or not, its version, kind and how to install it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

import click

#: what each registry kind means to a reader of the list
KIND_LABELS = {
    "article": "article extractor",
    "full-text": "full-text converter",
    "baseline": "baseline",
    "external": "external",
}


def extractor_rows(extra: Mapping[str, object] | None = None) -> list[dict[str, object]]:
    """One row per known extractor (builtins, entry points, then `extra`), defaults first, no library imported."""
    from benchmark.extractors import registry

    defaults = registry.default_names()
    specs = dict(registry.known_specs())
    order = defaults + sorted(name for name in specs if name not in defaults)
    for name, spec in (extra or {}).items():
        if name not in specs:
            specs[name] = spec
            order.append(name)
    rows = []
    for name in order:
        spec = specs[name]
        installed = registry.is_installed(spec)
        rows.append({
            "name": name,
            "default": name in defaults,
            "kind": spec.kind,
            "kind_label": KIND_LABELS.get(spec.kind, spec.kind),
            "installed": installed,
            "version": registry.version_of(spec) if installed else None,
            "distribution": spec.distribution,
            "input": spec.input,
            "output": spec.output,
            "install": spec.install,
            "description": spec.description,
            "options": dict(spec.options),
            "options_digest": registry.options_digest(spec),
        })
    return rows


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per extractor, with its exact options.")
@click.option("--installed", "only_installed", is_flag=True, help="Only the extractors that can run here.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Also list the external extractors this TOML file defines (their version commands are run).")
def list_command(as_json: bool, only_installed: bool, config_path: Path | None) -> int:
    """List extractors: installed or not, version, kind, and the command that installs a missing one."""
    import warnings

    from benchmark.extractors.config import ConfigError, external_definitions

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            extra = external_definitions(config=config_path)[0] if config_path else {}
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        rows = [row for row in extractor_rows(extra) if row["installed"] or not only_installed]
    seen = set()
    for warning in caught:  # a broken third-party entry point: one clear line, no traceback
        if str(warning.message) not in seen:
            seen.add(str(warning.message))
            click.echo(f"warning: {warning.message}", err=True)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        return 0
    header = ("name", "kind", "output", "installed", "version", "install")
    table = [header] + [
        (f"{row['name']}{' *' if row['default'] else ''}", str(row["kind_label"]), str(row["output"]),
         "yes" if row["installed"] else "no", str(row["version"] or "-"),
         "" if row["installed"] else str(row["install"]))
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths)] + [line[-1]]
        click.echo("  ".join(cells).rstrip())
    missing = sum(1 for row in rows if not row["installed"])
    click.echo(f"\n{len(rows)} extractors and converters.")
    click.echo("\n* run by default.  Your own: --extractors package.module:function (or an installed package's "
               "entry point in group boilerbench.extractors); an external program: "
               "--extractor-cmd NAME='COMMAND' (jsonl:COMMAND for a long-lived one) or --config FILE.")
    if missing:
        click.echo(f"{missing} not installed: they are reported as unavailable, never as zeros.")
    return 0
