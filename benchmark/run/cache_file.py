"""The cache's SQLite file: its schema, opening it, and what happens when it cannot be trusted.

A file that is not a database, fails ``PRAGMA quick_check`` or has another
schema version is deleted and rebuilt empty (`CacheRebuiltWarning`); one that
cannot be opened or written turns the cache off for the run
(`CacheDisabledWarning`). `benchmark.run.cache.Cache` builds the pairs' store
on this.
"""

from __future__ import annotations

import os
import sqlite3
import warnings
from pathlib import Path
from typing import Callable

#: bumped when the table changes shape; a file of another version is rebuilt
CACHE_SCHEMA_VERSION = 2
CACHE_FILENAME = "extractions.sqlite3"
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26

#: the columns of a pair's key (cache_key.CacheKey.as_row), first in both the extractions and scores tables
_KEY_NAMES = ("extractor", "version", "options_digest", "page_sha256", "input_digest", "code_digest")
_KEY_COLUMNS = "".join(f"    {name} TEXT NOT NULL,\n" for name in _KEY_NAMES)
_KEY = ", ".join(_KEY_NAMES)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extractions (
{_KEY_COLUMNS}    page_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    text TEXT NOT NULL,
    error TEXT NOT NULL,
    ms REAL,
    stdout TEXT NOT NULL,
    stderr TEXT NOT NULL,
    created TEXT NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY ({_KEY})
);
CREATE TABLE IF NOT EXISTS scores (
{_KEY_COLUMNS}    score_digest TEXT NOT NULL,
    extraction_digest TEXT NOT NULL,
    score TEXT NOT NULL,
    PRIMARY KEY ({_KEY}, score_digest)
);
CREATE TABLE IF NOT EXISTS page_tokens (
    page_sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    code_digest TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    PRIMARY KEY (page_sha256, encoding, code_digest)
);
"""


class CacheRebuiltWarning(UserWarning):
    """The cache file was corrupt or of another schema; it was rebuilt empty."""


class CacheDisabledWarning(UserWarning):
    """The cache could not be opened or written; the run goes on without it."""


class CacheRowWarning(UserWarning):
    """A cached row did not match its checksum; it was treated as a miss."""


def default_path() -> Path:
    """<user cache dir>/boilerbench/extractions.sqlite3 (XDG_CACHE_HOME on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("boilerbench", appauthor=False)) / CACHE_FILENAME


def _is_corruption(exc: BaseException) -> bool:
    """A damaged file (not "database is locked", which is contention, not damage)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(exc).lower()
    return "malformed" in message or "not a database" in message or type(exc) is sqlite3.DatabaseError


class _SchemaMismatch(Exception):
    """The file is a database of another schema version."""


class CacheFile:
    """An open cache database that rebuilds itself when damaged and switches itself off when unwritable."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 on_notice: Callable[[str], None] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        #: what happened to the file (rebuilt, disabled, rows not trusted), in order
        self.notices: list[str] = []
        self._on_notice = on_notice
        self._conn: sqlite3.Connection | None = None
        self.enabled = True
        self._open()

    # ----------------------------------------------------------------- opening

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a killed process
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                if conn.execute("SELECT 1 FROM extractions LIMIT 1").fetchone() is not None:
                    raise _SchemaMismatch("rows without a schema version")
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                             (str(CACHE_SCHEMA_VERSION),))
            elif row[0] != str(CACHE_SCHEMA_VERSION):
                raise _SchemaMismatch(f"schema version {row[0]}, expected {CACHE_SCHEMA_VERSION}")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check[0] if check else 'no answer'}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> None:
        try:
            try:
                self._conn = self._connect()
            except _SchemaMismatch as exc:
                self._rebuild(f"it has {exc}")
            except sqlite3.DatabaseError as exc:
                if not _is_corruption(exc) and not str(exc).startswith("quick_check"):
                    raise
                self._rebuild(f"it is damaged ({exc})")
        except (OSError, sqlite3.Error) as exc:
            self._disable(f"cannot open the cache {self.path} ({exc}); running without a cache")

    def _rebuild(self, reason: str) -> None:
        """Delete the untrusted file (and its WAL) and start empty, with a warning."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
        self._notice(f"the boilerbench cache {self.path} was not trusted: {reason}; rebuilt it empty",
                     CacheRebuiltWarning)
        self._conn = self._connect()

    def _disable(self, message: str) -> None:
        self.close()
        self.enabled = False
        self._notice(message, CacheDisabledWarning)

    def _notice(self, message: str, category: type[Warning]) -> None:
        """Say it once: to the caller's on_notice, or else as a Python warning."""
        self.notices.append(message)
        if self._on_notice is not None:
            self._on_notice(message)
        else:
            warnings.warn(message, category, stacklevel=4)

    def _on_error(self, exc: sqlite3.Error) -> None:
        """Damage found mid-run: rebuild; anything else (disk full, locked): stop caching, keep running."""
        try:
            if isinstance(exc, sqlite3.DatabaseError) and _is_corruption(exc):
                self._rebuild(f"it became damaged ({exc})")
                return
        except (OSError, sqlite3.Error) as again:
            exc = again
        self._disable(f"the cache {self.path} failed ({exc}); going on without it")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def __enter__(self) -> CacheFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
