"""What every weight fill draws on: the page's context, ASCII-safe text and JSON, names, minified code.

A fill is a pure function of its `PageContext` and its region (`PageContext.rng`
is seeded by both), so the same page always gets the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import string
from dataclasses import dataclass, field
from typing import Any

from families import Family


@dataclass(frozen=True)
class PageContext:
    """What a fill may know about its page."""

    page_id: str
    family: Family
    year: int
    title: str
    url: str
    language: str
    published: str
    site: str
    #: the gold's blocks with structure marks removed (for state blobs and JSON-LD that carry the body)
    body_blocks: tuple[str, ...] = ()
    #: free facts from the article source (section, author, ...)
    facts: dict[str, Any] = field(default_factory=dict)

    def rng(self, *salt: object) -> random.Random:
        """A generator seeded by the page and the region, so every fill is reproducible."""
        seed = hashlib.sha256("|".join(map(str, (self.page_id, *salt))).encode()).digest()
        return random.Random(int.from_bytes(seed[:8], "big"))

    @property
    def host(self) -> str:
        match = re.match(r"https?://([^/]+)", self.url)
        return match.group(1) if match else f"www.{self.site}.example"

    @property
    def modern(self) -> bool:
        return self.year >= 2015


def ascii_text(text: str) -> str:
    """Text for an attribute or element: escaped, and non-ASCII as numeric character references."""
    return html.escape(text, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


def ascii_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is safe inside <script> in any charset: ASCII only, no '</' sequence."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":") if indent is None else None, indent=indent)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def parse_size(arg: str | None, default: int) -> int:
    """'40k' -> 40960 bytes; None -> default."""
    if not arg:
        return default
    match = re.fullmatch(r"(\d+)([km]?)", arg.lower())
    if not match:
        raise ValueError(f"size {arg!r}: write a number of bytes, or 40k")
    return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2)]


# --------------------------------------------------------------------------- vocabularies

WORDS = ("ad", "slot", "user", "meter", "paywall", "consent", "vendor", "config", "track", "event", "click",
          "scroll", "view", "load", "ready", "lazy", "image", "video", "player", "embed", "share", "menu",
          "nav", "drawer", "modal", "toast", "banner", "sticky", "rail", "teaser", "card", "grid", "layout",
          "theme", "dark", "font", "size", "count", "index", "offset", "limit", "page", "section", "story",
          "article", "author", "topic", "tag", "feed", "live", "update", "poll", "quiz", "comment", "reply",
          "login", "account", "subscribe", "newsletter", "region", "locale", "edition", "device", "viewport",
          "breakpoint", "target", "bid", "floor", "timeout", "refresh", "sizes", "unit", "network", "segment",
          "audience", "cohort", "experiment", "variant", "flag", "feature", "cache", "ttl", "retry", "queue")
EVENTS = ("click", "scroll", "resize", "load", "DOMContentLoaded", "visibilitychange", "message", "keydown",
           "touchstart", "mouseenter", "focus", "blur", "beforeunload", "popstate", "hashchange")
DOM_CALLS = ("querySelector", "querySelectorAll", "getElementById", "getElementsByClassName", "addEventListener",
        "removeEventListener", "setAttribute", "getAttribute", "appendChild", "insertBefore", "classList.add",
        "classList.remove", "classList.toggle", "dispatchEvent", "getBoundingClientRect")


def identifier(rng: random.Random, short: bool = True) -> str:
    if short:
        first = rng.choice(string.ascii_letters + "_$")
        return first + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(0, 2)))
    return rng.choice(WORDS) + "".join(w.title() for w in rng.sample(WORDS, rng.randint(1, 2)))


def hex_hash(rng: random.Random, n: int = 8) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def css_class(rng: random.Random, family: Family) -> str:
    stem = rng.choice(family.css)
    style = rng.random()
    if family.js == "webpack" and style < 0.5:
        return f"{stem}__{rng.choice(WORDS)}__{''.join(rng.choice(string.ascii_letters) for _ in range(5))}"
    if style < 0.75:
        return f"{stem}-{rng.choice(WORDS)}"
    return f"{stem}__{rng.choice(WORDS)}--{rng.choice(WORDS)}"


# --------------------------------------------------------------------------- JavaScript

def _js_statement(rng: random.Random, ctx: PageContext) -> str:
    a, b, c, d = (identifier(rng) for _ in range(4))
    key, key2 = identifier(rng, short=False), rng.choice(WORDS)
    cls = css_class(rng, ctx.family)
    num = rng.randint(0, 99999)
    templates = (
        f'function {a}({b},{c}){{var {d}={b}.{rng.choice(DOM_CALLS[:4])}(".{cls}");if(!{d})return null;'
        f'for(var i=0;i<{d}.length;i++){{{d}[i].setAttribute("data-{key2}",{c}[i%{c}.length])}}return {d}}}',
        f'var {a}={{{key}:"{hex_hash(rng, 12)}",{rng.choice(WORDS)}:{num},{rng.choice(WORDS)}:!{rng.randint(0, 1)},'
        f'{rng.choice(WORDS)}:["{rng.choice(WORDS)}","{rng.choice(WORDS)}","{cls}"]}};',
        f'{b}.{rng.choice(DOM_CALLS[4:6])}("{rng.choice(EVENTS)}",function({c}){{{c}&&{c}.target&&'
        f'{c}.target.closest(".{cls}")&&({a}.{key}=({a}.{key}||0)+1,{d}("{key2}",{c}.target))}},{{passive:!0}});',
        f'{a}.prototype.{key}=function(){{var {b}=this;return new Promise(function({c},{d}){{'
        f'setTimeout(function(){{{b}.{rng.choice(WORDS)}?{c}({b}):{d}(Error("{key2} timeout"))}},{num % 5000})}})}};',
        f'try{{var {a}=JSON.parse(localStorage.getItem("{key}")||"{{}}");{a}.{key2}={num};'
        f'localStorage.setItem("{key}",JSON.stringify({a}))}}catch({b}){{}}',
        f'{num}:function({a},{b},{c}){{"use strict";{c}.d({b},{{Z:function(){{return {d}}}}});'
        f'var {d}=function({a}){{return{{type:"{key2}",id:{a}.id||"{hex_hash(rng)}",className:"{cls}"}}}}}}',
        f'!function({a}){{var {b}=document.createElement("script");{b}.async=!0;'
        f'{b}.src="https://{rng.choice(WORDS)}.{ctx.host}/{hex_hash(rng, 10)}.js";'
        f'var {c}=document.getElementsByTagName("script")[0];{c}.parentNode.insertBefore({b},{c})}}(window);',
        f'if({a}.{key}>{num % 97}&&{b}.indexOf("{key2}")===-1){{{c}.push({{{key2}:{a}.{key},ts:Date.now()}})}}',
        f'var {a}=window.matchMedia("(min-width: {rng.choice((600, 768, 1024, 1280))}px)"),{b}=function(){{'
        f'document.documentElement.classList.toggle("{cls}",{a}.matches)}};{a}.addListener({b});{b}();',
        f'{a}.exports=function({b}){{return {b}.replace(/[&<>"]/g,function({c}){{return"&#"+{c}.charCodeAt(0)+";"}})}};',
    )
    return rng.choice(templates)


def minified_js(ctx: PageContext, size: int, salt: object = "") -> str:
    """One long line of plausible minified JavaScript of about `size` characters."""
    rng = ctx.rng("js", size, salt)
    flavour = ctx.family.js
    parts: list[str] = []
    if flavour == "webpack":
        chunk = rng.randint(100, 9999)
        head = f'(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[{chunk}],{{'
        tail = '}]);'
    elif flavour == "nuxt":
        head = f'(window.webpackJsonp=window.webpackJsonp||[]).push([[{rng.randint(1, 99)}],{{'
        tail = '}]);'
    elif flavour == "jquery":
        name = identifier(rng, short=False)
        head = (f'/*! {name} v{rng.randint(1, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 20)} | (c) {ctx.site} '
                f'| MIT license */!function($){{"use strict";')
        tail = '}(window.jQuery||window.Zepto);'
    else:  # legacy: 2000s site scripts and Omniture-style s_code, unwrapped
        head = f'/* {ctx.site} site scripts {ctx.year} */var s_account="{ctx.site}{rng.randint(1, 9)}";'
        tail = ''
    parts.append(head)
    length = len(head) + len(tail)
    module = 0
    while length < size:
        if flavour in ("webpack", "nuxt"):
            body = ";".join(_js_statement(rng, ctx) for _ in range(rng.randint(2, 6)))
            piece = f'{rng.randint(1000, 99999)}:function(e,t,n){{"use strict";{body}}}'
            piece = piece if module == 0 else "," + piece
            module += 1
        else:
            piece = _js_statement(rng, ctx)
        parts.append(piece)
        length += len(piece)
    parts.append(tail)
    return "".join(parts)


def minified_css(ctx: PageContext, size: int, salt: object = "") -> str:
    """One long line of minified CSS over the family's class vocabulary."""
    rng = ctx.rng("css", size, salt)
    props = ("display:flex", "display:none", "display:block", "margin:0 auto", "padding:0 16px", "color:#1a1a1a",
             "color:#6b6b6b", "font-size:14px", "font-size:1.125rem", "line-height:1.5", "font-weight:700",
             "position:relative", "position:absolute", "top:0", "left:0", "width:100%", "max-width:1200px",
             "border-bottom:1px solid #e5e5e5", "background:#fff", "background-color:#f4f4f4", "z-index:10",
             "overflow:hidden", "text-transform:uppercase", "letter-spacing:.04em", "gap:12px",
             "grid-template-columns:repeat(3,1fr)", "transition:opacity .2s ease", "min-height:250px")
    out: list[str] = []
    length = 0
    while length < size:
        selector = "." + css_class(rng, ctx.family)
        if rng.random() < 0.3:
            selector += rng.choice((" a", ":hover", " > li", " img", "::after", " h2", " p"))
        rule = selector + "{" + ";".join(rng.sample(props, rng.randint(2, 5))) + "}"
        if rng.random() < 0.08:
            rule = f"@media (min-width:{rng.choice((600, 768, 1024))}px){{{rule}}}"
        out.append(rule)
        length += len(rule)
    return "".join(out)
