"""Small corpora written into a temp folder, for tests of loading, validation and runs."""

from __future__ import annotations

from pathlib import Path

ARTICLE = ("The harbour board approved the new ferry terminal on Tuesday after a two year review. "
           "Construction will begin in spring and cost an estimated 42 million dollars, officials said.")
CHROME = ("E-mail to a friend", "Share this on:", "Most Popular")


def page_html(body: str = ARTICLE, extra_chrome: str = "") -> str:
    nav = " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(30))
    return (f"<html><head><title>Ferry</title><meta charset='utf-8'></head><body><div id='nav'>{nav}</div>"
            f"<div class='tools'>Share this on: <a>Facebook</a> <a>Twitter</a></div>"
            f"<div class='story'><p>{body}</p><p>E-mail to a friend</p></div>"
            f"<div class='rail'><h3>Most Popular</h3><ul><li>Storm closes coastal road</li>"
            f"<li>Council votes on parking</li></ul></div>{extra_chrome}</body></html>")


def card_toml(chrome=CHROME, must=("ferry terminal", "42 million dollars"), **fields) -> str:
    values = {"url": "https://example.org/news/ferry", "site": "example", "language": "en",
              "published": "2019-05-04", "layout": ["share-bar"], "source": "written for the tests"}
    values.update(fields)
    lines = []
    for key, value in values.items():
        if key == "published":
            lines.append(f"{key} = {value}")
        elif isinstance(value, list):
            lines.append(f"{key} = {value!r}".replace("'", '"'))
        else:
            lines.append(f'{key} = "{value}"')
    lines.append("chrome = [" + ", ".join(f'"{c}"' for c in chrome) + "]")
    lines.append("must_include = [" + ", ".join(f'"{m}"' for m in must) + "]")
    return "\n".join(lines) + "\n"


def write_page(root: Path, page_id: str, *, html: str | bytes | None = None, gold: str | bytes | None = ARTICLE,
               card: str | bytes | None = None) -> None:
    (root / "pages").mkdir(parents=True, exist_ok=True)
    (root / "gold").mkdir(parents=True, exist_ok=True)
    html = page_html() if html is None else html
    (root / "pages" / f"{page_id}.html").write_bytes(html.encode() if isinstance(html, str) else html)
    if gold is not None:
        (root / "gold" / f"{page_id}.txt").write_bytes(gold.encode() if isinstance(gold, str) else gold)
    card = card_toml() if card is None else card
    if card is not False:
        (root / "gold" / f"{page_id}.toml").write_bytes(card.encode() if isinstance(card, str) else card)


def good_corpus(root: Path, n: int = 3) -> Path:
    for i in range(n):
        write_page(root, f"example-2019-ferry-{i}")
    return root


def numbered_corpus(root: Path, n: int = 2) -> Path:
    """n pages with distinct bytes (identical pages would share one cache entry), in the bundled format."""
    for i in range(n):
        write_page(root, f"example-2019-page-{i}", html=page_html(f"Page {i}. {ARTICLE}"))
    return root
