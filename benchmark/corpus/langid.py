"""The language of a page identified from its text (py3langid, whose model ships in its package), and its script.

Public datasets label pages with what the page declares (``<html lang>``),
which is wrong on some of them (AEB's businessinsider.com page declares "de"
and is English). Importers keep the declared label and add the identified
one; splits and language-aware adapters (jusText's stoplist) use the
identified one. Nothing is downloaded: py3langid's model is a file inside the
package, loaded on first use (about 3 s), so labels are kept in a small cache
keyed by page sha256 and a digest of this module, and a page is identified
once per machine.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import re
import sqlite3
from pathlib import Path
from typing import Iterable

#: text taken from a page for identification: enough for a confident label, little enough to be fast
SAMPLE_CHARS = 3000
#: a page with less text than this is not identified ("und")
MIN_CHARS = 40
_DROP_RE = re.compile(r"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")

#: primary language subtag -> script family, for the report's "by script" picks
_SCRIPTS = {
    "cyrillic": "ru uk be bg sr mk kk ky tg mn",
    "arabic-hebrew": "ar fa ur ps he iw yi ug sd ku",
    "han-kana-hangul": "zh ja ko yue wuu",
    "greek": "el",
    "indic": "hi mr ne bn pa gu or ta te kn ml si sa",
    "thai-lao-khmer": "th lo km my",
    "georgian-armenian": "ka hy",
}
SCRIPT_OF = {code: family for family, codes in _SCRIPTS.items() for code in codes.split()}


def script_family(language: str) -> str:
    """Script family of a BCP 47 tag: "latin" unless listed; "unknown" for an unidentified page."""
    primary = (language or "").strip().replace("_", "-").split("-", 1)[0].lower()
    if primary in ("", "und"):
        return "unknown"
    if primary == "sr" and "latn" in language.lower():
        return "latin"
    return SCRIPT_OF.get(primary, "latin")


def text_sample(html: str) -> str:
    """The page's paragraph text (all its text when it has no paragraphs), markup stripped, cut to SAMPLE_CHARS."""
    body = _DROP_RE.sub(" ", html)
    paragraphs = " ".join(_PARAGRAPH_RE.findall(body))
    text = paragraphs if len(_TAG_RE.sub("", paragraphs).strip()) >= MIN_CHARS else body
    text = html_lib.unescape(_TAG_RE.sub(" ", text))
    return _SPACE_RE.sub(" ", text).strip()[:SAMPLE_CHARS]


@functools.lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier, its packaged model loaded once (no download)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is too little text or the model is unsure."""
    if len(text) < MIN_CHARS:
        return "und"
    language, probability = _identifier().classify(text)
    return str(language) if probability >= 0.5 else "und"


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """Labels depend on this module's code and the model's version: both key the cache."""
    from importlib import metadata

    try:
        version = metadata.version("py3langid")
    except metadata.PackageNotFoundError:
        version = "missing"
    return hashlib.sha256(Path(__file__).read_bytes() + version.encode()).hexdigest()[:16]


def default_cache_path() -> Path:
    """<user cache dir>/boilerbench/languages.sqlite3, beside the extraction cache."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("boilerbench", appauthor=False)) / "languages.sqlite3"


class LanguageLabels:
    """Identified labels by page sha256, kept on disk; a cache that cannot be opened is simply not used."""

    def __init__(self, path: Path | None = None) -> None:
        self.code = _code_digest()
        self._conn: sqlite3.Connection | None = None
        try:
            target = path or default_cache_path()
            target.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(target, timeout=5)
            self._conn.execute("CREATE TABLE IF NOT EXISTS labels (page_sha256 TEXT NOT NULL, code TEXT NOT NULL, "
                               "language TEXT NOT NULL, PRIMARY KEY (page_sha256, code))")
        except (OSError, sqlite3.Error):
            self._conn = None

    def known(self, digests: Iterable[str]) -> dict[str, str]:
        """The stored labels of these pages."""
        if self._conn is None:
            return {}
        found: dict[str, str] = {}
        digests = list(digests)
        try:
            for start in range(0, len(digests), 500):
                part = digests[start:start + 500]
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(f"SELECT page_sha256, language FROM labels WHERE code = ? AND "
                                          f"page_sha256 IN ({marks})", (self.code, *part))
                found.update(dict(rows.fetchall()))
        except sqlite3.Error:
            return found
        return found

    def store(self, labels: dict[str, str]) -> None:
        if self._conn is None or not labels:
            return
        try:
            with self._conn:
                self._conn.executemany("INSERT OR REPLACE INTO labels VALUES (?, ?, ?)",
                                       [(digest, self.code, language) for digest, language in labels.items()])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
