"""`datasets get` as a function: check what is already there, fetch the rest, stamp the folder only when all matches.

Methods, tried in order until no file is missing: ``auto`` is git (when git
is installed) then the archive, each giving way to the next when its server
cannot be reached; every method ends with the per-file fetch for what it
could not place (a file kept in Git LFS comes out of git and archives as a
pointer, and only the per-file fetch follows it to its content). ``folder``
takes the files from a copy already on disk instead, checked the same way.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.registry.entries import RegisteredSet
from benchmark.registry.http_fetch import DownloadError
from benchmark.registry.lfs import expected_content
from benchmark.registry.methods import (Progress, Sources, fetch_archive, fetch_files, fetch_folder, fetch_git,
                                        final_path)
from benchmark.registry.store import INCOMING, FileCheck, check_file, clear_stamp, write_stamp

_STEPS = {"git": fetch_git, "archive": fetch_archive, "files": fetch_files, "folder": fetch_folder}


@dataclass
class GetOutcome:
    """What a `get` did: files found in place, files fetched, and those still wrong (empty when complete)."""

    kept: int = 0
    fetched: int = 0
    failed: list[FileCheck] = field(default_factory=list)
    error: str = ""  # why the last method stopped (server down, hung, ...), "" when none did
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.error


def plan(method: str, git_available: bool | None = None) -> list[str]:
    """The steps a method takes; a download ends with the per-file fetch (LFS pointers, files an archive lacked).

    ``folder`` (``get --from DIR``) copies from disk and never downloads: what the folder lacks is reported.
    """
    if method == "folder":
        return ["folder"]
    if git_available is None:
        git_available = shutil.which("git") is not None
    if method == "auto":
        return (["git"] if git_available else []) + ["archive", "files"]
    return [method] if method == "files" else [method, "files"]


def get_set(registered: RegisteredSet, folder: Path, *, sources: Sources, method: str = "auto",
            progress: Progress | None = None) -> GetOutcome:
    """Bring folder to exactly the manifest's files; a file whose bytes differ is refused, never kept."""
    progress = progress or Progress()
    folder.mkdir(parents=True, exist_ok=True)
    outcome = GetOutcome()
    needed = []
    for expected in registered.files:
        if check_file(final_path(folder, expected), expected_content(folder, expected)).ok:
            outcome.kept += 1
        else:
            needed.append(expected)
    if needed:
        clear_stamp(folder)  # the folder is about to change: it is not complete until every file is checked again
    steps = plan(method)
    failed: dict[str, FileCheck] = {}
    for index, step in enumerate(steps):
        if not needed:
            break
        fallback = method == "auto" and index + 1 < len(steps)
        progress.on_step(step, sum(f.size or 0 for f in needed) if step in ("files", "folder") else None)
        try:
            left = _STEPS[step](registered, needed, folder, sources, progress)
        except DownloadError as exc:
            if fallback:
                outcome.notes.append(f"{step}: {exc}; trying the {steps[index + 1]} next")
                progress.on_note(outcome.notes[-1])
                continue
            outcome.error = str(exc)
            break
        failed = {check.path: check for check in left}
        outcome.fetched += len(needed) - len(left)
        needed = [expected for expected in needed if expected.path in failed]
        if needed and index + 1 < len(steps):
            outcome.notes.append(f"{step}: {len(needed)} file(s) not placed (e.g. {left[0].path}: {left[0].problem}); "
                                 f"trying the {steps[index + 1]} next")
            progress.on_note(outcome.notes[-1])
    outcome.failed = [failed.get(expected.path) or FileCheck(expected.path, False, "not fetched")
                      for expected in needed]
    if outcome.complete:
        shutil.rmtree(folder / INCOMING, ignore_errors=True)
        write_stamp(registered, folder, method)
    return outcome
