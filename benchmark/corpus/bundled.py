"""Load and validate a corpus in the bundled format: pages/<id>.html + gold/<id>.txt + gold/<id>.toml.

Loading never stops at a bad file: every finding becomes a `Problem` naming
the file and what to do, and only the pages that cannot be scored at all (no
gold, unreadable gold or card) are marked as blocked. One typo in one gold
file must not stop a benchmark. Files are read through the one bounded reader
(file_reader.py): none over the size limit, none outside the corpus folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any, Mapping

from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Card, Corpus, Gold, Page, Problem, Provenance

#: gold tokens that may be missing from the page's text before it counts as a
#: typo: 2% leaves room for a ligature or a soft hyphen the annotator resolved
#: by hand, and still catches a mistyped word in a 50-word gold.
MIN_GOLD_COVERAGE = 0.98
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


def page_from_bytes(page_id: str, path: str, raw: bytes, card: Card) -> tuple[Page, list[Problem]]:
    """Decode saved bytes once into a Page; odd bytes are reported, never raised."""
    from benchmark.corpus.decoding import charset_problem, decode_page

    problems = []
    if not raw.strip():
        problems.append(Problem(path, "page is empty: every extractor will score a miss on it", page_id))
    elif b"\x00" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(path, "page looks binary (NUL bytes): is it really HTML?", page_id))
    _, codec, source = decode_page(raw)
    if (charset := charset_problem(raw, codec, source)) is not None:
        problems.append(Problem(path, charset, page_id))
    page = Page(page_id=page_id, path=path, raw=raw, encoding=codec, encoding_source=source,
                sha256=hashlib.sha256(raw).hexdigest(), card=card)
    return page, problems


def read_gold(path: Path, *, root: Path, data: bytes | None = None) -> tuple[Gold | None, list[Problem]]:
    """Read a gold body text (through the bounded reader, inside root, unless its bytes are given); UTF-8."""
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
    return Gold(page_id=page_id, path=str(path), text=text), problems


def corpus_digest(contents: Mapping[Path, bytes | None]) -> str:
    """sha256 over the names and bytes of every file that decides the scores (None: a file that was refused)."""
    digest = hashlib.sha256()
    for path in sorted(contents, key=lambda p: (p.parent.name, p.name)):
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        data = contents[path]
        digest.update(hashlib.sha256(data).digest() if data is not None else b"unreadable")
    return digest.hexdigest()


def load_corpus(root: Path | str, name: str = "bundled") -> Corpus:
    """Load root/pages and root/gold; problems are collected, not raised.

    Every file is read once, through the bounded reader: a page, gold or card
    that links out of root is refused. A corpus given as "." (or any name-less
    path) takes its folder's name.
    """
    root = Path(root)
    name = name or root.resolve().name or "corpus"
    pages_dir, gold_dir = root / "pages", root / "gold"
    problems: list[Problem] = []
    for folder in (pages_dir, gold_dir):
        if not folder.is_dir():
            problems.append(Problem(str(folder), "folder missing: a corpus needs pages/ and gold/ side by side",
                                    None, True))
    if problems:
        return Corpus(root=str(root), name=name, pages=(), golds={}, problems=tuple(problems))

    page_files = sorted(p for p in pages_dir.iterdir() if p.suffix.lower() in {".html", ".htm"})
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

    contents: dict[Path, bytes | None] = {}

    def read(path: Path, page_id: str, what: str) -> tuple[bytes | None, list[Problem]]:
        contents[path] = None
        data, found = read_corpus_file(path, root=root, page_id=page_id, what=what)
        contents[path] = data
        return data, found

    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    for page_path in page_files:
        page_id = page_path.stem
        if seen[page_id.lower()] > 1:
            continue
        if not PAGE_ID_RE.match(page_id):
            problems.append(Problem(str(page_path), f"page id '{page_id}' is not lowercase ASCII words joined "
                                    "by hyphens (<site>-<yyyy>-<slug>): rename it", page_id))
        gold_path, card_path = gold_files.get(page_id), card_files.get(page_id)
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
        gold, found = read_gold(gold_path, root=root, data=gold_bytes)
        problems += found
        if gold is None:
            continue
        raw, found = read(page_path, page_id, "page")
        problems += found
        if raw is None:
            continue
        page, found = page_from_bytes(page_id, str(page_path), raw, card)
        problems += found
        pages.append(page)
        golds[page_id] = gold

    for path in [*page_files, *gold_files.values(), *card_files.values()]:
        if path not in contents:  # files no page used still decide the digest
            read(path, path.stem, "file")
    digest = corpus_digest(contents)
    provenance, found = read_provenance(gold_dir / CORPUS_FILE)
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


def validate(corpus: Corpus) -> list[Problem]:
    """Loading problems plus the content rules: gold coverage, chrome and must_include strings."""
    from benchmark.corpus.decoding import charset_problem
    from benchmark.corpus.visible_text import jsonld_article_bodies, parse_html_checked, visible_text
    from benchmark.score.metrics import find_passages
    from benchmark.score.textnorm import tokenize

    problems = list(corpus.problems)
    for page in corpus.pages:
        gold = corpus.golds[page.page_id]
        if gold.text is None:
            continue
        html = page.html
        root, cut_short = parse_html_checked(html)
        if cut_short is not None:
            problems.append(Problem(page.path, cut_short, page.page_id))
        visible = visible_text(html, root=root)
        page_text = "\n".join([visible, *jsonld_article_bodies(html, root)])
        page_tokens = Counter(tokenize(page_text))
        gold_tokens = tokenize(gold.text)
        if gold_tokens:
            missing = [t for t in gold_tokens if t not in page_tokens]
            coverage = 1 - len(missing) / len(gold_tokens)
            if coverage < MIN_GOLD_COVERAGE:
                shown = ", ".join(sorted(set(missing))[:8])
                if cut_short is not None:
                    cause = "the page is cut short at the parser's depth limit: see the page's problem"
                elif charset_problem(page.raw, page.encoding, page.encoding_source) is not None:
                    cause = "the page's charset is in doubt: see the page's charset problem"
                else:
                    cause = "a typo in the gold?"
                problems.append(Problem(gold.path, f"gold coverage {coverage:.3f} < {MIN_GOLD_COVERAGE}: "
                                        f"tokens not on the page: {shown} ({cause})", page.page_id))
        card_path = str(Path(gold.path).with_suffix(".toml"))
        found_on_page = set(find_passages(visible, page.card.chrome))
        found_in_gold = set(find_passages(gold.text, page.card.chrome))
        for chrome in page.card.chrome:
            if chrome not in found_on_page:
                problems.append(Problem(card_path, f"chrome string {chrome!r} is not visible on the page",
                                        page.page_id))
            if chrome in found_in_gold:
                problems.append(Problem(card_path, f"chrome string {chrome!r} occurs in the gold: "
                                        "remove it from one of them", page.page_id))
        in_gold = set(find_passages(gold.text, page.card.must_include))
        for passage in page.card.must_include:
            if passage not in in_gold:
                problems.append(Problem(card_path, f"must_include passage {passage!r} is not in the gold",
                                        page.page_id))
    return problems


def bundled_root() -> Path | None:
    """The checkout's own corpus (pages/ and gold/ beside the package), if this is a checkout."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pages").is_dir() and (root / "gold").is_dir() else None
