"""The invisible weight of a saved news page, generated: bundles, state blobs, ad slots, head tags.

Real saved pages are about 7% visible text: the rest is minified bundles,
inline application state, ad-slot configuration, analytics and consent
scripts, tracking pixels and head tags (shared/PAGE-AUTHORING.md, section 5).
Pages in `pages/` mark where such weight sits with a pair of CMS-style
comments, `<!-- begin KIND ARGS -->` ... `<!-- end KIND -->`; `fill(kind,
args, ctx)` returns what goes between them.

Every fill is a pure function of the page (its id, card, gold) and the region,
so re-weighing a page changes nothing and a test can prove `pages/` is the
build's output. Every byte is ASCII (text as character references or JSON
\\u escapes), so one fill is valid in any page charset. Fills carry no visible
text: labels such as "Advertisement" are written by hand beside the region.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import string
from dataclasses import dataclass, field
from typing import Any, Callable

from families import FAMILIES, Family


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

_WORDS = ("ad", "slot", "user", "meter", "paywall", "consent", "vendor", "config", "track", "event", "click",
          "scroll", "view", "load", "ready", "lazy", "image", "video", "player", "embed", "share", "menu",
          "nav", "drawer", "modal", "toast", "banner", "sticky", "rail", "teaser", "card", "grid", "layout",
          "theme", "dark", "font", "size", "count", "index", "offset", "limit", "page", "section", "story",
          "article", "author", "topic", "tag", "feed", "live", "update", "poll", "quiz", "comment", "reply",
          "login", "account", "subscribe", "newsletter", "region", "locale", "edition", "device", "viewport",
          "breakpoint", "target", "bid", "floor", "timeout", "refresh", "sizes", "unit", "network", "segment",
          "audience", "cohort", "experiment", "variant", "flag", "feature", "cache", "ttl", "retry", "queue")
_EVENTS = ("click", "scroll", "resize", "load", "DOMContentLoaded", "visibilitychange", "message", "keydown",
           "touchstart", "mouseenter", "focus", "blur", "beforeunload", "popstate", "hashchange")
_DOM = ("querySelector", "querySelectorAll", "getElementById", "getElementsByClassName", "addEventListener",
        "removeEventListener", "setAttribute", "getAttribute", "appendChild", "insertBefore", "classList.add",
        "classList.remove", "classList.toggle", "dispatchEvent", "getBoundingClientRect")


def _ident(rng: random.Random, short: bool = True) -> str:
    if short:
        first = rng.choice(string.ascii_letters + "_$")
        return first + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(0, 2)))
    return rng.choice(_WORDS) + "".join(w.title() for w in rng.sample(_WORDS, rng.randint(1, 2)))


def _hash(rng: random.Random, n: int = 8) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _css_class(rng: random.Random, family: Family) -> str:
    stem = rng.choice(family.css)
    style = rng.random()
    if family.js == "webpack" and style < 0.5:
        return f"{stem}__{rng.choice(_WORDS)}__{''.join(rng.choice(string.ascii_letters) for _ in range(5))}"
    if style < 0.75:
        return f"{stem}-{rng.choice(_WORDS)}"
    return f"{stem}__{rng.choice(_WORDS)}--{rng.choice(_WORDS)}"


# --------------------------------------------------------------------------- JavaScript

def _js_statement(rng: random.Random, ctx: PageContext) -> str:
    a, b, c, d = (_ident(rng) for _ in range(4))
    key, key2 = _ident(rng, short=False), rng.choice(_WORDS)
    cls = _css_class(rng, ctx.family)
    num = rng.randint(0, 99999)
    templates = (
        f'function {a}({b},{c}){{var {d}={b}.{rng.choice(_DOM[:4])}(".{cls}");if(!{d})return null;'
        f'for(var i=0;i<{d}.length;i++){{{d}[i].setAttribute("data-{key2}",{c}[i%{c}.length])}}return {d}}}',
        f'var {a}={{{key}:"{_hash(rng, 12)}",{rng.choice(_WORDS)}:{num},{rng.choice(_WORDS)}:!{rng.randint(0, 1)},'
        f'{rng.choice(_WORDS)}:["{rng.choice(_WORDS)}","{rng.choice(_WORDS)}","{cls}"]}};',
        f'{b}.{rng.choice(_DOM[4:6])}("{rng.choice(_EVENTS)}",function({c}){{{c}&&{c}.target&&'
        f'{c}.target.closest(".{cls}")&&({a}.{key}=({a}.{key}||0)+1,{d}("{key2}",{c}.target))}},{{passive:!0}});',
        f'{a}.prototype.{key}=function(){{var {b}=this;return new Promise(function({c},{d}){{'
        f'setTimeout(function(){{{b}.{rng.choice(_WORDS)}?{c}({b}):{d}(Error("{key2} timeout"))}},{num % 5000})}})}};',
        f'try{{var {a}=JSON.parse(localStorage.getItem("{key}")||"{{}}");{a}.{key2}={num};'
        f'localStorage.setItem("{key}",JSON.stringify({a}))}}catch({b}){{}}',
        f'{num}:function({a},{b},{c}){{"use strict";{c}.d({b},{{Z:function(){{return {d}}}}});'
        f'var {d}=function({a}){{return{{type:"{key2}",id:{a}.id||"{_hash(rng)}",className:"{cls}"}}}}}}',
        f'!function({a}){{var {b}=document.createElement("script");{b}.async=!0;'
        f'{b}.src="https://{rng.choice(_WORDS)}.{ctx.host}/{_hash(rng, 10)}.js";'
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
        name = _ident(rng, short=False)
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
        selector = "." + _css_class(rng, ctx.family)
        if rng.random() < 0.3:
            selector += rng.choice((" a", ":hover", " > li", " img", "::after", " h2", " p"))
        rule = selector + "{" + ";".join(rng.sample(props, rng.randint(2, 5))) + "}"
        if rng.random() < 0.08:
            rule = f"@media (min-width:{rng.choice((600, 768, 1024))}px){{{rule}}}"
        out.append(rule)
        length += len(rule)
    return "".join(out)


# --------------------------------------------------------------------------- region fills

def _fingerprints(ctx: PageContext) -> list[str]:
    """The family's generator tags, with the version its software had in the page's year."""
    versions = {
        "wordpress": {2008: "2.6", 2010: "3.0.1", 2012: "3.4.2", 2014: "3.9.1", 2016: "4.5.3", 2018: "4.9.8",
                      2020: "5.5.1", 2022: "6.0.2", 2024: "6.4.3"},
        "drupal": {2008: "6 (http://drupal.org)", 2011: "7 (http://drupal.org)", 2017: "8 (https://www.drupal.org)",
                   2021: "9 (https://www.drupal.org)", 2023: "10 (https://www.drupal.org)"},
        "ghost": {2014: "0.5", 2017: "1.21", 2019: "3.2", 2021: "4.32", 2023: "5.82"},
        "joomla": {2006: "1.0 - Open Source Content Management", 2009: "1.5 - Open Source Content Management",
                   2013: "2.5 - Open Source Content Management", 2016: "! - Open Source Content Management"},
    }.get(ctx.family.name)
    tags = list(ctx.family.fingerprints)
    if versions:
        version = next((v for year, v in sorted(versions.items(), reverse=True) if ctx.year >= year),
                       min(versions.items())[1])
        names = {"wordpress": "WordPress ", "drupal": "Drupal ", "ghost": "Ghost ", "joomla": "Joomla"}
        tags = [f'<meta name="generator" content="{names[ctx.family.name]}{version}" />']
    return tags


def fill_head_meta(ctx: PageContext, args: list[str]) -> str:
    """The meta and link tags a news page's head carries in its year (10-20 before 2010, 25-40 after)."""
    rng = ctx.rng("head-meta")
    title = ascii_text(ctx.title)
    lead = ascii_text((ctx.body_blocks[0] if ctx.body_blocks else ctx.title)[:180])
    section = ascii_text(str(ctx.facts.get("section", "news")))
    amp = ctx.family.name == "amp"
    tags: list[str] = []
    if ctx.year < 2010:
        tags += [f'<meta name="keywords" content="{section}, {ascii_text(ctx.site)}, news">',
                 f'<meta name="description" content="{lead}">',
                 '<meta name="robots" content="index,follow">',
                 f'<meta name="author" content="{ascii_text(ctx.site)}">',
                 f'<meta name="date" content="{ctx.published}">',
                 f'<meta http-equiv="expires" content="{rng.randint(300, 1800)}">',
                 '<meta http-equiv="Pragma" content="no-cache">',
                 f'<link rel="stylesheet" type="text/css" href="/css/main.css?{rng.randint(100, 999)}">',
                 '<link rel="stylesheet" type="text/css" href="/css/print.css" media="print">',
                 '<link rel="shortcut icon" href="/favicon.ico">']
        if ctx.year >= 2004:
            tags.append(f'<link rel="alternate" type="application/rss+xml" title="RSS" href="http://{ctx.host}/rss/{section}.xml">')
        tags += [f'<meta name="{k}" content="{v}">' for k, v in (
            ("classification", section), ("distribution", "global"), ("rating", "general"),
            ("revisit-after", "1 day"), ("language", ctx.language), ("copyright", ascii_text(ctx.site)),
            ("MSSmartTagsPreventParsing", "TRUE"), ("resource-type", "document"), ("page-topic", section),
            ("audience", "all"))]
        return "\n".join(tags + _fingerprints(ctx))
    tags += [
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="description" content="{lead}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{lead}">',
        f'<meta property="og:url" content="{ascii_text(ctx.url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{ascii_text(ctx.site)}">',
        f'<meta property="og:image" content="https://{ctx.host}/img/{ctx.year}/{_hash(rng, 10)}.jpg">',
        f'<meta property="fb:app_id" content="{rng.randint(10**14, 10**15)}">',
        f'<meta name="google-site-verification" content="{_hash(rng, 40)}">',
        f'<link rel="canonical" href="{ascii_text(ctx.url)}">',
        '<link rel="shortcut icon" href="/favicon.ico">',
        f'<meta property="article:published_time" content="{ctx.published}T{rng.randint(5, 22):02d}:{rng.randint(0, 59):02d}:00Z">',
        f'<meta property="article:section" content="{section}">',
    ]
    words = sorted({w for w in re.findall(r"[A-Za-z]{5,}", ctx.title)}, key=str.lower)[:6]
    tags += [f'<meta property="article:tag" content="{ascii_text(w.lower())}">' for w in words]
    if ctx.year >= 2012:
        tags += ['<meta name="twitter:card" content="summary_large_image">',
                 f'<meta name="twitter:site" content="@{ctx.site}">',
                 f'<meta name="twitter:title" content="{title}">',
                 '<meta property="og:image:width" content="1200">', '<meta property="og:image:height" content="630">',
                 f'<meta property="og:locale" content="{ctx.language.replace("-", "_")}">',
                 f'<meta name="msvalidate.01" content="{_hash(rng, 32).upper()}">',
                 '<meta name="format-detection" content="telephone=no">',
                 '<link rel="apple-touch-icon" sizes="180x180" href="/apple-touch-icon.png">']
    if ctx.year >= 2015:
        tags += ['<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1">',
                 '<meta name="theme-color" content="#ffffff">',
                 f'<meta name="parsely-post-id" content="{rng.randint(10**5, 10**7)}">',
                 f'<meta name="sailthru.date" content="{ctx.published}">',
                 f'<link rel="preconnect" href="https://cdn.{ctx.host}" crossorigin>',
                 '<link rel="dns-prefetch" href="https://www.googletagmanager.com">',
                 '<link rel="dns-prefetch" href="https://static.chartbeat.com">',
                 '<link rel="icon" type="image/png" sizes="32x32" href="/favicon-32x32.png">',
                 '<link rel="manifest" href="/site.webmanifest">',
                 '<meta name="msapplication-TileColor" content="#ffffff">',
                 '<meta name="msapplication-config" content="/browserconfig.xml">',
                 '<meta name="apple-mobile-web-app-capable" content="yes">',
                 '<meta name="referrer" content="no-referrer-when-downgrade">']
        tags += [f'<link rel="apple-touch-icon" sizes="{s}x{s}" href="/icons/apple-touch-icon-{s}x{s}.png">'
                 for s in (57, 60, 72, 76, 114, 120, 144, 152)]
        tags += [f'<link rel="alternate" hreflang="{lang}" href="https://{ctx.host}/{lang}/">'
                 for lang in rng.sample(("en", "es", "fr", "de", "x-default", "pt", "it", "nl"), rng.randint(0, 5))]
        if not amp:
            tags += ['<link rel="preconnect" href="https://securepubads.g.doubleclick.net" crossorigin>',
                     f'<link rel="preload" as="font" type="font/woff2" href="/fonts/{_hash(rng, 6)}.woff2" crossorigin>',
                     f'<link rel="preload" as="image" href="https://{ctx.host}/img/{ctx.year}/{_hash(rng, 10)}.jpg?w=1200">']
    if not amp:
        tags += [f'<link rel="stylesheet" href="{_stylesheet_href(ctx, rng)}">' for _ in range(rng.randint(1, 3))]
        if ctx.year >= 2016:
            tags.append(f'<link rel="amphtml" href="{ascii_text(ctx.url.rstrip("/"))}/amp/">')
    return "\n".join(tags + _fingerprints(ctx))


def _stylesheet_href(ctx: PageContext, rng: random.Random) -> str:
    path = ctx.family.bundle_paths[-1]
    base = path if path.startswith("http") else f"https://cdn.{ctx.host}{path}" if ctx.modern else path
    return f"{base}{_hash(rng, 16)}.css" if ctx.modern else f"{base}style.css?ver={rng.randint(100, 999)}"


_AMP_COMPONENTS = ("amp-ad", "amp-analytics", "amp-iframe", "amp-youtube", "amp-social-share", "amp-sidebar",
                   "amp-accordion", "amp-carousel", "amp-bind", "amp-list", "amp-consent", "amp-form",
                   "amp-twitter", "amp-sticky-ad", "amp-geo", "amp-access")


def _script_tag(ctx: PageContext, rng: random.Random) -> str:
    if ctx.family.name == "amp":
        component = rng.choice(_AMP_COMPONENTS)
        return (f'<script async custom-element="{component}" '
                f'src="https://cdn.ampproject.org/v0/{component}-0.1.js"></script>')
    path = rng.choice(ctx.family.bundle_paths)
    src = path if path.startswith("http") else (f"https://cdn.{ctx.host}{path}" if ctx.modern else path)
    name = rng.choice(("main", "vendor", "runtime", "framework", "polyfills", "app", "ads", "analytics",
                       "article", "comments", "video", "consent", "pages/_app", "common", "lazysizes")
                      if ctx.modern else
                      ("common", "global", "functions", "menu", "ads", "swfobject", "prototype", "scriptaculous",
                       "jquery.min", "jquery-ui.min", "popup", "rollover", "tracking", "ticker", "poll"))
    if ctx.modern:
        attrs = rng.choice(("async", "defer", "", 'type="module"', "nomodule defer"))
        return f'<script src="{src}{name}-{_hash(rng, 16)}.js" {attrs}></script>'.replace(" >", ">")
    return f'<script type="text/javascript" src="{src}{name}.js?v={rng.randint(100, 999)}"></script>'


def fill_scripts(ctx: PageContext, args: list[str]) -> str:
    """N external script tags of the family's bundles (args: N, default 8)."""
    rng = ctx.rng("scripts", *args)
    count = int(args[0]) if args else 8
    tags = [_script_tag(ctx, rng) for _ in range(count)]
    if ctx.family.js in ("webpack", "nuxt") and ctx.year >= 2017:  # bundlers preload every chunk they load
        preloads = [f'<link rel="preload" href="{src}" as="script">'
                    for src in (re.search(r'src="([^"]+)"', tag).group(1) for tag in tags)]
        tags = preloads + tags
    return "\n".join(tags)


def fill_head_scripts(ctx: PageContext, args: list[str]) -> str:
    """The analytics, consent and ad stack of the page's year (counters and DART in 2000, GTM and prebid in 2020)."""
    rng = ctx.rng("head-scripts")
    section = ascii_text(str(ctx.facts.get("section", "news")))
    out: list[str] = []
    if ctx.family.name == "amp":  # AMP allows only its runtime and component scripts
        out.append('<script async src="https://cdn.ampproject.org/v0.js"></script>')
        out += [f'<script async custom-element="{c}" src="https://cdn.ampproject.org/v0/{c}-0.1.js"></script>'
                for c in rng.sample(_AMP_COMPONENTS, rng.randint(6, 10))]
        return "\n".join(out)
    year = ctx.year
    if year < 2010:
        if ctx.family.ads != "none":
            out += ['<script type="text/javascript">var ord=Math.random()*10000000000000000;'
                    f'var dartSite="{ctx.site}.dart",dartZone="{section}";</script>',
                    f'<script type="text/javascript" src="http://ad.doubleclick.net/adj/{ctx.site}/news;tile=1;sz=728x90;ord=123456789?"></script>']
        if year < 2005:
            out += [f'<script type="text/javascript" language="JavaScript">var hbx_pn="{section}";var hbx_mlc="/{section}";'
                    f'var hbx_acct="DM{rng.randint(10**6, 10**7)}";</script>',
                    '<script type="text/javascript" language="JavaScript" src="/js/hbx.js"></script>',
                    '<script type="text/javascript" language="JavaScript">function MM_preloadImages(){var d=document;if(d.images){if(!d.MM_p)d.MM_p=new Array();'
                    'var i,j=d.MM_p.length,a=MM_preloadImages.arguments;for(i=0;i<a.length;i++)if(a[i].indexOf("#")!=0){d.MM_p[j]=new Image;d.MM_p[j++].src=a[i];}}}</script>']
        else:
            out += ['<script type="text/javascript" src="http://www.google-analytics.com/urchin.js"></script>',
                    f'<script type="text/javascript">_uacct="UA-{rng.randint(10**5, 10**7)}-1";urchinTracker();</script>']
            if year >= 2007:
                out.append('<script type="text/javascript">var _qevents=_qevents||[];(function(){var elem=document.createElement("script");'
                           'elem.src=(document.location.protocol=="https:"?"https://secure":"http://edge")+".quantserve.com/quant.js";'
                           'elem.async=true;elem.type="text/javascript";var scpt=document.getElementsByTagName("script")[0];'
                           f'scpt.parentNode.insertBefore(elem,scpt)}})();_qevents.push({{qacct:"p-{_hash(rng, 13)}"}});</script>')
        out += [_script_tag(ctx, rng) for _ in range(rng.randint(4, 9))]
        return "\n".join(out)
    ga = f"UA-{rng.randint(10**5, 10**7)}-{rng.randint(1, 3)}"
    if year < 2014:
        out += [f"<script type=\"text/javascript\">var _gaq=_gaq||[];_gaq.push(['_setAccount','{ga}']);_gaq.push(['_trackPageview']);"
                "(function(){var ga=document.createElement('script');ga.type='text/javascript';ga.async=true;"
                "ga.src=('https:'==document.location.protocol?'https://ssl':'http://www')+'.google-analytics.com/ga.js';"
                "var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(ga,s);})();</script>"]
    elif year < 2019:
        out += ["<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){(i[r].q=i[r].q||[]).push(arguments)},"
                "i[r].l=1*new Date();a=s.createElement(o),m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)})"
                f"(window,document,'script','https://www.google-analytics.com/analytics.js','ga');ga('create','{ga}','auto');ga('send','pageview');</script>"]
    if year >= 2016:
        gtm = f"GTM-{''.join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(7))}"
        out += [
            f'<script>window.dataLayer=window.dataLayer||[];window.dataLayer.push({ascii_json({"pageType": "article", "section": str(ctx.facts.get("section", "news")), "publishDate": ctx.published, "contentId": _hash(rng, 10), "wordCount": sum(len(b.split()) for b in ctx.body_blocks), "paywall": rng.choice(["free", "metered", "premium"])})});</script>',
            f"<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':new Date().getTime(),event:'gtm.js'}});"
            "var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;"
            f"j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);}})(window,document,'script','dataLayer','{gtm}');</script>",
        ]
    if ctx.family.ads != "none":
        if year < 2013:
            out += ["<script type='text/javascript'>var googletag=googletag||{};googletag.cmd=googletag.cmd||[];(function(){var gads=document.createElement('script');"
                    "gads.async=true;gads.type='text/javascript';var useSSL='https:'==document.location.protocol;"
                    "gads.src=(useSSL?'https:':'http:')+'//www.googletagservices.com/tag/js/gpt.js';var node=document.getElementsByTagName('script')[0];"
                    "node.parentNode.insertBefore(gads,node);})();</script>"]
        else:
            out += ['<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>']
        out += ['<script>window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){'
                f'googletag.pubads().setTargeting("section","{section}");'
                'googletag.pubads().enableSingleRequest();googletag.pubads().collapseEmptyDivs();'
                + ('googletag.pubads().enableLazyLoad({fetchMarginPercent:200,renderMarginPercent:100,mobileScaling:2.0});' if year >= 2019 else '')
                + 'googletag.enableServices();});</script>']
        if year >= 2016:
            out += [f'<script async src="https://cdn.{ctx.host}/prebid/{_hash(rng, 8)}/prebid.js"></script>',
                    f'<script>var pbjs=pbjs||{{}};pbjs.que=pbjs.que||[];var PREBID_TIMEOUT={rng.choice((800, 1000, 1500))};'
                    f'pbjs.que.push(function(){{pbjs.setConfig({ascii_json({"priceGranularity": "dense", "enableSendAllBids": True, "userSync": {"filterSettings": {"iframe": {"bidders": "*", "filter": "include"}}, "syncDelay": 3000}, "consentManagement": {"gdpr": {"cmpApi": "iab", "timeout": 8000}}})})}});</script>']
    if year >= 2018:
        out += [f'<script type="text/javascript" src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="{_hash(rng, 8)}-{_hash(rng, 4)}-{_hash(rng, 4)}-{_hash(rng, 4)}-{_hash(rng, 12)}" charset="UTF-8"></script>',
                '<script type="text/javascript">function OptanonWrapper(){window.dataLayer.push({event:"OneTrustGroupsUpdated"})}</script>']
    if year >= 2011:
        out += [f'<script>var _sf_async_config=window._sf_async_config=(window._sf_async_config||{{}});_sf_async_config.uid={rng.randint(10000, 99999)};'
                f'_sf_async_config.domain="{ctx.host}";_sf_async_config.useCanonical=true;_sf_async_config.sections="{section}";</script>',
                '<script async src="https://static.chartbeat.com/js/chartbeat.js"></script>']
    out += [f'<script>var _comscore=_comscore||[];_comscore.push({{c1:"2",c2:"{rng.randint(10**6, 10**7)}"}});</script>']
    out += [_script_tag(ctx, rng) for _ in range(rng.randint(6, 14) if ctx.modern else rng.randint(4, 9))]
    return "\n".join(out)


def fill_style(ctx: PageContext, args: list[str]) -> str:
    """An inline stylesheet on one line (args: size, default 12k)."""
    size = parse_size(args[0] if args else None, 12 * 1024)
    if ctx.family.name == "amp":  # AMP allows one stylesheet, at most 75 KB: write it with this region only
        return f"<style amp-custom>{minified_css(ctx, min(size, 74 * 1024))}</style>"
    return f"<style>{minified_css(ctx, size)}</style>"


def fill_bundle(ctx: PageContext, args: list[str]) -> str:
    """An inline minified script on one long line (args: size, default 30k)."""
    size = parse_size(args[0] if args else None, 30 * 1024)
    salt = args[1] if len(args) > 1 else ""
    if ctx.family.name == "amp":  # AMP allows no custom JS: its weight is analytics configuration
        rng = ctx.rng("amp-analytics", size, salt)
        config: dict[str, Any] = {"vars": {"account": f"UA-{rng.randint(10**5, 10**7)}-1"}, "triggers": {}}
        while len(ascii_json(config)) < size:
            name = f"{rng.choice(_WORDS)}{rng.randint(1, 999)}"
            config["triggers"][name] = {"on": rng.choice(("visible", "click", "scroll", "timer")),
                                        "selector": "." + _css_class(rng, ctx.family),
                                        "request": "event", "vars": {"eventCategory": rng.choice(_WORDS),
                                                                     "eventAction": rng.choice(_WORDS)}}
        return f'<amp-analytics type="googleanalytics"><script type="application/json">{ascii_json(config)}</script></amp-analytics>'
    js_type = '' if ctx.modern else ' type="text/javascript"'
    return f"<script{js_type}>{minified_js(ctx, size, salt)}</script>"


def _body_elements(ctx: PageContext) -> list[dict[str, Any]]:
    elements = []
    for i, block in enumerate(ctx.body_blocks):
        elements.append({"_id": f"{ctx.page_id[:6].upper()}{i:04d}", "type": "text", "content": block})
    return elements


def _filler_object(rng: random.Random, ctx: PageContext, size: int) -> dict[str, Any]:
    """Nested configuration (ads, features, translations) that bulks real state blobs."""
    blob: dict[str, Any] = {}
    entry_chars: dict[str, int] = {}  # each entry's share of len(ascii_json(blob)), kept as the blob grows

    def serialized_length() -> int:
        return 2 + sum(entry_chars.values()) + max(0, len(entry_chars) - 1)

    while serialized_length() < size:
        key = f"{rng.choice(_WORDS)}{rng.choice(_WORDS).title()}"
        kind = rng.random()
        if kind < 0.3:
            blob[key] = {rng.choice(_WORDS): rng.randint(0, 9999) for _ in range(rng.randint(3, 8))}
        elif kind < 0.55:
            blob[key] = [{"id": _hash(rng, 12), "type": rng.choice(_WORDS), "className": _css_class(rng, ctx.family),
                          "enabled": rng.random() < 0.5, "sizes": [[300, 250], [rng.choice((320, 728, 970)), 90]]}
                         for _ in range(rng.randint(2, 6))]
        elif kind < 0.8:
            blob[key] = {f"{rng.choice(_WORDS)}_{i}": _hash(rng, rng.randint(6, 24)) for i in range(rng.randint(4, 10))}
        else:
            blob[key] = {"experiment": f"exp-{_hash(rng, 6)}", "variant": rng.choice("ABCD"),
                         "weight": round(rng.random(), 3), "segments": [rng.randint(1, 999) for _ in range(6)]}
        entry_chars[key] = len(ascii_json({key: blob[key]})) - 2
    return blob


def fill_state(ctx: PageContext, args: list[str]) -> str:
    """The family's inline application state; `body` puts the article's blocks in it (args: [body] [size])."""
    with_body = "body" in args
    sizes = [a for a in args if a != "body"]
    size = parse_size(sizes[0] if sizes else None, 20 * 1024)
    rng = ctx.rng("state", *args)
    article: dict[str, Any] = {
        "id": _hash(rng, 24), "canonical_url": ctx.url, "headlines": {"basic": ctx.title},
        "display_date": f"{ctx.published}T{rng.randint(5, 22):02d}:{rng.randint(0, 59):02d}:00.000Z",
        "taxonomy": {"primary_section": {"name": str(ctx.facts.get("section", "News"))}},
        "language": ctx.language, "word_count": sum(len(b.split()) for b in ctx.body_blocks),
    }
    if with_body:
        article["content_elements"] = _body_elements(ctx)
    filler = _filler_object(rng, ctx, max(0, size - len(ascii_json(article))))
    kind = ctx.family.state or "initial-state"
    if kind == "next-data":
        data = {"props": {"pageProps": {"article": article, "config": filler}, "__N_SSP": True},
                "page": "/[section]/[slug]", "query": {}, "buildId": _hash(rng, 21), "isFallback": False,
                "gssp": True, "scriptLoader": []}
        return f'<script id="__NEXT_DATA__" type="application/json">{ascii_json(data)}</script>'
    if kind == "fusion":
        return ('<script type="application/javascript" id="fusion-metadata">window.Fusion=window.Fusion||{};'
                f'Fusion.arcSite="{ctx.site}";Fusion.deployment="{rng.randint(100, 999)}";'
                f'Fusion.globalContent={ascii_json(article)};Fusion.globalContentConfig={{"source":"content-api","query":{{"_id":"{article["id"]}"}}}};'
                f'Fusion.contentCache={ascii_json(filler)};</script>')
    if kind == "nuxt":
        params = [f"{c}" for c in "abcdefghijklmnop"]
        return (f'<script>window.__NUXT__=(function({",".join(params)}){{return {{layout:"default",data:[{{article:'
                f'{ascii_json(article)}}}],fetch:{ascii_json(filler)},error:a,serverRendered:b,'
                f'routePath:"{ascii_text(ctx.url)}",config:{{_app:{{basePath:"\\u002F",assetsPath:"\\u002F_nuxt\\u002F"}}}}}}}}'
                f'(null,true,false,0,1,"",{rng.randint(1, 99)},"{_hash(rng)}","news","article",2,3,4,5,6,7));</script>')
    if kind == "apollo":
        return f'<script>window.__APOLLO_STATE__={ascii_json({"Post:" + article["id"]: article, "ROOT_QUERY": filler})}</script>'
    if kind == "preloads":
        return f'<script>window._preloads = JSON.parse({json.dumps(ascii_json({"post": article, "pub": filler}))})</script>'
    if kind == "drupal-settings":
        return f'<script type="application/json" data-drupal-selector="drupal-settings-json">{ascii_json({"path": {"baseUrl": "/", "currentPath": "node/" + str(rng.randint(1000, 99999))}, "node": article, "ajaxPageState": filler})}</script>'
    if kind == "wp-config":
        return (f'<script id="{rng.choice(_WORDS)}-js-extra">var {_ident(rng, short=False)} = '
                f'{ascii_json({"ajaxurl": "/wp-admin/admin-ajax.php", "post": article, "settings": filler})};</script>')
    if kind == "amp-state":
        return f'<amp-state id="pageState"><script type="application/json">{ascii_json({"article": article, "ui": filler})}</script></amp-state>'
    var = {"blox-data": "__tnt", "brightspot-data": "__bsp", "escenic-data": "ECE", "ghost-data": "__GHOST__"}.get(kind, "__INITIAL_STATE__")
    return f'<script>window.{var}={ascii_json({"article": article, "app": filler})};</script>'


def fill_jsonld(ctx: PageContext, args: list[str]) -> str:
    """schema.org NewsArticle (+ breadcrumbs); `body` adds articleBody as some sites do."""
    rng = ctx.rng("jsonld")
    article: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": ctx.title,
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.url}, "datePublished": ctx.published,
        "image": [f"https://{ctx.host}/img/{ctx.year}/{_hash(rng, 10)}.jpg"],
        "publisher": {"@type": "Organization", "name": ctx.site,
                      "logo": {"@type": "ImageObject", "url": f"https://{ctx.host}/logo.png"}},
        "inLanguage": ctx.language,
    }
    if ctx.facts.get("author"):
        article["author"] = [{"@type": "Person", "name": str(ctx.facts["author"])}]
    if "body" in args:
        article["articleBody"] = "\n\n".join(ctx.body_blocks)
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"https://{ctx.host}/"},
        {"@type": "ListItem", "position": 2, "name": str(ctx.facts.get("section", "News")),
         "item": f"https://{ctx.host}/{rng.choice(_WORDS)}/"}]}
    return (f'<script type="application/ld+json">{ascii_json(article)}</script>\n'
            f'<script type="application/ld+json">{ascii_json(crumbs)}</script>')


def fill_ad_slot(ctx: PageContext, args: list[str]) -> str:
    """An ad slot with its data-* configuration (args: slot name). No label: write it by hand beside."""
    name = args[0] if args else "slot"
    rng = ctx.rng("ad-slot", name)
    slot_id = f"div-gpt-ad-{rng.randint(10**12, 10**13)}-{rng.randint(0, 9)}"
    if ctx.year < 2010 and ctx.family.ads not in ("none", "amp"):
        return (f'<script type="text/javascript">document.write(\'<scr\'+\'ipt type="text/javascript" '
                f'src="http://ad.doubleclick.net/adj/{ctx.site}/{name};tile={rng.randint(1, 9)};'
                f'sz=300x250;ord=\'+ord+\'?"></scr\'+\'ipt>\');</script>'
                f'<noscript><a href="http://ad.doubleclick.net/jump/{ctx.site}/{name};sz=300x250;ord=123456789?">'
                f'<img src="http://ad.doubleclick.net/ad/{ctx.site}/{name};sz=300x250;ord=123456789?" '
                f'width="300" height="250" border="0" alt=""></a></noscript>')
    if ctx.family.ads == "amp":
        return (f'<amp-ad width="300" height="250" type="doubleclick" data-slot="/{rng.randint(10**6, 10**8)}/{ctx.site}/{name}" '
                f'data-multi-size="320x50,300x100" data-multi-size-validation="false" '
                f'rtc-config=\'{ascii_json({"vendors": {"aps": {"PUB_ID": str(rng.randint(1000, 9999)), "PARAMS": {"amp": "1"}}}, "timeoutMillis": 1000})}\'>'
                '<div placeholder></div><div fallback></div></amp-ad>')
    if ctx.family.ads == "none":
        return f'<div class="{_css_class(rng, ctx.family)}" data-slot="{name}" data-lazy="true" hidden></div>'
    sizes = rng.choice(("[[300,250],[336,280]]", "[[728,90],[970,90],[970,250]]", "[[300,600],[300,250]]",
                        "[[320,50],[300,250],'fluid']"))
    stray = "</span>" if ctx.rng("markup-errors").random() < 0.35 else ""  # ad markup that closes what it never opened
    return (f'<div class="{_css_class(rng, ctx.family)} ad-container" data-ad-slot="{name}" data-ad-sizes="{sizes}" '
            f'data-ad-unit="/{rng.randint(10**6, 10**8)}/{ctx.site}/{rng.choice(_WORDS)}/{name}" '
            f'data-refresh="{rng.choice(("true", "false"))}" data-lazy-margin="{rng.choice((200, 400, 800))}" '
            f'data-targeting=\'{ascii_json({"pos": name, "kw": [rng.choice(_WORDS) for _ in range(3)], "pgtype": "article"})}\'>'
            f'<div id="{slot_id}" data-google-query-id="" style="min-height:{rng.choice((50, 90, 250, 280))}px">'
            f'<script>googletag.cmd.push(function(){{googletag.defineSlot("/{rng.randint(10**6, 10**8)}/{ctx.site}/{name}",{sizes.replace(chr(39), chr(34))},"{slot_id}")'
            f'.addService(googletag.pubads());googletag.display("{slot_id}")}});</script></div></div>{stray}')


def fill_pixels(ctx: PageContext, args: list[str]) -> str:
    """Tracking pixels and their <noscript> fallbacks, as every ad-funded page ends with."""
    rng = ctx.rng("pixels")
    c2 = rng.randint(10**6, 10**7)
    if ctx.family.name == "amp":
        return "\n".join([f'<amp-pixel src="https://sb.scorecardresearch.com/p?c1=2&amp;c2={c2}&amp;cv=3.6&amp;cj=1&amp;rn=RANDOM" layout="nodisplay"></amp-pixel>',
                          f'<amp-pixel src="https://{ctx.host}/pixel.gif?e=pv&amp;r=RANDOM&amp;u=CANONICAL_URL" layout="nodisplay"></amp-pixel>',
                          f'<amp-analytics type="comscore"><script type="application/json">{ascii_json({"vars": {"c2": str(c2)}, "extraUrlParams": {"comscorekw": "amp"}})}</script></amp-analytics>'])
    out = [f'<noscript><img src="https://sb.scorecardresearch.com/p?c1=2&amp;c2={c2}&amp;cv=3.6&amp;cj=1" alt="" width="1" height="1"></noscript>',
           f'<img src="https://{rng.choice(_WORDS)}.{ctx.host}/pixel.gif?e=pv&amp;r={_hash(rng, 10)}" width="1" height="1" alt="" style="position:absolute;left:-9999px" data-track="pv">']
    if ctx.year >= 2016:
        if ctx.rng("gtm-noscript").random() < 0.4:  # many containers ship without GTM's <noscript> frame
            out.append(f'<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-{_hash(rng, 7).upper()}" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>')
        out += [f'<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id={rng.randint(10**14, 10**15)}&amp;ev=PageView&amp;noscript=1" alt=""></noscript>',
                f'<script>!function(f,b,e,v,n,t,s){{if(f.fbq)return;n=f.fbq=function(){{n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)}};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version="2.0";n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}}(window,document,"script","https://connect.facebook.net/en_US/fbevents.js");fbq("init","{rng.randint(10**14, 10**15)}");fbq("track","PageView");</script>']
    elif ctx.year >= 2004:  # Omniture SiteCatalyst's noscript beacon
        out += [f'<img src="http://{ctx.site}.112.2o7.net/b/ss/{ctx.site}prod/1/H.{min(27, max(1, ctx.year - 2003) * 3)}--NS/0" height="1" width="1" border="0" alt="">']
    return "\n".join(out)


def fill_iframe(ctx: PageContext, args: list[str]) -> str:
    """An embedded player or widget frame (args: video|social|ad|map|podcast). Frames hold no page text."""
    kind = args[0] if args else "video"
    rng = ctx.rng("iframe", *args)
    if ctx.family.name == "amp":
        if kind == "video":
            return (f'<amp-youtube data-videoid="{"".join(rng.choice(string.ascii_letters + string.digits) for _ in range(11))}" '
                    'layout="responsive" width="480" height="270"></amp-youtube>')
        return (f'<amp-iframe width="600" height="400" layout="responsive" sandbox="allow-scripts allow-same-origin" '
                f'frameborder="0" src="https://embed.{ctx.host}/{kind}/{_hash(rng, 12)}"><amp-img layout="fill" '
                f'src="https://{ctx.host}/img/placeholder.png" placeholder></amp-img></amp-iframe>')
    lazy = ' loading="lazy"' if ctx.year >= 2019 else ""
    if kind == "video":
        src = f"https://www.youtube.com/embed/{''.join(rng.choice(string.ascii_letters + string.digits + '-_') for _ in range(11))}?rel=0&amp;enablejsapi=1"
        return (f'<div class="{_css_class(rng, ctx.family)} video-embed" data-provider="youtube" data-aspect="16:9">'
                f'<iframe src="{src}" width="640" height="360" frameborder="0" allowfullscreen{lazy} '
                'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" title="YouTube video player"></iframe></div>')
    if kind == "social":
        return (f'<iframe src="https://platform.twitter.com/embed/Tweet.html?id={rng.randint(10**17, 10**18)}&amp;theme=light" '
                f'width="550" height="{rng.randint(300, 700)}" frameborder="0" scrolling="no"{lazy} data-tweet-id="{rng.randint(10**17, 10**18)}" title="X Post"></iframe>')
    if kind == "map":
        return (f'<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d{rng.randint(1000, 9999)}.{rng.randint(10, 99)}!2d{rng.uniform(-120, 120):.4f}!3d{rng.uniform(-60, 60):.4f}" '
                f'width="600" height="450" style="border:0"{lazy} referrerpolicy="no-referrer-when-downgrade"></iframe>')
    if kind == "podcast":
        return f'<iframe src="https://embed.podcasts.example/{_hash(rng, 12)}?theme=light" width="100%" height="175" frameborder="0"{lazy} data-episode="{_hash(rng, 8)}"></iframe>'
    return (f'<iframe id="google_ads_iframe_{rng.randint(10**6, 10**8)}_0" title="3rd party ad content" name="google_ads_iframe_{rng.randint(10**6, 10**8)}_0" '
            f'width="300" height="250" scrolling="no" marginwidth="0" marginheight="0" frameborder="0" '
            f'sandbox="allow-forms allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-scripts allow-top-navigation-by-user-activation" '
            f'style="border:0;vertical-align:bottom" data-load-complete="true" data-google-container-id="{rng.randint(1, 9)}"></iframe>')


_ICONS = ("facebook", "twitter", "email", "print", "search", "menu", "close", "chevron", "play", "comment",
          "bookmark", "share", "whatsapp", "linkedin", "rss", "user", "arrow-left", "arrow-right", "pinterest",
          "reddit", "telegram", "flipboard", "copy-link", "gift", "headphones", "camera", "video", "clock",
          "location", "weather", "bell", "lock", "plus", "minus", "external", "download", "instagram", "youtube",
          "tiktok", "mastodon", "bluesky", "threads", "podcast", "newsletter", "home", "grid", "list", "filter",
          "sun", "moon", "font-size", "translate", "star", "heart", "flag", "info", "warning", "check")


def fill_svg_sprite(ctx: PageContext, args: list[str]) -> str:
    """An inline SVG icon sprite (share, search, menu icons) hidden at the top of the body."""
    rng = ctx.rng("svg-sprite")
    count = int(args[0]) if args else (44 if ctx.year >= 2017 else 28 if ctx.modern else 12)
    symbols = []
    for icon in _ICONS[:count]:
        paths = "".join(f'<path d="{_path_data(rng)}"/>' for _ in range(rng.randint(1, 4)))
        symbols.append(f'<symbol id="icon-{icon}" viewBox="0 0 24 24"><g fill="currentColor">{paths}</g></symbol>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true"><defs>{"".join(symbols)}</defs></svg>'


def _path_data(rng: random.Random) -> str:
    return (f"M{rng.randint(0, 24)} {rng.randint(0, 24)}c{rng.uniform(-9, 9):.2f} {rng.uniform(-9, 9):.2f} "
            f"{rng.uniform(-9, 9):.2f} {rng.uniform(-9, 9):.2f} {rng.uniform(-9, 9):.2f} {rng.uniform(-9, 9):.2f}z")


def fill_logo(ctx: PageContext, args: list[str]) -> str:
    """The masthead as an inline SVG wordmark (a path per letter), linked home and labelled for screen readers."""
    rng = ctx.rng("logo")
    letters = [c for c in ctx.site if c.isalnum()]
    paths = "".join(f'<path class="{_css_class(rng, ctx.family)}" d="{_path_data(rng)}"/>' if i % 7 == 0 else f'<path d="{_path_data(rng)}"/>'
                    for i in range(len(letters) + rng.randint(2, 8)))
    return (f'<a class="{_css_class(rng, ctx.family)}" href="/" aria-label="{ascii_text(ctx.site)} home" data-track="masthead">'
            f'<svg class="{_css_class(rng, ctx.family)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(letters) * 22} 40" '
            f'role="img" aria-hidden="true" focusable="false"><g fill="currentColor" fill-rule="evenodd">{paths}</g></svg></a>')


def fill_icons(ctx: PageContext, args: list[str]) -> str:
    """A bar of icon-only buttons (share, save, follow), labelled for screen readers only (args: N, salt)."""
    rng = ctx.rng("icons", *args)
    count = int(args[0]) if args else 6
    bar = _css_class(rng, ctx.family)
    items = []
    for icon in rng.sample(_ICONS, min(count, len(_ICONS))):
        items.append(f'<li class="{bar}__item {_css_class(rng, ctx.family)}"><button type="button" class="{_css_class(rng, ctx.family)}" '
                     f'aria-label="{icon.replace("-", " ")}" data-action="{icon}" data-track="{rng.choice(_WORDS)}-{icon}">'
                     f'<svg class="{_css_class(rng, ctx.family)}" width="20" height="20" aria-hidden="true" focusable="false">'
                     f'<use href="#icon-{icon}"></use></svg></button></li>')
    return f'<ul class="{bar}" role="list" data-component="{rng.choice(_WORDS)}-tools">{"".join(items)}</ul>'


def fill_picture(ctx: PageContext, args: list[str]) -> str:
    """A responsive, lazily loaded picture with its sources (args: image slug). The alt text stays empty."""
    rng = ctx.rng("picture", *args)
    slug = args[0] if args else _hash(rng, 10)
    base = f"https://{ctx.host}/img/{ctx.year}/{slug}"
    widths = (320, 640, 960, 1280, 1920)
    sources = "".join(
        f'<source type="{mime}" media="(min-width: {w}px)" srcset="{base}.{ext}?w={w} 1x, {base}.{ext}?w={w * 2} 2x">'
        for mime, ext in (("image/avif", "avif"), ("image/webp", "webp")) for w in widths[1:4])
    return (f'<div class="{_css_class(rng, ctx.family)}" data-aspect="16:9"><div class="{_css_class(rng, ctx.family)}" style="padding-bottom:56.25%">'
            f'<picture class="{_css_class(rng, ctx.family)}">{sources}'
            f'<img class="{_css_class(rng, ctx.family)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{base}.jpg?w=960" '
            f'srcset="{", ".join(f"{base}.jpg?w={w} {w}w" for w in widths)}" sizes="(min-width: 1024px) 66vw, 100vw" '
            f'loading="lazy" decoding="async" width="960" height="540" alt=""></picture></div></div>')


def fill_tracking(ctx: PageContext, args: list[str]) -> str:
    """Empty containers that third-party widgets fill once their script runs (recommendations, comments, paywall)."""
    rng = ctx.rng("tracking")
    widgets = []
    if ctx.year >= 2008:
        widgets.append(f'<div id="disqus_thread" data-disqus-identifier="{_hash(rng, 10)}" data-disqus-shortname="{ctx.site}"></div>')
    if ctx.year >= 2010:
        widgets.append(f'<div class="OUTBRAIN" data-src="{ascii_text(ctx.url)}" data-widget-id="AR_{rng.randint(1, 9)}" data-ob-template="{ctx.site}"></div>')
    if ctx.year >= 2012:
        widgets.append(f'<div id="taboola-below-article-thumbnails" class="trc_related_container" data-placement="Below Article Thumbnails" data-mode="thumbnails-{rng.choice("abcd")}"><div class="trc_rbox_container"><div class="trc_rbox_outer"></div></div></div>')
    if ctx.year >= 2016:
        widgets += [f'<div id="piano-inline-{rng.randint(1, 9)}" class="tp-container-inner" data-offer="{_hash(rng, 12)}" data-template="{_hash(rng, 8)}"></div>',
                    f'<div class="onesignal-customlink-container" data-app-id="{_hash(rng, 8)}-{_hash(rng, 4)}"></div>',
                    f'<div id="connatix-player-{rng.randint(1, 9)}" data-cnx-player="{_hash(rng, 8)}-{_hash(rng, 4)}" data-cnx-lazy="true"><div class="cnx-main-container"></div></div>']
    if ctx.year >= 2018:
        widgets += [f'<div data-spotim-module="conversation" data-post-id="{_hash(rng, 10)}" data-post-url="{ascii_text(ctx.url)}" data-spot-id="sp_{_hash(rng, 8)}"></div>',
                    f'<div id="ot-sdk-btn-floating" class="ot-floating-button" data-title="{_hash(rng, 4)}"><div class="ot-floating-button__front"></div><div class="ot-floating-button__back"></div></div>']
    return f'<div class="{_css_class(rng, ctx.family)}" id="third-party-{_hash(rng, 6)}" aria-hidden="true">{"".join(widgets)}</div>'


def fill_cms_notes(ctx: PageContext, args: list[str]) -> str:
    """The build and cache comments CMSes leave in the markup."""
    rng = ctx.rng("cms-notes")
    notes = [f"<!-- generated in {rng.uniform(0.05, 1.9):.3f}s by web{rng.randint(1, 24):02d} -->",
             f"<!-- cache: {rng.choice(('HIT', 'MISS', 'STALE'))} ({rng.randint(1, 900)}s) -->",
             f"<!-- template: {ctx.family.name}/{rng.choice(('article', 'story', 'node', 'single'))}-{rng.randint(1, 9)} -->"]
    if ctx.year < 2010:
        notes.append(f"<!-- SSI {rng.choice(('/includes/nav.shtml', '/ssi/footer.html', '/.element/ssi/www/misc/2.0/header.html'))} -->")
    else:
        notes.append(f"<!-- release {rng.randint(1, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 999)} ({_hash(rng, 7)}) -->")
    return "\n".join(notes[: int(args[0]) if args else len(notes)])


FILLS: dict[str, Callable[[PageContext, list[str]], str]] = {
    "head-meta": fill_head_meta,
    "head-scripts": fill_head_scripts,
    "scripts": fill_scripts,
    "style": fill_style,
    "bundle": fill_bundle,
    "state": fill_state,
    "jsonld": fill_jsonld,
    "ad-slot": fill_ad_slot,
    "pixels": fill_pixels,
    "iframe": fill_iframe,
    "svg-sprite": fill_svg_sprite,
    "icons": fill_icons,
    "logo": fill_logo,
    "picture": fill_picture,
    "tracking": fill_tracking,
    "cms-notes": fill_cms_notes,
}


def fill(kind: str, args: list[str], ctx: PageContext) -> str:
    """The content of one weight region; an unknown kind is an error naming the kinds there are."""
    try:
        function = FILLS[kind]
    except KeyError:
        raise ValueError(f"unknown region kind {kind!r}: one of {', '.join(sorted(FILLS))}") from None
    text = function(ctx, args)
    text.encode("ascii")  # every fill must be ASCII: it is spliced into pages of any charset
    return text


def family(name: str) -> Family:
    """The family of a card's `template`; an unknown one names the families there are."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown template family {name!r}: one of {', '.join(sorted(FAMILIES))}") from None
