"""A plain folder of <id>.html + <id>.txt pairs (gold text UTF-8)."""

from __future__ import annotations

from pathlib import Path

from benchmark.corpus import page_from_bytes, read_gold
from benchmark.datasets.common import Digest, dataset_card
from benchmark.records import Corpus, Gold, Page, Problem


def load(path: Path) -> Corpus:
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    html_files = {p.stem: p for p in path.iterdir() if p.suffix.lower() in {".html", ".htm"}}
    text_files = {p.stem: p for p in path.glob("*.txt")}
    for stem in sorted(set(text_files) - set(html_files)):
        problems.append(Problem(str(text_files[stem]), "gold without a page: add <id>.html", stem))
    for stem, html_path in sorted(html_files.items()):
        if stem not in text_files:
            problems.append(Problem(str(html_path), f"page without gold: write {stem}.txt", stem, True))
            continue
        gold, found = read_gold(text_files[stem])
        problems += found
        if gold is None:
            continue
        raw = html_path.read_bytes()
        digest.add(stem, raw)
        digest.add(f"{stem}.txt", (gold.text or "").encode("utf-8"))
        page, found = page_from_bytes(stem, str(html_path), raw, dataset_card("", f"plain folder {path}"))
        problems += found
        pages.append(page)
        golds[stem] = gold
    return Corpus(root=str(path), name=path.name or "plain", pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())
