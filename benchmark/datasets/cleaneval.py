"""CleanEval: orig/<n>.html + clean/<n>.txt (or <n>-cleaned.txt), gold with a URL line and <p>/<h>/<l> marks."""

from __future__ import annotations

import re
from pathlib import Path

from benchmark.corpus import page_from_bytes
from benchmark.datasets.common import Digest, dataset_card
from benchmark.records import Corpus, Gold, Page, Problem

SOURCE = "CleanEval shared task (ACL SIGWAC 2007)"
_URL_LINE_RE = re.compile(r"^\s*URL:\s*(\S+)\s*$", re.IGNORECASE)
_MARK_RE = re.compile(r"^\s*<(p|h|l)>\s*", re.IGNORECASE)
_ORIG_WRAPPER_RE = re.compile(rb"^\s*<text\b[^>]*>", re.IGNORECASE)


def parse_clean(text: str) -> tuple[str, str]:
    """Split a CleanEval gold file into (url, body), one block per marked paragraph."""
    lines = text.replace("\r\n", "\n").split("\n")
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
    return path.stem.removesuffix("-cleaned")


def load(path: Path) -> Corpus:
    orig_dir, clean_dir = path / "orig", path / "clean"
    if not orig_dir.is_dir() or not clean_dir.is_dir():
        return Corpus(root=str(path), name="cleaneval", pages=(), golds={}, problems=(
            Problem(str(path), "a CleanEval folder holds orig/ and clean/", None, True),))
    cleans = {_number(p): p for p in clean_dir.iterdir() if p.suffix.lower() == ".txt"}
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for orig in sorted(orig_dir.iterdir(), key=lambda p: (len(_number(p)), _number(p))):
        number = _number(orig)
        clean = cleans.get(number)
        if clean is None:
            problems.append(Problem(str(orig), f"no clean/{number}.txt for this page", number, True))
            continue
        raw = orig.read_bytes()
        gold_bytes = clean.read_bytes()
        url, body = parse_clean(gold_bytes.decode("utf-8", errors="replace"))
        digest.add(number, raw)
        digest.add(f"{number}.clean", gold_bytes)
        page, found = page_from_bytes(number, str(orig), _ORIG_WRAPPER_RE.sub(b"", raw, count=1),
                                      dataset_card(url, SOURCE))
        problems += found
        pages.append(page)
        golds[number] = Gold(page_id=number, path=str(clean), text=body)
    return Corpus(root=str(path), name="cleaneval", pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())
