"""What every importer shares: a card built from what the page says about itself, safe ids, a digest.

Public datasets come without cards. An importer knows the URL at most, so the
card's language and publication date are taken from the page's own
declarations (``<html lang>``, ``article:published_time``, JSON-LD
``datePublished``, a date in the URL path), with where the date came from
kept as ``published_from``. That makes split tables (language, era) work on
public datasets and lets language-aware adapters pick their language; a page
that declares nothing gets ``language = "und"`` and no date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any, Iterable
from urllib.parse import urlsplit

from benchmark.records import Card, Corpus, Page, Problem

#: how much of a decoded page is searched for its language and date declarations
_HEAD_CHARS = 300_000
_HTML_TAG_RE = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_META_TAG_RE = re.compile(r"<[mM][eE][tT][aA]\b[^>]*>")
#: only meta tags holding one of these can carry a date or a content language; a page has dozens of others
_META_WORDS = ("date", "published", "issued", "created", "content-language")
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_LANG_TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$", re.IGNORECASE)
#: meta names/properties/itemprops that carry the publication date, most specific first
_DATE_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "parsely-pub-date", "sailthru.date",
    "pubdate", "publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date", "date",
)
_JSONLD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/-]|$|\.)")
_ISO_DATE_RE = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)")
#: the bundled format's page ids (benchmark.corpus.bundled.PAGE_ID_RE)
SAFE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: a made-safe id keeps at most this many characters of slug before its hash suffix
_SLUG_CHARS = 60
#: a safe id longer than this is shortened too (file names must stay well under 255 bytes)
_MAX_ID_CHARS = 100


def dataset_card(url: str, source: str, language: str = "und") -> Card:
    """A card for a page that came with no card: site from the URL, no chrome list."""
    host = (urlsplit(url).hostname or "") if isinstance(url, str) and url else ""
    site = host.removeprefix("www.") if host else "unknown"
    return Card(url=url if isinstance(url, str) else "", site=site, language=language, published=None,
                source=source)


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): a or b or c for name, a, b, c in _ATTR_RE.findall(tag)}


def declared_metas(html: str) -> list[dict[str, str]]:
    """The attributes of the page's meta tags that may declare a date or a language, in page order."""
    metas = []
    for tag in _META_TAG_RE.findall(html, 0, _HEAD_CHARS):
        low = tag.lower()
        if any(word in low for word in _META_WORDS):
            metas.append(_attributes(tag))
    return metas


def declared_language(html: str, metas: list[dict[str, str]] | None = None) -> str | None:
    """The BCP 47 tag the page declares (``<html lang>``, then a content-language meta), if well formed."""
    candidates = []
    if match := _HTML_TAG_RE.search(html, 0, _HEAD_CHARS):
        attrs = _attributes(match.group(0))
        candidates += [attrs.get("lang", ""), attrs.get("xml:lang", "")]
    for attrs in declared_metas(html) if metas is None else metas:
        if attrs.get("http-equiv", "").lower() == "content-language":
            candidates.append(attrs.get("content", "").split(",")[0])
    for value in candidates:
        tag = value.strip().replace("_", "-")
        if _LANG_TAG_RE.match(tag):
            return tag
    return None


def iso_date(value: str) -> dt.date | None:
    """The date at the start of an ISO-8601 string, if it is a real date."""
    match = _ISO_DATE_RE.match(value)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def declared_published(html: str, url: str = "",
                       metas: list[dict[str, str]] | None = None) -> tuple[dt.date | None, str]:
    """The publication date the page states, and where it was found ("" when nowhere).

    The date part is taken as written (the page's own time zone), so
    ``2019-11-20T01:50:59-05:00`` is 2019-11-20.
    """
    found: dict[str, dt.date] = {}
    for attrs in declared_metas(html) if metas is None else metas:
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_META_KEYS and key not in found and (date := iso_date(attrs.get("content", ""))):
            found[key] = date
    for key in _DATE_META_KEYS:
        if key in found:
            return found[key], f"meta {key}"
    for match in _JSONLD_DATE_RE.finditer(html):
        if date := iso_date(match.group(1)):
            return date, "json-ld datePublished"
    if url and (match := _URL_DATE_RE.search(urlsplit(url).path)):
        try:
            return dt.date(*map(int, match.groups())), "url"
        except ValueError:
            pass
    return None, ""


def dataset_page(page_id: str, path: str, raw: bytes, url: str, source: str,
                 language: str | None = None) -> tuple[Page, list[Problem]]:
    """Decode a dataset's page and give it a card from its URL and its own declarations."""
    from benchmark.corpus.bundled import page_from_bytes

    page, html, problems = page_from_bytes(page_id, path, raw, dataset_card(url, source))
    metas = declared_metas(html)  # parsed once for both look-ups
    published, published_from = declared_published(html, page.card.url, metas)
    card = dataclasses.replace(
        page.card,
        language=language or declared_language(html, metas) or "und",
        published=published,
        extra=(("published_from", published_from),) if published_from else (),
    )
    return dataclasses.replace(page, card=card), problems


def safe_page_id(dataset_id: str) -> str:
    """A bundled-format id for a dataset id: itself when already safe (and short), else a slug plus a hash.

    Deterministic, and distinct for distinct ids: the 8-hex-digit suffix is
    the start of the sha256 of the original id, so "Page_1" and "page-1"
    (or two URLs that slug alike) never collide.
    """
    if SAFE_ID_RE.match(dataset_id) and len(dataset_id) <= _MAX_ID_CHARS:
        return dataset_id
    text = dataset_id
    if "://" in text:  # a URL: the scheme and "www." say nothing
        text = text.split("://", 1)[1].removeprefix("www.")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:_SLUG_CHARS].strip("-")
    suffix = hashlib.sha256(dataset_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{suffix}" if slug else f"page-{suffix}"


def safe_page_ids(dataset_ids: Iterable[str]) -> dict[str, str]:
    """dataset id -> safe id for a whole dataset; raises ValueError on the (unlikely) collision."""
    mapping: dict[str, str] = {}
    taken: dict[str, str] = {}
    for dataset_id in dataset_ids:
        safe = safe_page_id(dataset_id)
        if safe in taken and taken[safe] != dataset_id:
            raise ValueError(f"dataset ids {taken[safe]!r} and {dataset_id!r} both map to page id {safe!r}")
        taken[safe] = dataset_id
        mapping[dataset_id] = safe
    return mapping


class Digest:
    """sha256 over (name, bytes) pairs in the order given; importers feed files sorted by id."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, name: str, data: bytes, *, sha256: str | None = None) -> None:
        """Add a file; pass its sha256 (hex) when already known, so a page's bytes are hashed once."""
        self._hash.update(name.encode("utf-8", "surrogatepass") + b"\0")
        self._hash.update(bytes.fromhex(sha256) if sha256 is not None else hashlib.sha256(data).digest())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def with_identified_languages(corpus: Corpus, labels: Any = None) -> Corpus:
    """Each page's language identified from its text; the declared label kept beside it, the identified one used.

    A card gets ``language_declared`` (what the page says, "und" when
    nothing) and ``language_identified`` (py3langid on the page's paragraph
    text, "und" when unsure) in its extra fields, and its ``language``
    becomes the identified label where there is one, so split tables and
    language-aware adapters (jusText's stoplist) use it. Labels are cached by
    page sha256 (`benchmark.corpus.langid.LanguageLabels`).
    """
    from benchmark.corpus.langid import LanguageLabels, identify, text_sample

    if not corpus.pages:
        return corpus
    own = labels is None
    labels = LanguageLabels() if own else labels
    try:
        known = labels.known(page.sha256 for page in corpus.pages)
        fresh = {page.sha256: identify(text_sample(page.html)) for page in corpus.pages if page.sha256 not in known}
        labels.store(fresh)
    finally:
        if own:
            labels.close()
    identified = {**known, **fresh}
    pages = []
    for page in corpus.pages:
        declared = page.card.language or "und"
        found = identified.get(page.sha256, "und")
        extra = tuple((k, v) for k, v in page.card.extra if k not in {"language_declared", "language_identified"})
        card = dataclasses.replace(page.card, language=found if found != "und" else declared,
                                   extra=(*extra, ("language_declared", declared), ("language_identified", found)))
        pages.append(dataclasses.replace(page, card=card))
    provenance = corpus.provenance
    if provenance is not None and provenance.languages_from == "declared":
        provenance = dataclasses.replace(provenance, languages_from="identified")
    return dataclasses.replace(corpus, pages=tuple(pages), provenance=provenance)
