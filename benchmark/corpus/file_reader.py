"""The one reader of a corpus's or a dataset's files: bounded in size, in decompression and in where it reads.

Every loader (the bundled format and every importer in `datasets/`) reads
pages, gold texts and cards through here, so a hostile or careless dataset
cannot make the harness read without bound or outside the folder it was
given:

* a file is read only up to its limit (``MAX_PAGE_BYTES`` for pages and
  texts), the limit checked on the bytes actually read, not only on the size
  the file claims (a device or a growing file claims 0);
* gzip members are decompressed in bounded steps, so a 200 KB gzip bomb stops
  at the limit instead of filling memory (`read_gzip_file`);
* a name the dataset supplies (an item id) is joined under the dataset folder
  only when it stays there (`member_path`), and a file (or a symlink) that
  resolves outside the folder it was listed in is refused, as is anything that
  is not a regular file (a FIFO would block the read forever).

Each refusal is a `Problem` naming the file and what to do; nothing here raises
for bad input.
"""

from __future__ import annotations

import functools
import os
import stat
import zlib
from pathlib import Path

from benchmark.records import Problem

#: pages (and gold texts, cards) larger than this are not read: no real news page comes close, and
#: reading one into every worker would cost the run more than it is worth
MAX_PAGE_BYTES = 50 * 1024 * 1024
#: a dataset's index (AEB's ground-truth.json, a snippet set) may hold every gold text of the dataset
MAX_INDEX_BYTES = 512 * 1024 * 1024
#: compressed bytes fed to the decompressor per step
_GZIP_STEP = 1 << 16


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def member_path(root: Path, name: str) -> Path | None:
    """root/name for a name a dataset supplies (an id plus suffix), or None when it would leave root.

    Refused: absolute names, ``..`` parts, NUL bytes, and names whose target
    (symlinks followed) lies outside root.
    """
    if not name or "\x00" in name or Path(name).is_absolute() or ".." in Path(name).parts:
        return None
    candidate = root / name
    try:
        resolved, base = candidate.resolve(), root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return candidate if _inside(resolved, base) else None


@functools.lru_cache(maxsize=64)
def _resolved_folder(folder: str) -> Path:
    """A folder's real path: a dataset's thousands of files share a handful of folders, resolved once each."""
    return Path(folder).resolve()


def _refusal(path: Path, root: Path) -> str | None:
    """Why path may not be read as a file of root, or None when it may."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
        base = _resolved_folder(str(root))
        if link:  # only a link needs following: a plain file is where its (resolved) folder is
            resolved = path.resolve(strict=True)
        else:
            resolved = _resolved_folder(str(path.parent)) / path.name
    except FileNotFoundError:
        return "is a link to nothing (its target does not exist)" if path.is_symlink() else "not found"
    except (OSError, RuntimeError) as exc:
        return f"cannot be resolved ({getattr(exc, 'strerror', None) or exc})"
    if not _inside(resolved, base):
        return (f"resolves to {resolved}, outside {base}: refused (a link out of the folder; copy the file in "
                "if it belongs there)")
    mode = resolved.stat().st_mode
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, FIFO or folder): refused"
    return None


def read_corpus_file(path: Path, *, root: Path, page_id: str | None, what: str = "page",
                     limit: int = MAX_PAGE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or None and a problem naming it: outside root, not a regular file, over limit, unreadable.

    `what` names the file's role in messages ("page", "gold", "card"); a refused
    file blocks its page.
    """
    path = Path(path)
    try:
        refusal = _refusal(path, Path(root))
        if refusal is not None:
            return None, [Problem(str(path), f"{what} {refusal}", page_id, True)]
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                return None, [_too_large(path, what, limit, page_id, size=size)]
            # as much as the file claims and one byte more, not limit + 1 at once: a read of n bytes allocates
            # n first, and 50 MB per page made reading 1,000 AEB pages 5x slower (0.16 s against 0.03 s)
            data = handle.read(size + 1)
            if len(data) > size:  # more than it claimed (a growing file, a device claiming 0): on to the limit
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        return None, [Problem(str(path), f"cannot read {what} ({exc.strerror or exc})", page_id, True)]
    if len(data) > limit:
        return None, [_too_large(path, what, limit, page_id)]
    return data, []


def _too_large(path: Path, what: str, limit: int, page_id: str | None, *, size: int | None = None,
               decompressed: bool = False) -> Problem:
    if size is not None:
        detail = f"is {size} bytes, over the {limit}-byte limit"
    elif decompressed:
        detail = f"decompresses to more than the {limit}-byte limit (a gzip bomb?)"
    else:
        detail = f"holds more than the {limit}-byte limit"
    return Problem(str(path), f"{what} {detail}: trim it or leave it out", page_id, True)


def gunzip_limited(data: bytes, limit: int) -> bytes | None:
    """The decompressed bytes of gzip data (every member), or None when they would exceed limit.

    Raises zlib.error or EOFError for damaged data (truncated, not gzip).
    """
    out = bytearray()
    position = 0
    while True:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending = b""
        while not decompressor.eof:
            if not pending and position < len(data):
                pending = data[position:position + _GZIP_STEP]
                position += len(pending)
            # max_length bounds each step's output: a bomb stops one byte past the limit
            chunk = decompressor.decompress(pending, limit + 1 - len(out))
            pending = decompressor.unconsumed_tail
            out += chunk
            if len(out) > limit:
                return None
            if not chunk and not pending and position >= len(data) and not decompressor.eof:
                raise EOFError("compressed file ended before the end-of-stream marker was reached")
        rest = decompressor.unused_data + data[position:]
        if not rest.strip(b"\x00"):  # trailing padding after the last member, as gzip tolerates
            return bytes(out)
        data, position = rest, 0


def read_gzip_file(path: Path, *, root: Path, page_id: str | None, what: str = "page",
                   limit: int = MAX_PAGE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A gzip file's decompressed bytes, bounded by limit both compressed and decompressed."""
    data, problems = read_corpus_file(path, root=root, page_id=page_id, what=what, limit=limit)
    if data is None:
        return None, problems
    try:
        raw = gunzip_limited(data, limit)
    except (zlib.error, EOFError) as exc:
        return None, [Problem(str(path), f"cannot read {what} (not valid gzip: {exc})", page_id, True)]
    if raw is None:
        return None, [_too_large(Path(path), what, limit, page_id, decompressed=True)]
    return raw, []
