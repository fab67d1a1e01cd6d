"""A new bundled page from its outlet's template, its article source, its gold and its card.

An outlet is written once (`outlets/<site>.html.j2`, its own class vocabulary,
header, menus, rails and footer, as a real site's template is); an article
(`articles/<page_id>.toml`) gives what the page shows besides the body:
headline, dek, byline, captions, the chrome between paragraphs, related links,
comments. The body is drawn from the hand-written gold itself, block by block,
so every gold token is on the page by construction; what the page adds around
and inside it is chrome written by hand in the article source.

Template context: `card` (the card as a dict), `a` (the article source),
`blocks` (the gold's blocks), `page_id`, `year`, and the functions
`body(...)`, `region(kind, *args)` (an empty weight region for `weigh.py` to
fill) and `inserts(n)` (the article's raw HTML inserted after body block n).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from benchmark.corpus.goldmarks import Block, parse_gold

HERE = Path(__file__).resolve().parent


def region(kind: str, *args: object) -> Markup:
    """An empty weight region; `weigh.py` fills it."""
    label = " ".join([kind, *map(str, args)])
    return Markup(f"<!-- begin {label} --><!-- end {kind} -->")


def _linked(text: str, links: dict[str, str]) -> Markup:
    """Escaped text with the article's inline links applied to their first occurrence."""
    out = escape(text)
    for phrase, href in links.items():
        needle = escape(phrase)
        if needle in out:
            out = Markup(out.replace(needle, Markup('<a href="{}">{}</a>').format(href, needle), 1))
    return out


class BodyRenderer:
    """Draws the gold's blocks as an outlet's body markup, with the article's inserts between them."""

    def __init__(self, blocks: list[Block], article: dict[str, Any]) -> None:
        self.blocks = blocks
        self.links: dict[str, str] = dict(article.get("links", {}))
        self.inserted: dict[int, list[str]] = {}
        for insert in article.get("insert", []):
            self.inserted.setdefault(int(insert["after"]), []).append(insert["html"])

    def inserts(self, after: int) -> Markup:
        """Raw chrome HTML the article puts after body block `after` (0: before the first block)."""
        return Markup("\n".join(self.inserted.get(after, [])))

    def block(self, block: Block, *, p: str = "", h: str = "", ul: str = "", ol: str = "", li: str = "",
              quote: str = "", table: str = "", close_p: bool = True, br_lines: bool = True) -> Markup:
        """One block as HTML; the keyword arguments are attribute strings per element."""
        def attrs(value: str) -> Markup:
            return Markup(" " + value) if value else Markup("")

        if block.kind.startswith("h"):
            return Markup("<{0}{1}>{2}</{0}>").format(block.kind, attrs(h), _linked(block.lines[0], self.links))
        if block.kind in ("ul", "ol"):
            start = Markup(f' start="{block.start}"') if block.kind == "ol" and block.start != 1 else Markup("")
            items = Markup("").join(Markup("<li{0}>{1}</li>").format(attrs(li), _linked(item, self.links))
                                    for item in block.lines)
            return Markup("<{0}{1}{2}>{3}</{0}>").format(block.kind, attrs(ul if block.kind == "ul" else ol),
                                                         start, items)
        if block.kind == "quote":
            inner = Markup("<br>").join(_linked(line, self.links) for line in block.lines)
            return Markup("<blockquote{0}><p>{1}</p></blockquote>").format(attrs(quote), inner)
        if block.kind == "table":
            rows = []
            for i, row in enumerate(block.rows):
                cell = "th" if i < block.header_rows else "td"
                rows.append(Markup("<tr>{}</tr>").format(Markup("").join(
                    Markup("<{0}>{1}</{0}>").format(cell, _linked(c, self.links)) for c in row)))
            return Markup("<table{0}><tbody>{1}</tbody></table>").format(attrs(table), Markup("").join(rows))
        joiner = Markup("<br>\n") if br_lines else Markup(" ")
        inner = joiner.join(_linked(line, self.links) for line in block.lines)
        return Markup("<p{0}>{1}{2}").format(attrs(p), inner, Markup("</p>") if close_p else Markup(""))

    def __call__(self, *, first: int = 0, last: int | None = None, **attrs: Any) -> Markup:
        """Blocks first..last (all by default), each followed by its inserts."""
        last = len(self.blocks) if last is None else last
        parts = [self.inserts(0)] if first == 0 else []
        for index in range(first, last):
            parts.append(self.block(self.blocks[index], **attrs))
            parts.append(self.inserts(index + 1))
        return Markup("\n").join(part for part in parts if part)


def load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def render_page(repo: Path, page_id: str) -> bytes:
    """The page's bytes before weighing: the outlet template filled with this article."""
    article = load_toml(HERE / "articles" / f"{page_id}.toml")
    card = load_toml(repo / "gold" / f"{page_id}.toml")
    gold = (repo / "gold" / f"{page_id}.txt").read_text("utf-8")
    outlet = article.get("outlet", card["site"])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "outlets"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    blocks = parse_gold(gold)
    body = BodyRenderer(blocks, article)
    published = card.get("published")
    year = published.year if isinstance(published, dt.date) else int(str(published)[:4])
    text = env.get_template(f"{outlet}.html.j2").render(
        card=card, a=article, blocks=blocks, page_id=page_id, year=year, body=body, inserts=body.inserts,
        region=region)
    charset = card.get("charset", "utf-8")
    return text.encode(charset, errors="xmlcharrefreplace")
