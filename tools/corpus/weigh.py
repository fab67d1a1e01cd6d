"""Fill a page's weight regions (`<!-- begin KIND ARGS -->...<!-- end KIND -->`) in place.

Works on the page's bytes, whatever its charset: fills are ASCII, and nothing
outside a region changes. Weighing twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from benchmark.corpus.goldmarks import parse_gold
from filler import PageContext, family, fill

REGION_RE = re.compile(rb"<!-- begin ([a-z][a-z0-9-]*)((?: [^ >]+)*) -->(.*?)<!-- end \1 -->", re.S)
HERE = Path(__file__).resolve().parent


def _section(url: str) -> str:
    parts = [p for p in re.sub(r"^https?://[^/]+", "", url).split("/") if p and not p.isdigit()]
    return parts[0] if len(parts) > 1 else "news"


def page_context(repo: Path, page_id: str) -> PageContext:
    """What the fills may know about a page: its card, its gold's text, its article source's facts."""
    with (repo / "gold" / f"{page_id}.toml").open("rb") as handle:
        card: dict[str, Any] = tomllib.load(handle)
    gold_path = repo / "gold" / f"{page_id}.txt"
    blocks = parse_gold(gold_path.read_text("utf-8")) if gold_path.exists() else []
    facts: dict[str, Any] = {"section": _section(card.get("url", ""))}
    article_path = HERE / "articles" / f"{page_id}.toml"
    if article_path.exists():
        with article_path.open("rb") as handle:
            article = tomllib.load(handle)
        facts.update({k: article[k] for k in ("section", "author") if k in article})
        facts.update(article.get("facts", {}))
    published = card.get("published")
    year = published.year if isinstance(published, dt.date) else int(str(published)[:4])
    if "template" not in card:
        raise ValueError(f"gold/{page_id}.toml has no `template`: name the page's CMS family")
    return PageContext(page_id=page_id, family=family(card["template"]), year=year,
                       title=card.get("title", page_id), url=card.get("url", ""),
                       language=card.get("language", "en"), published=str(published), site=card.get("site", ""),
                       body_blocks=tuple(block.text for block in blocks), facts=facts)


def weigh(raw: bytes, ctx: PageContext) -> bytes:
    """The page with every region refilled."""
    def replace(match: re.Match[bytes]) -> bytes:
        kind = match.group(1).decode("ascii")
        args = match.group(2).decode("ascii").split()
        content = fill(kind, args, ctx).encode("ascii")
        return b"<!-- begin " + match.group(1) + match.group(2) + b" -->" + content + b"<!-- end " + match.group(1) + b" -->"
    return REGION_RE.sub(replace, raw)


def regions(raw: bytes) -> list[str]:
    """The regions a page has, as 'KIND ARGS'."""
    return [(m.group(1) + m.group(2)).decode("ascii") for m in REGION_RE.finditer(raw)]
