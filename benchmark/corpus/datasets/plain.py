"""A plain folder of <id>.html + <id>.txt pairs (gold text UTF-8)."""

from __future__ import annotations

from pathlib import Path

from benchmark.corpus.bundled import read_gold
from benchmark.corpus.datasets.common import Digest, dataset_page, with_identified_languages
from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "plain folder of <id>.html + <id>.txt"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="unstated", title="a folder of pages and texts",
    summary="Pages and gold texts supplied by the user; where they come from is not stated.",
    languages_from="declared")



def load(path: Path) -> Corpus:
    name = path.name or "plain"
    if not path.is_dir():
        return Corpus(provenance=PROVENANCE, root=str(path), name=name, pages=(), golds={}, problems=(
            Problem(str(path), "a plain dataset is a folder of <id>.html + <id>.txt pairs", None, True),))
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    # .html before .htm, so a stray copy never displaces the page
    files = sorted((p for p in path.iterdir() if p.is_file()),
                   key=lambda p: (p.stem, p.suffix.lower() != ".html", p.name))
    html_files: dict[str, Path] = {}
    for p in files:
        if p.suffix.lower() in {".html", ".htm"}:
            if p.stem in html_files:
                problems.append(Problem(str(p), f"second page for id {p.stem!r} (also {html_files[p.stem].name}): "
                                        "ignored; keep one", p.stem))
                continue
            html_files[p.stem] = p
    text_files = {p.stem: p for p in files if p.suffix == ".txt"}
    for stem in sorted(set(text_files) - set(html_files)):
        problems.append(Problem(str(text_files[stem]), "gold without a page: add <id>.html", stem))
    for stem, html_path in sorted(html_files.items()):
        if stem not in text_files:
            problems.append(Problem(str(html_path), f"page without gold: write {stem}.txt", stem, True))
            continue
        gold, found = read_gold(text_files[stem], root=path, marks=False)
        problems += found
        if gold is None:
            continue
        raw, found = read_corpus_file(html_path, root=path, page_id=stem)
        problems += found
        if raw is None:
            continue
        page, found = dataset_page(stem, str(html_path), raw, "", SOURCE)
        digest.add(stem, raw, sha256=page.sha256)
        digest.add(f"{stem}.txt", (gold.text or "").encode("utf-8"))
        problems += found
        pages.append(page)
        golds[stem] = gold
    corpus = Corpus(provenance=PROVENANCE, root=str(path), name=name, pages=tuple(pages), golds=golds,
                    problems=tuple(problems), digest=digest.hexdigest())
    return with_identified_languages(corpus)
