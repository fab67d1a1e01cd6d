"""`boilerbench datasets list | get NAME | verify NAME | path NAME | remove NAME`: public sets, pinned and verified.

Only `get` touches the network. Exit codes: 0 done, 1 a download or a check
that failed (the message names the file; run `get` again to resume), 2 bad
usage (an unknown name, a restricted licence not accepted).
"""

from __future__ import annotations

from pathlib import Path

import click

EXIT_FAILED = 1

data_dir_option = click.option(
    "--data-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder holding the downloaded sets (default: $BOILERBENCH_DATA_DIR, else "
         "$XDG_DATA_HOME/boilerbench/datasets).")


def _registry() -> dict:
    from benchmark.registry.catalog import RegistryError, registered_sets

    try:
        return registered_sets()
    except RegistryError as exc:
        raise click.UsageError(f"the dataset registry cannot be read: {exc}") from None


def _registered(name: str):
    from benchmark.registry.catalog import find_set

    registry = _registry()
    found = find_set(name, registry)
    if found is None:
        raise click.UsageError(f"no dataset named {name!r} in the registry: use one of {', '.join(registry)} "
                               "(`boilerbench datasets list` describes them)")
    return found[0]


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


@click.group("datasets")
def datasets_command() -> None:
    """Public datasets by name: list them, download and verify one, find or remove its folder."""


@datasets_command.command("list")
@data_dir_option
def list_sets(data_dir: Path | None) -> int:
    """Every registered set: what it is, its licence, its size, and whether it is downloaded here."""
    from rich.console import Console
    from rich.table import Table

    from benchmark.registry.store import is_complete, set_folder

    table = Table(title="boilerbench — public datasets (`boilerbench datasets get NAME`)", title_justify="left")
    table.add_column("name", no_wrap=True)
    for column in ("pages", "years", "languages", "licence", "size", "here"):
        table.add_column(column, overflow="fold")
    for registered in _registry().values():
        folder = set_folder(registered, data_dir)
        here = "verified" if is_complete(registered, folder) else ("partial" if folder.exists() else "-")
        unknown = sum(f.size is None for f in registered.files)
        size = _size(registered.known_bytes) + ("+" if unknown else "")
        licence = "research only" if registered.restricted else registered.provenance.licence.split(" (")[0]
        table.add_row(registered.name, registered.pages, registered.provenance.years or "?",
                      registered.languages, licence, size, here)
    console = Console()
    (console if console.is_terminal else Console(width=100)).print(table)
    click.echo("Also read where they lie (no download): --dataset KIND:PATH with KIND one of aeb, naeb, l3s-gn1, "
               "webmainbench, snippets, cleaneval, readability, plain, bundled.")
    return 0


@datasets_command.command("get")
@click.argument("name")
@data_dir_option
@click.option("--method", type=click.Choice(["auto", "git", "archive", "files"]), default="auto", show_default=True,
              help="auto: a shallow sparse git fetch where git is installed, else the commit's archive; every "
                   "method ends with a per-file fetch (which follows Git LFS) for what it could not place.")
@click.option("--from", "from_folder", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Take the files from a copy already on disk (a clone of the repository, a shared folder) "
                   "instead of downloading; each is checked against the manifest all the same.")
@click.option("--accept-licence", is_flag=True, help="Accept a restricted licence (printed first) and download.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds without a byte from the server before the download stops (run again to resume).")
@click.option("--archive-url", default=None, metavar="TEMPLATE",
              help="Mirror of the commit archive, e.g. https://codeload.github.com/{repository}/tar.gz/{commit}.")
@click.option("--raw-url", default=None, metavar="TEMPLATE",
              help="Mirror of single files, e.g. https://raw.githubusercontent.com/{repository}/{commit}/{path}.")
@click.option("--media-url", default=None, metavar="TEMPLATE", help="Mirror of Git LFS contents (same fields).")
@click.option("--git-url", default=None, metavar="TEMPLATE",
              help="Git remote, e.g. https://github.com/{repository}.git.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def get_set_command(name: str, data_dir: Path | None, method: str, from_folder: Path | None, accept_licence: bool,
                    timeout: float,
                    archive_url: str | None, raw_url: str | None, media_url: str | None, git_url: str | None,
                    quiet: bool) -> int:
    """Download a set's pinned files (network!), check each against the manifest, and mark the folder complete."""
    from benchmark.registry.get import get_set
    from benchmark.registry.methods import Sources
    from benchmark.registry.store import set_folder

    registered = _registered(name)
    if registered.restricted:
        click.echo(f"{registered.name} is not freely licensed: {registered.provenance.licence}\n\n"
                   f"{registered.licence_text}\n", err=True)
        if not accept_licence:
            raise click.UsageError(f"{registered.name}'s licence restricts its use: read it above, then run "
                                   f"`boilerbench datasets get {registered.name} --accept-licence`")
    overrides = {key: value for key, value in (("archive_url", archive_url), ("raw_url", raw_url),
                                               ("media_url", media_url), ("git_url", git_url)) if value}
    sources = Sources(timeout=timeout, folder=from_folder, **overrides)
    folder = set_folder(registered, data_dir)
    click.echo(f"{'Copying' if from_folder else 'Downloading'} {registered.name} ({registered.repository} at "
               f"{registered.commit[:12]}, {len(registered.files)} files)"
               + (f" from {from_folder}" if from_folder else "") + f" into {folder}", err=True)
    with _DownloadBar(quiet) as progress:
        outcome = get_set(registered, folder, sources=sources, method="folder" if from_folder else method,
                          progress=progress)
    if outcome.complete:
        how = "copied" if from_folder else "downloaded"
        click.echo(f"{registered.name}: {len(registered.files)} files verified in {folder} ({outcome.fetched} {how}, "
                   f"{outcome.kept} already there). Run it: boilerbench run --dataset {registered.name}")
        return 0
    for check in outcome.failed[:20]:
        click.echo(f"error: {folder / check.path}: {check.problem}", err=True)
    if len(outcome.failed) > 20:
        click.echo(f"error: ... and {len(outcome.failed) - 20} more file(s) not in place", err=True)
    if outcome.error:
        click.echo(f"error: {outcome.error}", err=True)
    click.echo(f"{registered.name} is incomplete ({len(outcome.failed)} of {len(registered.files)} files missing or "
               f"refused; nothing unchecked was kept): run `boilerbench datasets get {registered.name}` again to "
               "resume", err=True)
    return EXIT_FAILED


@datasets_command.command("verify")
@click.argument("name")
@data_dir_option
def verify_set(name: str, data_dir: Path | None) -> int:
    """Check every file of a downloaded set against the manifest again (size and sha256, or git blob id)."""
    from benchmark.registry.store import check_folder, clear_stamp, set_folder, write_stamp

    registered = _registered(name)
    folder = set_folder(registered, data_dir)
    if not folder.is_dir():
        click.echo(f"{folder}: {registered.name} is not downloaded: run `boilerbench datasets get "
                   f"{registered.name}`", err=True)
        return EXIT_FAILED
    bad = [check for check in check_folder(registered, folder) if not check.ok]
    if bad:
        clear_stamp(folder)
        for check in bad[:20]:
            click.echo(f"error: {folder / check.path}: {check.problem}", err=True)
        click.echo(f"{registered.name}: {len(bad)} of {len(registered.files)} files missing or changed: run "
                   f"`boilerbench datasets get {registered.name}` to fetch them again", err=True)
        return EXIT_FAILED
    write_stamp(registered, folder, "verify")
    click.echo(f"{registered.name}: all {len(registered.files)} files match the manifest ({registered.repository} at "
               f"{registered.commit[:12]}) in {folder}")
    return 0


@datasets_command.command("path")
@click.argument("name")
@data_dir_option
def path_of_set(name: str, data_dir: Path | None) -> int:
    """Print the folder of a downloaded set (what `--dataset NAME` reads)."""
    from benchmark.registry.store import is_complete, set_folder

    registered = _registered(name)
    folder = set_folder(registered, data_dir)
    if not is_complete(registered, folder):
        click.echo(f"{folder}: {registered.name} is not downloaded (or incomplete): run `boilerbench datasets get "
                   f"{registered.name}`", err=True)
        return EXIT_FAILED
    click.echo(str(folder))
    return 0


@datasets_command.command("remove")
@click.argument("name")
@data_dir_option
def remove_set_command(name: str, data_dir: Path | None) -> int:
    """Delete a downloaded set's folder."""
    from benchmark.registry.store import remove_set, set_folder

    registered = _registered(name)
    folder = set_folder(registered, data_dir)
    if not folder.exists():
        click.echo(f"{folder}: nothing to remove")
        return 0
    try:
        freed = remove_set(folder)
    except OSError as exc:
        click.echo(f"error: cannot remove {folder} ({exc})", err=True)
        return EXIT_FAILED
    click.echo(f"removed {folder} ({_size(freed)})")
    return 0


class _DownloadBar:
    """A rich progress bar (bytes, speed, time left) fed by the fetchers' callbacks; notes printed above it."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._bar = None

    def __enter__(self):
        from rich.console import Console
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        from benchmark.registry.methods import Progress as Callbacks

        console = Console(stderr=True)

        def note(message: str) -> None:
            console.print(f"note: {message}", markup=False, soft_wrap=True)

        if self.quiet:
            return Callbacks(on_note=note)
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                             TimeRemainingColumn(), TextColumn("{task.fields[file]}"), console=console)
        self._bar.__enter__()
        task = self._bar.add_task("checking", total=None, file="")

        def on_step(step: str, total: int | None) -> None:
            self._bar.update(task, description=step, total=total, completed=0)

        return Callbacks(on_bytes=lambda n: self._bar.advance(task, n),
                         on_file=lambda path: self._bar.update(task, file=path.rsplit("/", 1)[-1][:40]),
                         on_note=note,
                         on_step=on_step)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
