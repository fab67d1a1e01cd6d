"""How `datasets get` brings a set's files: shallow sparse git fetch, the commit's archive, one URL per file, a folder.

Each takes the files still needed and puts every one whose bytes match the
manifest into place (written under ``.incoming/``, checked, then renamed);
it returns the checks of those it could not place, so the next method (or
the per-file fetch, which also follows Git LFS pointers) can try them.
Nothing half-written ever sits at a file's final path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from benchmark.registry import lfs
from benchmark.registry.entries import ManifestFile, RegisteredSet
from benchmark.registry.http_fetch import DownloadError, download
from benchmark.registry.lfs import expected_content
from benchmark.registry.store import INCOMING, FileCheck, check_file


@dataclass(frozen=True)
class Sources:
    """Where files come from: GitHub by default; tests and mirrors point these templates elsewhere."""

    archive_url: str = "https://codeload.github.com/{repository}/tar.gz/{commit}"
    raw_url: str = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"
    media_url: str = "https://media.githubusercontent.com/media/{repository}/{commit}/{path}"  # Git LFS content
    git_url: str = "https://github.com/{repository}.git"
    timeout: float = 60.0  # seconds without a byte before a transfer is given up
    folder: Path | None = None  # a copy already on disk (a clone, a shared drive): files are taken from there

    def url(self, template: str, registered: RegisteredSet, path: str = "") -> str:
        return template.format(repository=registered.repository, commit=registered.commit, path=quote(path))


@dataclass
class Progress:
    """Callbacks the command turns into a progress bar; the fetchers never print."""

    on_bytes: Callable[[int], None] = lambda n: None
    on_file: Callable[[str], None] = lambda path: None
    on_note: Callable[[str], None] = lambda message: None
    #: a method starts: its name and the bytes it will bring (None when unknown, as for an archive)
    on_step: Callable[[str, "int | None"], None] = lambda step, total: None


def final_path(folder: Path, expected: ManifestFile) -> Path:
    return folder.joinpath(*expected.path.split("/"))


def _part_path(folder: Path, expected: ManifestFile) -> Path:
    """A temp name per file under .incoming/ (hashed: repository paths may be long or odd)."""
    return folder / INCOMING / "files" / (hashlib.sha256(expected.path.encode()).hexdigest()[:24] + ".part")


def place(source: Path, folder: Path, expected: ManifestFile) -> FileCheck:
    """Rename a fetched file into place if its bytes match the manifest; otherwise delete it and say why.

    An LFS pointer is never placed as the file: it is the per-file fetch's cue
    to get the content (and, where the manifest pins only the pointer, the
    pin of that content is taken from it here).
    """
    if lfs.is_pointer(source) and expected_content(folder, expected).size != source.stat().st_size:
        lfs.record(folder, expected, source)
        source.unlink(missing_ok=True)
        return FileCheck(expected.path, False, "is a Git LFS pointer, not the file")
    check = check_file(source, expected_content(folder, expected))
    if not check.ok:
        source.unlink(missing_ok=True)
        return check
    target = final_path(folder, expected)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return check


# --------------------------------------------------------------------------- one URL per file


def fetch_files(registered: RegisteredSet, needed: list[ManifestFile], folder: Path, sources: Sources,
                progress: Progress) -> list[FileCheck]:
    """Each file from its raw URL (resuming its .part), then from the LFS media URL if it came as a pointer.

    The content of an LFS file has a part of its own, so a broken media
    transfer resumes where it stopped, even though the raw URL serves the pointer.
    """
    failed = []
    for expected in needed:
        part = _part_path(folder, expected)
        media_part = part.with_suffix(".media.part")
        try:
            in_lfs = media_part.exists() or expected_content(folder, expected) is not expected
            if not in_lfs:
                download(sources.url(sources.raw_url, registered, expected.path), part, timeout=sources.timeout,
                         expected_size=expected.size, on_bytes=progress.on_bytes)
                in_lfs = lfs.is_pointer(part) and expected_content(folder, expected).size != part.stat().st_size
                if in_lfs:
                    progress.on_note(f"{expected.path}: stored in Git LFS; fetching its content")
                    lfs.record(folder, expected, part)
                    part.unlink()
            if in_lfs:
                part = download(sources.url(sources.media_url, registered, expected.path), media_part,
                                timeout=sources.timeout, expected_size=expected_content(folder, expected).size,
                                on_bytes=progress.on_bytes)
        except DownloadError as exc:
            if exc.fatal:
                raise
            failed.append(FileCheck(expected.path, False, str(exc)))
            continue
        check = place(part, folder, expected)
        if not check.ok:
            failed.append(FileCheck(expected.path, False,
                                    f"downloaded bytes do not match the manifest ({check.problem}): refused"))
        progress.on_file(expected.path)
    return failed


# --------------------------------------------------------------------------- a copy already on disk


def fetch_folder(registered: RegisteredSet, needed: list[ManifestFile], folder: Path, sources: Sources,
                 progress: Progress) -> list[FileCheck]:
    """Each file copied from a folder laid out as the repository (a clone, a shared copy), checked like a download."""
    assert sources.folder is not None
    failed = []
    for expected in needed:
        source = sources.folder.joinpath(*expected.path.split("/"))
        if not source.is_file():
            failed.append(FileCheck(expected.path, False, f"not in {sources.folder}"))
            continue
        part = _part_path(folder, expected)
        part.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, part)
        progress.on_bytes(part.stat().st_size)
        check = place(part, folder, expected)
        if not check.ok:
            failed.append(FileCheck(expected.path, False, f"{source} does not match the manifest ({check.problem}): "
                                                          "refused (another commit of the repository?)"))
        progress.on_file(expected.path)
    return failed


# --------------------------------------------------------------------------- the commit's archive


def fetch_archive(registered: RegisteredSet, needed: list[ManifestFile], folder: Path, sources: Sources,
                  progress: Progress) -> list[FileCheck]:
    """The commit's tar.gz (resumable), then each needed member out of it; other members are never written."""
    archive = folder / INCOMING / f"archive-{registered.commit}.tar.gz"
    part = archive.with_name(archive.name + ".part")
    if not archive.is_file():
        download(sources.url(sources.archive_url, registered), part, timeout=sources.timeout,
                 on_bytes=progress.on_bytes)
        os.replace(part, archive)
    wanted = {expected.path: expected for expected in needed}
    placed: set[str] = set()
    staging = folder / INCOMING / "archive-member.part"
    failed = []
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                # codeload names members "<repo>-<commit>/<path>": the first part is the archive's own folder
                name = member.name.split("/", 1)[1] if "/" in member.name else ""
                expected = wanted.get(name)
                if expected is None or name in placed or not member.isfile():
                    continue
                source = tar.extractfile(member)
                if source is None:
                    continue
                with source, staging.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
                check = place(staging, folder, expected)
                placed.add(name)
                if not check.ok:
                    failed.append(check)
                progress.on_file(name)
    except (tarfile.TarError, zlib.error, EOFError, OSError) as exc:
        archive.unlink(missing_ok=True)  # damaged: the next attempt downloads it again
        raise DownloadError(f"the archive of {registered.repository}@{registered.commit[:12]} is damaged "
                            f"({type(exc).__name__}: {exc}): run the same command again") from None
    archive.unlink()  # read through: a file it got wrong (an LFS pointer) is fetched on its own next
    failed += [FileCheck(path, False, "not in the archive") for path in wanted if path not in placed]
    return failed


# --------------------------------------------------------------------------- shallow sparse git fetch


def _git(args: list[str], cwd: Path, timeout: float) -> None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1"}
    stall = ["-c", "http.lowSpeedLimit=1", "-c", f"http.lowSpeedTime={max(1, int(timeout))}"]
    try:
        done = subprocess.run(["git", *stall, *args], cwd=cwd, env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise DownloadError(f"cannot run git ({exc.strerror or exc})", fatal=True) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise DownloadError(f"git {args[0]} failed: {last}", fatal=True)


def fetch_git(registered: RegisteredSet, needed: list[ManifestFile], folder: Path, sources: Sources,
              progress: Progress) -> list[FileCheck]:
    """`git fetch --depth 1 origin COMMIT` with only the set's paths checked out, then each file checked into place."""
    work = folder / INCOMING / "git"
    if not (work / ".git").is_dir():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        _git(["init", "-q"], work, sources.timeout)
        _git(["remote", "add", "origin", sources.url(sources.git_url, registered)], work, sources.timeout)
    else:
        _git(["remote", "set-url", "origin", sources.url(sources.git_url, registered)], work, sources.timeout)
    patterns = [f"/{path}" for path in (registered.paths or tuple(f.path for f in needed))]
    _git(["sparse-checkout", "set", "--no-cone", *patterns], work, sources.timeout)
    progress.on_note(f"git fetch --depth 1 {sources.url(sources.git_url, registered)} {registered.commit[:12]}")
    _git(["fetch", "-q", "--depth", "1", "--filter=blob:none", "--no-tags", "origin", registered.commit], work,
         sources.timeout)
    _git(["checkout", "-q", "--force", registered.commit], work, sources.timeout)
    failed = []
    for expected in needed:
        source = final_path(work, expected)
        if not source.is_file():
            failed.append(FileCheck(expected.path, False, "not in the fetched commit"))
            continue
        progress.on_bytes(source.stat().st_size)
        check = place(source, folder, expected)
        if not check.ok:
            failed.append(check)
        progress.on_file(expected.path)
    return failed
