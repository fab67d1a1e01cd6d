"""The one place the naeb, l3s-gn1 and webmainbench importers read their files through.

Today it is the bundled reader's size-limited read plus a containment check
on names the dataset supplies; when the shared bounded reader (issue 14's
``benchmark.corpus.file_reader``) is on main, these two names become that
module's ``member_path`` and ``read_corpus_file`` and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.corpus.bundled import MAX_PAGE_BYTES, read_page_bytes
from benchmark.records import Problem

#: an index file (articles.json, a JSONL of pages) may hold every gold text and page of a set
MAX_INDEX_BYTES = 4 * 1024 * 1024 * 1024


def member_path(root: Path, name: str) -> Path | None:
    """root/name for a name the dataset supplies, or None when it would leave root (absolute, '..', a link out)."""
    if not name or "\x00" in name or Path(name).is_absolute() or ".." in Path(name).parts:
        return None
    candidate = root / name
    try:
        resolved, base = candidate.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return None
    return candidate if resolved == base or base in resolved.parents else None


def read_dataset_file(path: Path, *, root: Path, page_id: str | None, what: str = "page",
                      limit: int = MAX_PAGE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes (at most `limit`), or None and a problem naming it."""
    if member_path(Path(root), str(Path(path).relative_to(root)) if Path(path).is_relative_to(root) else "") is None:
        return None, [Problem(str(path), f"{what} lies outside {root}: refused", page_id, True)]
    if what == "page":
        return read_page_bytes(Path(path), page_id or "")
    try:
        size = Path(path).stat().st_size
        if size > limit:
            return None, [Problem(str(path), f"{what} is {size} bytes, over the {limit}-byte limit", page_id, True)]
        return Path(path).read_bytes(), []
    except OSError as exc:
        return None, [Problem(str(path), f"cannot read {what} ({exc.strerror or exc})", page_id, True)]
