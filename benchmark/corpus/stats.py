"""A saved page's weight and structure, as an extractor's heuristics meet it: one `PageWeight` per page.

Each page is parsed once (lxml's HTML parser, comments kept, the parser's
error log read) and walked twice: once over every node (elements, depth,
attributes, comments) and once for the visible text (the full-text
baseline's definition, benchmark.corpus.visible_text), whose walk maps every
element to its slice of the text. Nothing of a page is kept but its figures,
so a corpus is measured one page at a time in flat memory.

Definitions worth knowing when comparing with other measures:

- bytes are the saved page's bytes; `script_style_share` counts each
  `<script>`/`<style>` element from its start tag to its end tag;
- `longest_line` is in characters of the decoded page;
- `visible_share` is the visible text (blocks on lines, spaces collapsed)
  encoded in the page's own charset, over the page's bytes;
- `link_density` is the share of visible tokens inside `<a href>`;
- the body container is the deepest element whose text holds at least 80%
  of the gold's tokens (multiset overlap); `blocks_outside_body` counts the
  lines of the page's visible text that are not lines of the container's;
- numbered placeholder links: at least 3 `<a href>` on one host whose paths
  differ only in a trailing one- or two-digit number (`/story/1`, `/story/2`,
  `/story/3`; `/latest/1` ...), as hand-written pages had and real sites do
  not; pagination (`/page/2`) and month archives (`/2019/4`) are real and do
  not count (on AEB one page of 181 counts: a slideshow's numbered slides).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import accumulate
from urllib.parse import urlsplit

from benchmark.corpus.weights import PageWeight
from benchmark.records import Gold, Page

#: the share of the gold's tokens an element must hold to be the body container
BODY_CONTAINER_SHARE = 0.8
#: a link path ending in a one- or two-digit number: /story/3, /latest/7, /more/2
_NUMBERED_PATH_RE = re.compile(r"^(.*/)(\d{1,2})/?$")
#: ... except where real sites number links: pagination (/page/2, /seite/3) and month archives (/2019/4)
_REAL_NUMBERING_RE = re.compile(r"(?:^|/)(?:page|p|seite|pagina|página|strona|sida|\d{4})/$", re.IGNORECASE)
_PLACEHOLDER_MIN_LINKS = 3
_SCRIPT_STYLE_RE = re.compile(rb"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def _script_style_bytes(page: Page) -> tuple[int, int]:
    """(bytes inside <script>/<style> elements, page bytes), on the saved bytes where the charset allows."""
    data = page.raw
    if "<script".encode(page.encoding, errors="replace") != b"<script":  # UTF-16/32: measure as UTF-8
        data = page.html.encode("utf-8")
    return sum(m.end() - m.start() for m in _SCRIPT_STYLE_RE.finditer(data)), len(data)


def _lazy(element) -> bool:
    return bool(element.get("data-src") or element.get("srcset")
                or (element.get("loading") or "").strip().lower() == "lazy")


class _NodeCounts:
    """Counts over every node of the tree, in one walk."""

    def __init__(self, root) -> None:
        from lxml import etree

        self.elements = self.max_depth = self.scripts = self.data_attrs = self.ids = self.meta = 0
        self.comments = self.links = 0
        self.iframes = self.lazy_images = False
        self.classes: set[str] = set()
        self.numbered: dict[tuple[str, str], set[str]] = {}  # (host, path prefix) -> trailing numbers
        self.anchors: list = []
        if root is None:  # a page with nothing to parse: every count stays 0
            return
        depth = 0
        for event, node in etree.iterwalk(root, events=("start", "end", "comment")):
            if event == "comment":
                self.comments += 1
                continue
            if event == "end":
                depth -= 1
                continue
            depth += 1
            self.elements += 1
            self.max_depth = max(self.max_depth, depth)
            self._element(node)

    def _element(self, node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        attrib = node.attrib
        if attrib:
            self.data_attrs += sum(1 for name in attrib if name.lower().startswith("data-"))
            if attrib.get("id"):
                self.ids += 1
            if classes := attrib.get("class"):
                self.classes.update(classes.split())
        if tag == "script":
            self.scripts += 1
        elif tag == "meta":
            self.meta += 1
        elif tag == "iframe":
            self.iframes = True
        elif tag == "img" and not self.lazy_images:
            self.lazy_images = _lazy(node)
        elif tag == "a" and (href := attrib.get("href")) is not None:
            self.links += 1
            self.anchors.append(node)
            self._numbered(href)

    def _numbered(self, href: str) -> None:
        try:
            parts = urlsplit(href.strip())
        except ValueError:  # a malformed address (bad IPv6 host ...) is still a link, not a numbered one
            return
        match = _NUMBERED_PATH_RE.match(parts.path)
        if match and not parts.query and not _REAL_NUMBERING_RE.search(match.group(1)):
            self.numbered.setdefault((parts.netloc.lower(), match.group(1)), set()).add(match.group(2))

    @property
    def placeholder_links(self) -> bool:
        return any(len(numbers) >= _PLACEHOLDER_MIN_LINKS for numbers in self.numbered.values())


class _TextMap:
    """The visible text and every visible element's slice of it (one walk)."""

    def __init__(self, root) -> None:
        from benchmark.corpus.visible_text import join_parts, visible_parts

        self.spans: dict = {}
        self.parts = visible_parts(root, spans=self.spans) if root is not None else []
        self.text = join_parts(self.parts)
        self._join = join_parts
        self._offsets = list(accumulate(map(len, self.parts), initial=0))

    def chars(self, element) -> int:
        """Characters of the element's text pieces: a token takes at least one, so a bound on its tokens."""
        span = self.spans.get(element)
        return self._offsets[span[1]] - self._offsets[span[0]] if isinstance(span, tuple) else 0

    def text_of(self, element) -> str:
        span = self.spans.get(element)
        if not isinstance(span, tuple):
            return ""
        return self._join(self.parts[span[0]:span[1]])


def _overlap(tokens: list[str], gold: Counter) -> int:
    counts = Counter(tokens)
    return sum(min(n, gold[t]) for t, n in counts.items() if t in gold)


def body_container(root, text_map: _TextMap, gold_tokens: list[str]):
    """(element, depth) of the deepest element holding >= 80% of the gold's tokens, or (None, None)."""
    from benchmark.score.textnorm import tokenize

    if root is None or not gold_tokens:
        return None, None
    gold = Counter(gold_tokens)
    needed = BODY_CONTAINER_SHARE * len(gold_tokens)
    if _overlap(tokenize(text_map.text), gold) < needed:
        return None, None  # the body is not in the DOM's text (state blob, JSON-LD): no container
    best, best_depth = root, 1
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        for child in node:
            if not isinstance(child.tag, str) or text_map.chars(child) < needed:  # too little text to qualify
                continue
            if _overlap(tokenize(text_map.text_of(child)), gold) >= needed:
                stack.append((child, depth + 1))
                if depth + 1 > best_depth:
                    best, best_depth = child, depth + 1
    return best, best_depth


def _lines(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


def measure_page(page: Page, gold: Gold | None, *, root=None, n_errors: int | None = None) -> PageWeight:
    """A page's figures; pass the tree (parsed with comments kept) and its error count if already parsed."""
    from benchmark.corpus.visible_text import parse_document
    from benchmark.score.textnorm import tokenize

    html = page.html
    if root is None or n_errors is None:
        root, n_errors, _ = parse_document(html, keep_comments=True)
    nodes = _NodeCounts(root)
    text_map = _TextMap(root)
    visible_tokens = tokenize(text_map.text)
    link_tokens = sum(len(tokenize(text_map.text_of(a))) for a in nodes.anchors)
    script_bytes, total_bytes = _script_style_bytes(page)
    gold_tokens = tokenize(gold.text) if gold is not None and gold.text is not None else None
    container, depth = body_container(root, text_map, gold_tokens or [])
    card = page.card
    return PageWeight(
        page_id=page.page_id,
        kb=len(page.raw) / 1000,
        elements=nodes.elements,
        max_depth=nodes.max_depth,
        scripts=nodes.scripts,
        script_style_share=script_bytes / total_bytes if total_bytes else 0.0,
        longest_line=max(map(len, _LINE_BREAK_RE.split(html))) if html else 0,
        classes=len(nodes.classes),
        data_attrs=nodes.data_attrs,
        ids=nodes.ids,
        meta=nodes.meta,
        visible_share=(len(text_map.text.encode(page.encoding, errors="replace")) / len(page.raw)
                       if page.raw else 0.0),
        iframes=nodes.iframes,
        lazy_images=nodes.lazy_images,
        parse_errors=n_errors or 0,
        comments=nodes.comments,
        links=nodes.links,
        link_density=min(1.0, link_tokens / len(visible_tokens)) if visible_tokens else 0.0,
        visible_tokens=len(visible_tokens),
        placeholder_links=nodes.placeholder_links,
        gold_tokens=len(gold_tokens) if gold_tokens is not None else None,
        body_share=(min(1.0, len(gold_tokens) / len(visible_tokens)) if gold_tokens is not None and visible_tokens
                    else None),
        body_depth=depth,
        blocks_outside_body=(_lines(text_map.text) - _lines(text_map.text_of(container))
                             if container is not None else None),
        body_classes=tuple((container.get("class") or "").split()) if container is not None else (),
        template=dict(card.extra).get("template"),
        era=card.era,
        year=card.published.year if card.published else None,
    )
