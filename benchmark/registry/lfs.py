"""Git LFS: a repository may keep a file's content on an LFS server and only a small pointer in git.

git and the commit archive give the pointer; only the per-file fetch (the
media URL) gives the content. A manifest either pins the content (sha256 and
size) or, for a file it could not hash, only the git blob id, which for an
LFS file is the pointer's. Then the chain still holds: the pointer is checked
against the manifest's blob id, and the content against the sha256 and size
the pointer names. Those derived pins are kept in ``.boilerbench-lfs.json``
so `verify` checks the content later.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmark.registry.entries import ManifestFile

#: the first bytes of a Git LFS pointer file
POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"
INDEX = ".boilerbench-lfs.json"
_MAX_POINTER_BYTES = 1024  # the spec's pointers are about 130 bytes
_OID_RE = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
_SIZE_RE = re.compile(rb"^size (\d+)$", re.MULTILINE)


def is_pointer(path: Path) -> bool:
    """True when the file holds a Git LFS pointer instead of the file itself."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(POINTER_PREFIX)) == POINTER_PREFIX
    except OSError:
        return False


def pointed_content(path: Path) -> tuple[str, int] | None:
    """(sha256, size) of the content a pointer file names, or None when it is not a well-formed pointer."""
    try:
        data = path.read_bytes()[:_MAX_POINTER_BYTES + 1]
    except OSError:
        return None
    oid, size = _OID_RE.search(data), _SIZE_RE.search(data)
    if not data.startswith(POINTER_PREFIX) or len(data) > _MAX_POINTER_BYTES or not oid or not size:
        return None
    return oid.group(1).decode(), int(size.group(1))


def _index(folder: Path) -> dict:
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def record(folder: Path, expected: ManifestFile, pointer: Path) -> ManifestFile | None:
    """Pin a file's content by its pointer, when the manifest pins only the pointer (by blob id) and it matches."""
    from benchmark.registry.store import git_blob_id
    from benchmark.results import atomic_write_text

    content = pointed_content(pointer)
    if expected.sha256 or not expected.git_blob or content is None or git_blob_id(pointer) != expected.git_blob:
        return None
    index = _index(folder)
    index[expected.path] = {"pointer_blob": expected.git_blob, "sha256": content[0], "size": content[1]}
    atomic_write_text(folder / INDEX, json.dumps(index, indent=1, sort_keys=True) + "\n")
    return ManifestFile(expected.path, content[1], content[0], None)


def expected_content(folder: Path, expected: ManifestFile) -> ManifestFile:
    """What the file's content must be: the manifest's pin, or the content its pinned LFS pointer names."""
    if expected.sha256 is None:
        entry = _index(folder).get(expected.path)
        if isinstance(entry, dict) and entry.get("pointer_blob") == expected.git_blob:
            return ManifestFile(expected.path, entry.get("size"), entry.get("sha256"), None)
    return expected
