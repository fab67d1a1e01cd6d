"""The extraction cache: finished pairs survive a killed run, so the next run does only what is missing.

One SQLite file in WAL mode (default: the platformdirs user cache dir, which
honours ``XDG_CACHE_HOME``, ``/boilerbench/extractions.sqlite3``). Each pair is
written as it finishes, in its own transaction, so a run killed at any moment
(SIGKILL included) keeps every pair it had finished.

Key: extractor name, extractor version, options digest, page sha256 (the
brief's four), plus two digests that keep the cache honest when something
else the result depends on changes:

- ``input_digest``: sha256 of everything the adapter is handed (decoded HTML,
  codec, URL, language and, for ``needs_gold`` specs, the gold), so a fixed
  decoder or an edited card is not served a stale result;
- ``code_digest``: the digest of the spec's code identity (code_identity.py):
  the adapter's module and the package modules it imports (a plugin's too),
  the extractor distribution's installed files (its RECORD, or an editable
  install's source tree: git commit, uncommitted diff and untracked files),
  and the versions of everything it requires (lxml, libxml2, Python ...), all
  found without importing it, so neither an edited editable install nor an
  upgraded lxml is served results of the old code.

Beside each extraction, its score (table ``scores``): keyed by the
extraction's key plus a digest of what scoring read (the gold, the card, the
lexicon and the scorer's code; ``score/memo.py``), and checked against a
digest of the extraction it scored, so a warm re-run scores nothing again.

What is cached: ``ok``, ``empty`` and ``error`` (deterministic for a given
key), except ``MemoryError`` errors, which depend on ``--memory-mb``. Not
cached: ``timeout`` and ``crash`` (they depend on the deadline, on machine load
and on luck, so a resumed run tries them again) and ``unavailable`` (installing
the library must take effect at once). Cache hits come back with
``cached=True`` and the ``ms`` measured when they were computed.

Each row carries a checksum (sha256) of what it stores (outcome, text,
error, captured output): a row edited or damaged in place, even to the same
length, no longer matches it and is a miss with a `CacheRowWarning`, so the
pair is computed again and the row replaced.

A cache file that is not a database, fails ``PRAGMA quick_check`` or has
another schema version is never trusted: it is deleted and rebuilt empty with
a `CacheRebuiltWarning`. A cache that cannot be written at all (read-only
disk) warns once and turns itself off; the run goes on uncached. Each such
notice is given once: to ``on_notice`` when the caller passes one (the CLI
prints it), else as a Python warning.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sqlite3
from typing import Any, Callable

from benchmark.records import Extraction, Outcome
from benchmark.run.cache_file import (CACHE_FILENAME, CACHE_SCHEMA_VERSION, CacheDisabledWarning, CacheFile,
                                      CacheRebuiltWarning, CacheRowWarning, default_path)
from benchmark.run.cache_key import CacheKey, input_digest, make_key, page_facts_digest
from benchmark.run.code_identity import code_digest

__all__ = ["CACHE_FILENAME", "CACHE_SCHEMA_VERSION", "Cache", "CacheDisabledWarning", "CacheKey",
           "CacheRebuiltWarning", "CacheRowWarning", "code_digest", "default_path", "input_digest",
           "extraction_checksum", "is_cacheable", "make_key", "page_facts_digest"]

CACHEABLE = frozenset({Outcome.OK, Outcome.EMPTY, Outcome.ERROR})
_CACHEABLE_VALUES = frozenset(outcome.value for outcome in CACHEABLE)
#: errors that depend on harness limits rather than on the page and the code
_LIMIT_ERRORS = ("MemoryError", "output too large")

#: the columns an extraction is rebuilt from
_ROW_COLUMNS = "outcome, text, error, ms, stdout, stderr, checksum"


def row_checksum(outcome: str, text: str, error: str, stdout: str, stderr: str) -> str:
    """sha256 over what a row stores, each part length-prefixed (so no two rows can collide by shifting text)."""
    digest = hashlib.sha256()
    for part in (outcome, text, error, stdout, stderr):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def extraction_checksum(extraction: Extraction) -> str:
    """The row checksum of what storing this extraction keeps (UnicodeEncodeError: it cannot be stored)."""
    return row_checksum(extraction.outcome.value, extraction.text, extraction.error, extraction.stdout,
                        extraction.stderr)


def is_cacheable(extraction: Extraction) -> bool:
    """ok/empty/error are results of the code on the page; timeout/crash/unavailable are not."""
    if extraction.outcome not in CACHEABLE:
        return False
    return not (extraction.outcome is Outcome.ERROR and extraction.error.startswith(_LIMIT_ERRORS))


class Cache(CacheFile):
    """Finished extractions by key; `get` before dispatch, `put` as each pair finishes."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 on_notice: Callable[[str], None] | None = None) -> None:
        # one query per extractor and code, kept until the next one is asked for (a run asks for thousands in a row)
        self._rows = _RowsOfOneCode(
            f"SELECT page_sha256, input_digest, {_ROW_COLUMNS} FROM extractions WHERE {_CODE_WHERE}",
            lambda page, inputs, *row: ((page, inputs), tuple(row)))
        self._marks = _RowsOfOneCode(
            f"SELECT page_sha256, input_digest, outcome, checksum, ms FROM extractions WHERE {_CODE_WHERE}",
            lambda page, inputs, outcome, checksum, ms: ((page, inputs), (checksum, ms))
            if outcome in _CACHEABLE_VALUES else None)
        self._scores = _RowsOfOneCode(
            "SELECT page_sha256, input_digest, score_digest, extraction_digest, score FROM scores "
            f"WHERE {_CODE_WHERE}",
            lambda page, inputs, digest, pair, score: ((page, inputs, digest), (pair, score)))
        super().__init__(path, on_notice=on_notice)

    # ----------------------------------------------------------------- use

    def get(self, key: CacheKey, page_id: str) -> Extraction | None:
        """The stored extraction for key (as page_id, with cached=True), or None."""
        if self._conn is None:
            return None
        try:
            row = self._prefetched(key)
            if row is None:
                row = self._conn.execute(
                    f"SELECT {_ROW_COLUMNS} FROM extractions WHERE extractor = ? "
                    "AND version = ? AND options_digest = ? AND page_sha256 = ? AND input_digest = ? "
                    "AND code_digest = ?", key.as_row()).fetchone()
        except sqlite3.Error as exc:
            self._on_error(exc)
            return None
        if row is None:
            return None
        outcome_value, text, error, ms, stdout, stderr, checksum = row
        if not all(isinstance(v, str) for v in (outcome_value, text, error, stdout, stderr, checksum)) or \
                row_checksum(outcome_value, text, error, stdout, stderr) != checksum:
            self._notice(f"the boilerbench cache {self.path}: the row of {key.extractor} on {page_id} does not "
                         "match its checksum (edited or damaged); computing the pair again", CacheRowWarning)
            return None
        try:
            outcome = Outcome(outcome_value)
        except ValueError:
            return None
        if outcome not in CACHEABLE:
            return None
        return Extraction(extractor=key.extractor, page_id=page_id, outcome=outcome, text=text, error=error,
                          ms=ms, stdout=stdout, stderr=stderr, cached=True)

    def _prefetched(self, key: CacheKey) -> tuple[Any, ...] | None:
        """The row for key from one query per extractor and code; a key it does not hold is looked up on its own."""
        assert self._conn is not None
        return self._rows.get(self._conn, key, (key.page_sha256, key.input_digest))

    def stored_mark(self, key: CacheKey) -> tuple[str, float | None] | None:
        """The checksum and ms of the row a `get` would serve for key (not read or verified); None if none."""
        if self._conn is None:
            return None
        try:
            return self._marks.get(self._conn, key, (key.page_sha256, key.input_digest))
        except sqlite3.Error as exc:
            self._on_error(exc)
            return None

    def put(self, key: CacheKey, extraction: Extraction) -> bool:
        """Store a finished pair at once (its own transaction); False when not cacheable or not stored."""
        if self._conn is None or extraction.cached or not is_cacheable(extraction):
            return False
        self._rows.drop((key.page_sha256, key.input_digest))  # the stored row is this one from now on
        self._marks.forget()
        try:
            checksum = extraction_checksum(extraction)
        except UnicodeEncodeError:  # not storable: see below
            return False
        row = key.as_row() + (
            extraction.page_id, extraction.outcome.value, extraction.text, extraction.error, extraction.ms,
            extraction.stdout, extraction.stderr,
            _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), checksum)
        try:
            self._conn.execute("INSERT OR REPLACE INTO extractions VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        except UnicodeEncodeError:  # lone surrogates in a text: not storable, simply not cached
            return False
        except sqlite3.Error as exc:
            self._on_error(exc)
            return False
        return True

    def has_code(self, extractor: str, version: str, options_digest: str, code_digest: str) -> bool:
        """Whether any pair of this extractor's very code is stored (a re-run is then likely warm)."""
        if self._conn is None:
            return False
        try:
            return self._conn.execute(
                "SELECT 1 FROM extractions WHERE extractor = ? AND version = ? AND options_digest = ? "
                "AND code_digest = ? LIMIT 1", (extractor, version, options_digest, code_digest)).fetchone() \
                is not None
        except sqlite3.Error as exc:
            self._on_error(exc)
            return False

    def get_page_tokens(self, page_sha256: str, encoding: str, code: str) -> int | None:
        """A page's visible-token count (the gold-share split), stored by an earlier run; None if not."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute("SELECT tokens FROM page_tokens WHERE page_sha256 = ? AND encoding = ? "
                                     "AND code_digest = ?", (page_sha256, encoding, code)).fetchone()
        except sqlite3.Error as exc:
            self._on_error(exc)
            return None
        return int(row[0]) if row is not None else None

    def put_page_tokens(self, page_sha256: str, encoding: str, code: str, tokens: int) -> None:
        """Remember a page's visible-token count: parsing every page again is most of a warm re-run."""
        if self._conn is None:
            return
        try:
            self._conn.execute("INSERT OR REPLACE INTO page_tokens VALUES (?, ?, ?, ?)",
                               (page_sha256, encoding, code, tokens))
        except sqlite3.Error as exc:
            self._on_error(exc)

    def get_score(self, key: CacheKey, score_digest: str, extraction_digest: str) -> str | None:
        """The stored score (JSON) of the extraction under key, scored under score_digest; None if not.

        The extraction digest must match too: a pair computed again (another
        run, another ms) is scored again, never paired with another's score.
        """
        if self._conn is None:
            return None
        try:
            row = self._scores.get(self._conn, key, (key.page_sha256, key.input_digest, score_digest))
            if row is None:
                row = self._conn.execute(
                    "SELECT extraction_digest, score FROM scores WHERE extractor = ? AND version = ? AND "
                    "options_digest = ? AND page_sha256 = ? AND input_digest = ? AND code_digest = ? AND "
                    "score_digest = ?", (*key.as_row(), score_digest)).fetchone()
        except sqlite3.Error as exc:
            self._on_error(exc)
            return None
        return row[1] if row is not None and row[0] == extraction_digest else None

    def put_score(self, key: CacheKey, score_digest: str, extraction_digest: str, score: str) -> None:
        """Keep a pair's score beside its extraction, so a warm re-run scores nothing again."""
        if self._conn is None:
            return
        try:
            self._conn.execute("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (*key.as_row(), score_digest, extraction_digest, score))
        except UnicodeEncodeError:
            return
        except sqlite3.Error as exc:
            self._on_error(exc)

    def clear(self) -> int:
        """Forget every cached extraction (and score and page fact); returns how many extractions there were."""
        if self._conn is None:
            return 0
        try:
            count = self._conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
            self._conn.execute("DELETE FROM scores")
            self._conn.execute("DELETE FROM page_tokens")
            self._conn.execute("DELETE FROM extractions")
            self._conn.execute("VACUUM")
        except sqlite3.Error as exc:
            self._on_error(exc)
            return 0
        return int(count)

    def __len__(self) -> int:
        if self._conn is None:
            return 0
        try:
            return int(self._conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0])
        except sqlite3.Error:
            return 0

    def stats(self) -> dict[str, Any]:
        """Rows per extractor and the file size, for `boilerbench cache info`."""
        rows: dict[str, int] = {}
        if self._conn is not None:
            try:
                for name, count in self._conn.execute(
                        "SELECT extractor, COUNT(*) FROM extractions GROUP BY extractor ORDER BY extractor"):
                    rows[name] = int(count)
            except sqlite3.Error:
                pass
        size = sum(os.path.getsize(f"{self.path}{s}") for s in ("", "-wal") if os.path.exists(f"{self.path}{s}"))
        return {"path": str(self.path), "enabled": self.enabled, "rows": rows, "bytes": size}

    def __enter__(self) -> Cache:
        return self


#: the rows of one extractor, version, options and code
_CODE_WHERE = "extractor = ? AND version = ? AND options_digest = ? AND code_digest = ?"


class _RowsOfOneCode:
    """One query's rows for one extractor and code, by key; fetched again when another code is asked for."""

    def __init__(self, query: str, entry: Callable[..., tuple[tuple[str, ...], Any] | None]) -> None:
        self.query, self.entry = query, entry
        self.code: tuple[str, ...] | None = None
        self.rows: dict[tuple[str, ...], Any] = {}

    def get(self, conn: sqlite3.Connection, key: CacheKey, within: tuple[str, ...]) -> Any:
        code = (key.extractor, key.version, key.options_digest, key.code_digest)
        if code != self.code:
            self.code = code
            self.rows = dict(item for row in conn.execute(self.query, code) if (item := self.entry(*row)) is not None)
        return self.rows.get(within)

    def drop(self, within: tuple[str, ...]) -> None:
        """A row was written: it is looked up on its own from now on (the others stay fetched)."""
        self.rows.pop(within, None)

    def forget(self) -> None:
        """A row was written: the next question fetches them all again."""
        self.code = None
