"""CleanEval: orig/<n>.html + clean/<n>.txt (or <n>-cleaned.txt), gold with a URL line and <p>/<h>/<l> marks.

An orig file may start with CleanEval's ``<text id=... encoding=...>``
wrapper line; it is not part of the page and is removed before decoding.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmark.corpus.datasets.common import Digest, dataset_page, with_identified_languages
from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "CleanEval shared task (ACL SIGWAC 2007)"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="real", title="CleanEval (ACL SIGWAC 2007)",
    summary="Real web pages of 2006-2007 (English and Chinese), cleaned by hand for the CleanEval shared task.",
    source="https://cleaneval.sigwac.org.uk/", years="2006-2007", licence="research use (see the dataset)",
    languages_from="declared")

_URL_LINE_RE = re.compile(r"^\s*URL:\s*(\S+)\s*$", re.IGNORECASE)
_MARK_RE = re.compile(r"^\s*<(p|h|l)>\s*", re.IGNORECASE)
_ORIG_WRAPPER_RE = re.compile(rb"^\s*<text\b[^>]*>", re.IGNORECASE)


def parse_clean(text: str) -> tuple[str, str]:
    """Split a CleanEval gold file into (url, body), one block per marked paragraph."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    url = ""
    if lines and (match := _URL_LINE_RE.match(lines[0])):
        url, lines = match.group(1), lines[1:]
    blocks: list[list[str]] = []
    for line in lines:
        if _MARK_RE.match(line) or not blocks:
            blocks.append([])
        stripped = _MARK_RE.sub("", line).strip()
        if stripped:
            blocks[-1].append(stripped)
    return url, "\n\n".join(" ".join(block) for block in blocks if block)


def _number(path: Path) -> str:
    return path.name.split(".", 1)[0].removesuffix("-cleaned")


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]


def load(path: Path) -> Corpus:
    orig_dir, clean_dir = path / "orig", path / "clean"
    if not orig_dir.is_dir() or not clean_dir.is_dir():
        return Corpus(provenance=PROVENANCE, root=str(path), name="cleaneval", pages=(), golds={}, problems=(
            Problem(str(path), "a CleanEval folder holds orig/ (pages) and clean/ (gold text)", None, True),))
    cleans = {_number(p): p for p in _files(clean_dir) if p.suffix.lower() == ".txt"}
    origs = {_number(p): p for p in _files(orig_dir)}
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for number in sorted(set(cleans) - set(origs), key=lambda n: (len(n), n)):
        problems.append(Problem(str(cleans[number]), f"gold without a page: no orig/{number}.html", number))
    for number in sorted(origs, key=lambda n: (len(n), n)):
        orig = origs[number]
        clean = cleans.get(number)
        if clean is None:
            problems.append(Problem(str(orig), f"no clean/{number}.txt for this page", number, True))
            continue
        raw, found = read_corpus_file(orig, root=path, page_id=number)
        gold_bytes, found_gold = read_corpus_file(clean, root=path, page_id=number, what="gold")
        if raw is None or gold_bytes is None:
            problems += found + found_gold
            continue
        try:
            gold_text = gold_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            gold_text = gold_bytes.decode("cp1252", errors="replace")
            problems.append(Problem(str(clean), f"gold is not UTF-8 (byte {exc.start}); read as windows-1252",
                                    number))
        url, body = parse_clean(gold_text)
        if not body.strip():
            problems.append(Problem(str(clean), "gold is empty after its URL line", number))
        digest.add(number, raw)
        digest.add(f"{number}.clean", gold_bytes)
        page, found = dataset_page(number, str(orig), _ORIG_WRAPPER_RE.sub(b"", raw, count=1), url, SOURCE)
        problems += found
        pages.append(page)
        golds[number] = Gold(page_id=number, path=str(clean), text=body)
    corpus = Corpus(provenance=PROVENANCE, root=str(path), name="cleaneval", pages=tuple(pages), golds=golds,
                    problems=tuple(problems), digest=digest.hexdigest())
    return with_identified_languages(corpus)
