"""All the text a reader can see on a page: the full-text baseline and the corpus checks.

Parsed with lxml's HTML parser and walked iteratively (a page of 20,000
nested divs must not hit Python's recursion limit). Script, style, template
and head content is dropped; block elements start new lines, so the output
keeps one block per line.
"""

from __future__ import annotations

import json
import re

#: elements whose content a reader never sees as text
INVISIBLE_TAGS = frozenset({"script", "style", "template", "head", "title", "meta", "link", "iframe", "object",
                            "svg"})
#: elements that start a new line (a new text block)
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "noscript", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "option", "select", "textarea", "frameset",
})
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES_RE = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE = re.compile(r"\s*\n\s*")
_EXCESSIVE_DEPTH_RE = re.compile(r"Excessive depth in document: (\d+)")


def parse_document(html: str, *, keep_comments: bool = False):
    """Parse decoded HTML with lxml: (root or None, the number of parse errors, why the tree is cut short or None).

    With `keep_comments` the tree keeps HTML comments (the corpus statistics
    count them); every walk here skips their text either way. libxml2 drops
    everything past its nesting limit; the third value says so, naming where.
    """
    from lxml import etree, html as lxml_html

    # lxml refuses a str that still carries an XML encoding declaration
    html = _XML_DECLARATION_RE.sub("", html, count=1)
    if not html.strip():
        return None, 0, None
    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=not keep_comments,
                                  remove_pis=not keep_comments)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None, len(parser.error_log), None
    for error in parser.error_log:
        if (depth := _EXCESSIVE_DEPTH_RE.search(error.message)) is not None:
            return root, len(parser.error_log), (
                f"the page nests elements deeper than the parser keeps (libxml2 stops at {depth.group(1)} levels, "
                f"at line {error.line}, column {error.column}): the text after that point is lost to lxml-based "
                "extractors and to these checks; flatten the page or leave it out")
    return root, len(parser.error_log), None


def parse_html(html: str):
    """Parse decoded HTML with lxml, or return None for a page with no parseable content."""
    return parse_document(html)[0]


def visible_parts(root, *, include_noscript: bool = True, include_alt: bool = False,
                  spans: dict | None = None) -> list[str]:
    """The pieces of a tree's visible text in order, a "\\n" piece at each block edge.

    With `spans`, each visible element is mapped to the (start, end) slice of
    the pieces that holds its own text (its tail left out): the corpus
    statistics read any element's text off one walk.
    """
    from lxml import etree

    parts: list[str] = []
    skip_depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # a comment's text is never visible; the text after it is
            if skip_depth == 0 and element.tail:
                parts.append(element.tail)
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        hidden = tag in INVISIBLE_TAGS or (tag == "noscript" and not include_noscript)
        if event == "start":
            if hidden:
                skip_depth += 1
            elif skip_depth == 0:
                if spans is not None:
                    spans[element] = len(parts)
                if tag in BLOCK_TAGS:
                    parts.append("\n")
                if include_alt and tag == "img" and element.get("alt"):
                    parts.append(f" {element.get('alt')} ")
                if element.text:
                    parts.append(element.text)
        else:
            if hidden:
                skip_depth -= 1
            elif skip_depth == 0:
                if tag in BLOCK_TAGS:
                    parts.append("\n")
                if spans is not None:
                    spans[element] = (spans[element], len(parts))
            if skip_depth == 0 and element.tail:
                parts.append(element.tail)
    return parts


def join_parts(parts: list[str]) -> str:
    """Visible-text pieces as text: spaces collapsed, one block per line."""
    text = _SPACES_RE.sub(" ", "".join(parts))
    return _BLANK_LINES_RE.sub("\n", text).strip()


def visible_text(html: str, *, include_noscript: bool = True, include_jsonld_body: bool = False,
                 include_alt: bool = False, root=None) -> str:
    """Visible text, one block per line; optionally with <noscript>, JSON-LD articleBody and img alt inline."""
    root = parse_html(html) if root is None else root  # a caller that parsed already passes its tree
    if root is None:
        return ""
    text = join_parts(visible_parts(root, include_noscript=include_noscript, include_alt=include_alt))
    if include_jsonld_body:
        bodies = jsonld_article_bodies(html, root)
        if bodies:
            text = "\n".join([text, *bodies]).strip()
    return text


def jsonld_article_bodies(html: str, root=None) -> list[str]:
    """Every `articleBody` in the page's JSON-LD blocks, where some pages keep their body."""
    root = parse_html(html) if root is None else root
    if root is None:
        return []
    bodies: list[str] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and body.strip():
                    bodies.append(body.strip())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return bodies
