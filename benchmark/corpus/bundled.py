"""Load a corpus in the bundled format: pages/<id>.html + gold/<id>.txt + gold/<id>.toml.

Loading never stops at a bad file: every finding becomes a `Problem` naming
the file and what to do, and only the pages that cannot be scored at all (no
gold, unreadable gold or card) are marked as blocked. One typo in one gold
file must not stop a benchmark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Card, Corpus, Gold, Page, Problem, Provenance

#: the corpus-level description beside the cards (gold/CORPUS.toml), not a page's card
CORPUS_FILE = "CORPUS.toml"
#: a corpus folder that does not say what its pages are
UNSTATED = Provenance(kind="unstated", title="pages supplied by the user",
                      summary="Where these pages come from is not stated: add gold/CORPUS.toml.",
                      languages_from="card")
REQUIRED_CARD_FIELDS = ("url", "site", "language", "published", "layout", "source", "chrome")
PAGE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CARD_KNOWN = {"url", "site", "language", "published", "layout", "source", "chrome", "must_include"}


def _load_toml(data: bytes) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(data.decode("utf-8"))


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def parse_card(data: bytes, path: str) -> tuple[Card | None, list[Problem]]:
    """Build a Card from TOML bytes; a card that cannot be read returns None and says why."""
    page_id = Path(path).stem
    try:
        raw = _load_toml(data)
    except UnicodeDecodeError:
        return None, [Problem(path, "card is not UTF-8: re-save it as UTF-8", page_id, True)]
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        return None, [Problem(path, f"card is not valid TOML ({exc}): fix the syntax", page_id, True)]
    problems = [
        Problem(path, f"card lacks the field '{name}': add it (see gold/GUIDELINES.md)", page_id)
        for name in REQUIRED_CARD_FIELDS
        if name not in raw
    ]
    published = raw.get("published")
    if isinstance(published, dt.datetime):
        published = published.date()
    elif published == "unknown":  # a page that states no date (imported datasets): allowed, said openly
        published = None
    elif isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            problems.append(Problem(path, f"published '{published}' is not a date: write YYYY-MM-DD", page_id))
            published = None
    elif published is not None and not isinstance(published, dt.date):
        problems.append(Problem(path, "published is not a date: write YYYY-MM-DD", page_id))
        published = None
    lists = {}
    for name in ("layout", "chrome", "must_include"):
        value = _strings(raw.get(name, []))
        if value is None:
            problems.append(Problem(path, f"'{name}' must be a list of strings", page_id))
            value = ()
        lists[name] = value
    scalars = {}
    for name in ("url", "site", "language", "source"):
        value = raw.get(name, "")
        if not isinstance(value, str):
            problems.append(Problem(path, f"'{name}' must be a string", page_id))
            value = str(value)
        scalars[name] = value
    extra = tuple(sorted((k, str(v)) for k, v in raw.items() if k not in _CARD_KNOWN))
    card = Card(
        url=scalars["url"],
        site=scalars["site"],
        language=scalars["language"],
        published=published,
        layout=lists["layout"],
        source=scalars["source"],
        chrome=lists["chrome"],
        must_include=lists["must_include"],
        extra=extra,
    )
    return card, problems


def page_from_bytes(page_id: str, path: str, raw: bytes, card: Card) -> tuple[Page, str, list[Problem]]:
    """Decode saved bytes once into a Page, and the text decoding gave (`page.html` would decode again for a
    caller that reads it now); odd bytes are reported, never raised."""
    from benchmark.corpus.decoding import charset_problem, decode_page

    problems = []
    if not raw.strip():
        problems.append(Problem(path, "page is empty: every extractor will score a miss on it", page_id))
    elif b"\x00" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(path, "page looks binary (NUL bytes): is it really HTML?", page_id))
    html, codec, source = decode_page(raw)
    if (charset := charset_problem(raw, codec, source)) is not None:
        problems.append(Problem(path, charset, page_id))
    page = Page(page_id=page_id, path=path, raw=raw, encoding=codec, encoding_source=source,
                sha256=hashlib.sha256(raw).hexdigest(), card=card)
    return page, html, problems


def read_gold(path: Path, *, root: Path, data: bytes | None = None,
              marks: bool = True) -> tuple[Gold | None, list[Problem]]:
    """Read a gold body text (through the bounded reader, inside root, unless its bytes are given); UTF-8.

    With `marks` (the bundled format) its structure marks are read off:
    `Gold.text` is then the plain text every metric and check reads, and
    `Gold.marked` the file as written; a folder of plain texts (`marks=False`)
    keeps its text as it is.
    """
    from benchmark.corpus.goldmarks import plain_text

    page_id = path.stem
    if data is None:
        data, problems = read_corpus_file(path, root=root, page_id=page_id, what="gold")
        if data is None:
            return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(str(path), f"gold is not UTF-8 (byte {exc.start}): re-save it as UTF-8",
                              page_id, True)]
    text = text.removeprefix("\ufeff")
    problems = []
    if not text.strip():
        problems.append(Problem(str(path), "gold is empty: write the body text, or remove the page", page_id))
    if "\n\n\n" in text.replace("\r\n", "\n"):
        problems.append(Problem(str(path), "gold separates blocks with more than one blank line", page_id))
    if not marks:
        return Gold(page_id=page_id, path=str(path), text=text), problems
    return Gold(page_id=page_id, path=str(path), text=plain_text(text), marked=text), problems


def corpus_digest(contents: Mapping[Path, bytes | None]) -> str:
    """sha256 over the names and bytes of every file that decides the scores (None: a file that was refused)."""
    digest = hashlib.sha256()
    for path in sorted(contents, key=lambda p: (p.parent.name, p.name)):
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        data = contents[path]
        digest.update(hashlib.sha256(data).digest() if data is not None else b"unreadable")
    return digest.hexdigest()


@dataclass(frozen=True)
class _Listing:
    """The files of a bundled-format folder, with the problems of the listing itself (orphans, duplicates)."""

    root: Path
    page_files: tuple[Path, ...]
    gold_files: dict[str, Path]
    card_files: dict[str, Path]
    duplicates: frozenset[str]  # page ids (lowercased) held by more than one file


def _list_files(root: Path, problems: list[Problem]) -> _Listing | None:
    """List pages/ and gold/; None (and a problem) when a folder is missing."""
    pages_dir, gold_dir = root / "pages", root / "gold"
    missing = [Problem(str(folder), "folder missing: a corpus needs pages/ and gold/ side by side", None, True)
               for folder in (pages_dir, gold_dir) if not folder.is_dir()]
    if missing:
        problems += missing
        return None
    page_files = tuple(sorted(p for p in pages_dir.iterdir() if p.suffix.lower() in {".html", ".htm"}))
    gold_files = {p.stem: p for p in gold_dir.glob("*.txt")}
    card_files = {p.stem: p for p in gold_dir.glob("*.toml") if p.name != CORPUS_FILE}
    seen: Counter[str] = Counter(p.stem.lower() for p in page_files)
    for page_id, count in seen.items():
        if count > 1:
            problems.append(Problem(str(pages_dir / page_id), f"duplicate page id '{page_id}' ({count} files "
                                    "differ only in case or extension): keep one", page_id, True))
    page_ids = {p.stem for p in page_files}
    for stem, path in sorted(gold_files.items()):
        if stem not in page_ids:
            problems.append(Problem(str(path), "gold without a page: add pages/<id>.html or remove it", stem))
    for stem, path in sorted(card_files.items()):
        if stem not in page_ids:
            problems.append(Problem(str(path), "card without a page: add pages/<id>.html or remove it", stem))
    return _Listing(root, page_files, gold_files, card_files, frozenset(k for k, n in seen.items() if n > 1))


def _read_pages(listing: _Listing, problems: list[Problem],
                contents: dict[Path, bytes | None] | None = None) -> Iterator[tuple[Page, Gold]]:
    """Each page with its card and gold, read when asked for through the bounded reader (a file that links
    out of the folder is refused); what cannot be read becomes a problem. `contents` collects what was read,
    for the digest."""
    def read(path: Path, page_id: str, what: str) -> tuple[bytes | None, list[Problem]]:
        data, found = read_corpus_file(path, root=listing.root, page_id=page_id, what=what)
        if contents is not None:
            contents[path] = data
        return data, found

    for page_path in listing.page_files:
        page_id = page_path.stem
        if page_id.lower() in listing.duplicates:
            continue
        if not PAGE_ID_RE.match(page_id):
            problems.append(Problem(str(page_path), f"page id '{page_id}' is not lowercase ASCII words joined "
                                    "by hyphens (<site>-<yyyy>-<slug>): rename it", page_id))
        gold_path, card_path = listing.gold_files.get(page_id), listing.card_files.get(page_id)
        if gold_path is None:
            problems.append(Problem(str(page_path), f"page without gold: write gold/{page_id}.txt", page_id, True))
            continue
        if card_path is None:
            problems.append(Problem(str(page_path), f"page without a card: write gold/{page_id}.toml", page_id,
                                    True))
            continue
        card_bytes, found = read(card_path, page_id, "card")
        problems += found
        if card_bytes is None:
            continue
        card, found = parse_card(card_bytes, str(card_path))
        problems += found
        if card is None:
            continue
        gold_bytes, found = read(gold_path, page_id, "gold")
        problems += found
        if gold_bytes is None:
            continue
        gold, found = read_gold(gold_path, root=listing.root, data=gold_bytes)
        problems += found
        if gold is None:
            continue
        raw, found = read(page_path, page_id, "page")
        problems += found
        if raw is None:
            continue
        page, _html, found = page_from_bytes(page_id, str(page_path), raw, card)
        problems += found
        yield page, gold


def iter_pages(root: Path | str, problems: list[Problem]) -> Iterator[tuple[Page, Gold]]:
    """A bundled-format folder's pages one at a time (a statistics pass holds one page); problems appended."""
    listing = _list_files(Path(root), problems)
    if listing is not None:
        yield from _read_pages(listing, problems)


def load_corpus(root: Path | str, name: str = "bundled") -> Corpus:
    """Load root/pages and root/gold; problems are collected, not raised.

    Every file is read once, through the bounded reader. A corpus given as "."
    (or any name-less path) takes its folder's name.
    """
    root = Path(root)
    name = name or root.resolve().name or "corpus"
    problems: list[Problem] = []
    listing = _list_files(root, problems)
    if listing is None:
        return Corpus(root=str(root), name=name, pages=(), golds={}, problems=tuple(problems))
    contents: dict[Path, bytes | None] = {}
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    for page, gold in _read_pages(listing, problems, contents):
        pages.append(page)
        golds[page.page_id] = gold
    for path in [*listing.page_files, *listing.gold_files.values(), *listing.card_files.values()]:
        if path not in contents:  # files no page used still decide the digest
            contents[path], _ = read_corpus_file(path, root=root, page_id=path.stem, what="file")
    digest = corpus_digest(contents)
    provenance, found = read_provenance(root / "gold" / CORPUS_FILE)
    problems += found
    return Corpus(root=str(root), name=name, pages=tuple(pages), golds=golds, problems=tuple(problems),
                  digest=digest, provenance=provenance)


def read_provenance(path: Path) -> tuple[Provenance, list[Problem]]:
    """gold/CORPUS.toml: what the corpus is; a folder without one says so rather than guess."""
    if not path.exists() and not path.is_symlink():
        return UNSTATED, []
    data, found = read_corpus_file(path, root=path.parent.parent, page_id=None, what="corpus description")
    if data is None:
        return UNSTATED, [Problem(p.path, p.message) for p in found]
    try:
        raw = _load_toml(data)
    except (UnicodeDecodeError, ValueError) as exc:
        return UNSTATED, [Problem(str(path), f"cannot read the corpus description ({exc}): fix it or remove it")]
    fields = {"kind": raw.get("kind", "unstated"), "title": raw.get("title", raw.get("name", path.parent.parent.name)),
              "summary": raw.get("summary", ""), "source": raw.get("source", raw.get("pages_from", "")),
              "years": str(raw.get("years", "")), "licence": raw.get("licence", ""),
              "languages_from": raw.get("languages_from", "card")}
    if not all(isinstance(value, str) for value in fields.values()):
        return UNSTATED, [Problem(str(path), "every field of the corpus description must be a string")]
    if fields["kind"] not in ("authored", "real", "unstated"):
        return UNSTATED, [Problem(str(path), f"kind {fields['kind']!r}: write authored, real or unstated")]
    return Provenance(**fields), []


def bundled_root() -> Path | None:
    """The checkout's own corpus (pages/ and gold/ beside the package), if this is a checkout."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pages").is_dir() and (root / "gold").is_dir() else None
