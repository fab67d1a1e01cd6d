"""Where downloaded sets live and how a folder proves it is complete.

A set NAME lives in ``<data dir>/NAME/`` (data dir: ``--data-dir``, else
``$BOILERBENCH_DATA_DIR``, else ``$XDG_DATA_HOME/boilerbench/datasets``), its
files at their repository paths. Files arrive under ``.incoming/`` and are
renamed into place only after their size and sha256 (or git blob id) match
the manifest. The stamp ``.boilerbench-dataset.json`` is written last, only
after every file was checked: a folder without it (or with a stamp for
another manifest) is not a complete set, whatever files it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmark.registry.entries import ManifestFile, RegisteredSet

STAMP = ".boilerbench-dataset.json"
INCOMING = ".incoming"
_CHUNK = 1 << 20


def data_dir(override: Path | None = None) -> Path:
    """The folder holding every downloaded set."""
    if override is not None:
        return Path(override).expanduser()
    if env := os.environ.get("BOILERBENCH_DATA_DIR"):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("boilerbench", appauthor=False)) / "datasets"


def set_folder(registered: RegisteredSet, override: Path | None = None) -> Path:
    return data_dir(override) / registered.name


@dataclass(frozen=True)
class FileCheck:
    """One manifest file against the bytes on disk: ok, or what is wrong."""

    path: str
    ok: bool
    problem: str = ""


def git_blob_id(path: Path) -> str:
    """git's id of a file's bytes (sha1 of "blob <size>\\0" + bytes), computed in chunks."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: Path, expected: ManifestFile) -> FileCheck:
    """Does the file at path hold exactly the manifest's bytes? Size first (cheap), then the hash."""
    try:
        if path.is_symlink() or not path.is_file():
            return FileCheck(expected.path, False, "missing" if not path.exists() else "not a regular file")
        size = path.stat().st_size
        if expected.size is not None and size != expected.size:
            return FileCheck(expected.path, False, f"size {size} bytes, the manifest says {expected.size}")
        if expected.sha256:
            actual = _sha256(path)
            if actual != expected.sha256:
                return FileCheck(expected.path, False, f"sha256 {actual[:12]}…, the manifest says "
                                                       f"{expected.sha256[:12]}…")
        elif expected.git_blob and (actual := git_blob_id(path)) != expected.git_blob:
            return FileCheck(expected.path, False, f"git blob {actual[:12]}…, the manifest says "
                                                   f"{expected.git_blob[:12]}…")
    except OSError as exc:
        return FileCheck(expected.path, False, f"cannot read ({exc.strerror or exc})")
    return FileCheck(expected.path, True)


def check_folder(registered: RegisteredSet, folder: Path, *, on_file=None) -> list[FileCheck]:
    """Every manifest file checked against the folder; `on_file(check)` is told of each as it is done."""
    from benchmark.registry.lfs import expected_content

    checks = []
    for expected in registered.files:
        check = check_file(folder.joinpath(*expected.path.split("/")), expected_content(folder, expected))
        checks.append(check)
        if on_file is not None:
            on_file(check)
    return checks


def read_stamp(folder: Path) -> dict | None:
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def is_complete(registered: RegisteredSet, folder: Path) -> bool:
    """A stamp for this very manifest, and every file present at its size (the hashes were checked before stamping)."""
    from benchmark.registry.lfs import expected_content

    stamp = read_stamp(folder)
    if not stamp or stamp.get("manifest_sha256") != registered.manifest_sha256:
        return False
    for expected in (expected_content(folder, f) for f in registered.files):
        path = folder.joinpath(*expected.path.split("/"))
        try:
            if not path.is_file() or (expected.size is not None and path.stat().st_size != expected.size):
                return False
        except OSError:
            return False
    return True


def write_stamp(registered: RegisteredSet, folder: Path, method: str) -> None:
    """Mark the folder complete for this manifest; atomic, so a crash leaves no stamp rather than half of one."""
    from benchmark.results import atomic_write_text

    atomic_write_text(folder / STAMP, json.dumps({
        "name": registered.name, "repository": registered.repository, "commit": registered.commit,
        "manifest_sha256": registered.manifest_sha256, "files": len(registered.files), "method": method,
    }, indent=2) + "\n")


def clear_stamp(folder: Path) -> None:
    (folder / STAMP).unlink(missing_ok=True)


def remove_set(folder: Path) -> int:
    """Delete a set's folder; returns the bytes freed. Refuses a link (it would delete what it points to)."""
    if folder.is_symlink():
        raise OSError(f"{folder} is a link: remove it yourself")
    freed = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    shutil.rmtree(folder)
    return freed
