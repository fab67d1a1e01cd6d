"""L3S-GN1: original/<uuid>.html (the page as crawled) + annotated/<uuid>.html (the same page, blocks labelled).

Assessors labelled every text block (text not interrupted by a tag other
than ``<a>``) with a ``<span class="x-nc-selN">``; its Readme: 0 not content,
1 headline, 2 full text, 3 supplemental (captions and the like), 4 related
content, 5 comments; elements marked ``x-nc-invisible`` were not visible.

Which labels are the body: the default reading (kind ``l3s-gn1``) takes
only the full text (2), because this harness's guidelines, like AEB, leave out
the headline, captions, related links and comments. Two further readings
are offered for comparison with other papers: ``l3s-gn1-headline`` (1 + 2)
and ``l3s-gn1-content`` (1 + 2 + 3: everything that belongs to the article).
Text outside any labelled span counts as not content. Paragraph breaks come
from block elements (p, div, br, li, headings, table cells ...).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from benchmark.corpus.datasets.common import Digest, dataset_page
from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "L3S-GN1 (Kohlschuetter et al., WSDM 2010), L3S Research Center: research use only"
LABELS = {0: "not content", 1: "headline", 2: "full text", 3: "supplemental", 4: "related content", 5: "comments"}
BODY_LABELS = frozenset({2})
#: what the gold holds in each reading, for the provenance paragraph
_GOLD_CLAUSES = {
    frozenset({2}): ("", "The gold is the blocks labelled full text; headline, captions, related links and comments "
                         "are left out, as this benchmark's guidelines do."),
    frozenset({1, 2}): (", headline + full text", "The gold here is the blocks labelled headline or full text; "
                                                  "captions, related links and comments are left out."),
    frozenset({1, 2, 3}): (", headline + full text + supplemental",
                           "The gold here is every block of the article: headline, full text and supplemental "
                           "(captions and the like); related links and comments are left out."),
}


def provenance(labels: frozenset[int] = BODY_LABELS) -> Provenance:
    """What these pages are, for the report's first lines, saying which labels make the gold."""
    title_suffix, gold_clause = _GOLD_CLAUSES[labels]
    return Provenance(
        kind="real", title=f"L3S-GN1 (Google News, 2008){title_suffix}",
        summary="621 real news articles from 408 sites, linked from six English-language Google News editions in "
                "the first half of 2008 and labelled block by block by human assessors (headline, full text, "
                f"supplemental, related content, comments). {gold_clause}",
        source="http://www.l3s.de/~kohlschuetter/boilerplate/ (copy: github.com/geodrome/page-signal)",
        years="2008", licence="research use only (L3S; see Readme-L3S-GN1.txt)", languages_from="dataset")


PROVENANCE = provenance()
_LABEL_RE = re.compile(r"\bx-nc-sel(\d)\b")
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template"})
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_BREAK = None


def _pieces(root) -> Iterator[tuple[int | None, str] | None]:
    """(label, text) for every text node in document order, and a break at each block element's edges.

    Walked with lxml's iterwalk rather than recursion, so a page nested
    thousands of levels deep is read like any other.
    """
    from lxml import etree

    stack: list[tuple[int | None, bool]] = [(None, False)]  # (label, skipped) of each open element
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if event == "start":
            label, skipped = stack[-1]
            classes = element.get("class", "") if tag else ""
            skipped = skipped or not tag or tag in _SKIP_TAGS or "x-nc-invisible" in classes
            if match := _LABEL_RE.search(classes):
                label = int(match.group(1))
            stack.append((label, skipped))
            if not skipped:
                if block:
                    yield _BREAK
                if element.text:
                    yield label, element.text
            continue
        _, skipped = stack.pop()
        if not skipped and block:
            yield _BREAK
        parent_label, parent_skipped = stack[-1]
        if element.tail and not parent_skipped:
            yield parent_label, element.tail


def labelled_text(html: str, labels: frozenset[int]) -> str:
    """The text of the blocks carrying one of `labels`: one paragraph per block element, blank lines between."""
    from benchmark.corpus.visible_text import parse_html

    root = parse_html(html)
    if root is None:
        return ""
    paragraphs, current = [], []
    for piece in _pieces(root):
        if piece is _BREAK:
            if current:
                paragraphs.append(" ".join(" ".join(current).split()))
            current = []
        elif piece[0] in labels and piece[1].strip():
            current.append(piece[1])
    if current:
        paragraphs.append(" ".join(" ".join(current).split()))
    return "\n\n".join(p for p in paragraphs if p)


def load(path: Path, labels: frozenset[int] = BODY_LABELS, name: str = "l3s-gn1") -> Corpus:
    """Every page with both its original and its annotated file; the gold is the text of the chosen labels."""
    from benchmark.corpus.decoding import decode_page

    original_dir, annotated_dir = path / "original", path / "annotated"
    if not original_dir.is_dir() or not annotated_dir.is_dir():
        return Corpus(provenance=provenance(labels), root=str(path), name=name, pages=(), golds={}, problems=(
            Problem(str(path), "an L3S-GN1 folder holds original/<uuid>.html and annotated/<uuid>.html "
                            "(the folder L3S-GN1-20100130203947-00001 of the release)", None, True),))
    originals = {p.stem: p for p in original_dir.glob("*.html")}
    annotated = {p.stem: p for p in annotated_dir.glob("*.html")}
    problems: list[Problem] = []
    for stem in sorted(set(annotated) - set(originals)):
        problems.append(Problem(str(annotated[stem]), "annotation without its original page: not scored", stem))
    names = ", ".join(f"{n} {LABELS[n]}" for n in sorted(labels))
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    digest = Digest()
    digest.add("labels", ",".join(map(str, sorted(labels))).encode())
    for page_id in sorted(originals):
        if page_id not in annotated:
            problems.append(Problem(str(originals[page_id]), "page without its annotated copy (annotated/"
                                    f"{page_id}.html): skipped", page_id, True))
            continue
        raw, found = read_corpus_file(originals[page_id], root=path, page_id=page_id)
        marked, found_marked = read_corpus_file(annotated[page_id], root=path, page_id=page_id, what="annotation")
        problems += found + found_marked
        if raw is None or marked is None:
            continue
        if not _LABEL_RE.search(marked.decode("ascii", errors="replace")):
            problems.append(Problem(str(annotated[page_id]), "no x-nc-sel0..5 labels in the annotated copy: is "
                                    "this an L3S-GN1 annotation? skipped", page_id, True))
            continue
        gold_text = labelled_text(decode_page(marked)[0], labels)
        if not gold_text:
            problems.append(Problem(str(annotated[page_id]), f"no block labelled {names}: nothing to score against; "
                                    "skipped", page_id, True))
            continue
        digest.add(page_id, raw)
        digest.add(f"{page_id}.gold", gold_text.encode("utf-8"))
        page, found = dataset_page(page_id, str(originals[page_id]), raw, "", SOURCE, language="en")
        problems += found
        pages.append(page)
        golds[page_id] = Gold(page_id=page_id, path=f"{annotated[page_id]}#labels={names}", text=gold_text)
    return Corpus(provenance=provenance(labels), root=str(path), name=name, pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())


def load_with_headline(path: Path) -> Corpus:
    """Reading ``l3s-gn1-headline``: headline and full text."""
    return load(path, frozenset({1, 2}), name="l3s-gn1-headline")


def load_content(path: Path) -> Corpus:
    """Reading ``l3s-gn1-content``: headline, full text and supplemental (all that belongs to the article)."""
    return load(path, frozenset({1, 2, 3}), name="l3s-gn1-content")
