"""Weight fills for a page's body: inline application state, JSON-LD, ad slots, pixels, iframes, icons,
pictures, tracking and CMS comments. None carries visible text."""

from __future__ import annotations

import json
import random
import string
from typing import Any

from fill_basics import (WORDS, PageContext, ascii_json, ascii_text, css_class, hex_hash,
                         identifier, parse_size)


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
        key = f"{rng.choice(WORDS)}{rng.choice(WORDS).title()}"
        kind = rng.random()
        if kind < 0.3:
            blob[key] = {rng.choice(WORDS): rng.randint(0, 9999) for _ in range(rng.randint(3, 8))}
        elif kind < 0.55:
            blob[key] = [{"id": hex_hash(rng, 12), "type": rng.choice(WORDS), "className": css_class(rng, ctx.family),
                          "enabled": rng.random() < 0.5, "sizes": [[300, 250], [rng.choice((320, 728, 970)), 90]]}
                         for _ in range(rng.randint(2, 6))]
        elif kind < 0.8:
            blob[key] = {f"{rng.choice(WORDS)}_{i}": hex_hash(rng, rng.randint(6, 24)) for i in range(rng.randint(4, 10))}
        else:
            blob[key] = {"experiment": f"exp-{hex_hash(rng, 6)}", "variant": rng.choice("ABCD"),
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
        "id": hex_hash(rng, 24), "canonical_url": ctx.url, "headlines": {"basic": ctx.title},
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
                "page": "/[section]/[slug]", "query": {}, "buildId": hex_hash(rng, 21), "isFallback": False,
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
                f'(null,true,false,0,1,"",{rng.randint(1, 99)},"{hex_hash(rng)}","news","article",2,3,4,5,6,7));</script>')
    if kind == "apollo":
        return f'<script>window.__APOLLO_STATE__={ascii_json({"Post:" + article["id"]: article, "ROOT_QUERY": filler})}</script>'
    if kind == "preloads":
        return f'<script>window._preloads = JSON.parse({json.dumps(ascii_json({"post": article, "pub": filler}))})</script>'
    if kind == "drupal-settings":
        return f'<script type="application/json" data-drupal-selector="drupal-settings-json">{ascii_json({"path": {"baseUrl": "/", "currentPath": "node/" + str(rng.randint(1000, 99999))}, "node": article, "ajaxPageState": filler})}</script>'
    if kind == "wp-config":
        return (f'<script id="{rng.choice(WORDS)}-js-extra">var {identifier(rng, short=False)} = '
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
        "image": [f"https://{ctx.host}/img/{ctx.year}/{hex_hash(rng, 10)}.jpg"],
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
         "item": f"https://{ctx.host}/{rng.choice(WORDS)}/"}]}
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
        return f'<div class="{css_class(rng, ctx.family)}" data-slot="{name}" data-lazy="true" hidden></div>'
    sizes = rng.choice(("[[300,250],[336,280]]", "[[728,90],[970,90],[970,250]]", "[[300,600],[300,250]]",
                        "[[320,50],[300,250],'fluid']"))
    stray = "</span>" if ctx.rng("markup-errors").random() < 0.35 else ""  # ad markup that closes what it never opened
    return (f'<div class="{css_class(rng, ctx.family)} ad-container" data-ad-slot="{name}" data-ad-sizes="{sizes}" '
            f'data-ad-unit="/{rng.randint(10**6, 10**8)}/{ctx.site}/{rng.choice(WORDS)}/{name}" '
            f'data-refresh="{rng.choice(("true", "false"))}" data-lazy-margin="{rng.choice((200, 400, 800))}" '
            f'data-targeting=\'{ascii_json({"pos": name, "kw": [rng.choice(WORDS) for _ in range(3)], "pgtype": "article"})}\'>'
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
           f'<img src="https://{rng.choice(WORDS)}.{ctx.host}/pixel.gif?e=pv&amp;r={hex_hash(rng, 10)}" width="1" height="1" alt="" style="position:absolute;left:-9999px" data-track="pv">']
    if ctx.year >= 2016:
        if ctx.rng("gtm-noscript").random() < 0.4:  # many containers ship without GTM's <noscript> frame
            out.append(f'<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-{hex_hash(rng, 7).upper()}" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>')
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
                f'frameborder="0" src="https://embed.{ctx.host}/{kind}/{hex_hash(rng, 12)}"><amp-img layout="fill" '
                f'src="https://{ctx.host}/img/placeholder.png" placeholder></amp-img></amp-iframe>')
    lazy = ' loading="lazy"' if ctx.year >= 2019 else ""
    if kind == "video":
        src = f"https://www.youtube.com/embed/{''.join(rng.choice(string.ascii_letters + string.digits + '-_') for _ in range(11))}?rel=0&amp;enablejsapi=1"
        return (f'<div class="{css_class(rng, ctx.family)} video-embed" data-provider="youtube" data-aspect="16:9">'
                f'<iframe src="{src}" width="640" height="360" frameborder="0" allowfullscreen{lazy} '
                'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" title="YouTube video player"></iframe></div>')
    if kind == "social":
        return (f'<iframe src="https://platform.twitter.com/embed/Tweet.html?id={rng.randint(10**17, 10**18)}&amp;theme=light" '
                f'width="550" height="{rng.randint(300, 700)}" frameborder="0" scrolling="no"{lazy} data-tweet-id="{rng.randint(10**17, 10**18)}" title="X Post"></iframe>')
    if kind == "map":
        return (f'<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d{rng.randint(1000, 9999)}.{rng.randint(10, 99)}!2d{rng.uniform(-120, 120):.4f}!3d{rng.uniform(-60, 60):.4f}" '
                f'width="600" height="450" style="border:0"{lazy} referrerpolicy="no-referrer-when-downgrade"></iframe>')
    if kind == "podcast":
        return f'<iframe src="https://embed.podcasts.example/{hex_hash(rng, 12)}?theme=light" width="100%" height="175" frameborder="0"{lazy} data-episode="{hex_hash(rng, 8)}"></iframe>'
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
    paths = "".join(f'<path class="{css_class(rng, ctx.family)}" d="{_path_data(rng)}"/>' if i % 7 == 0 else f'<path d="{_path_data(rng)}"/>'
                    for i in range(len(letters) + rng.randint(2, 8)))
    return (f'<a class="{css_class(rng, ctx.family)}" href="/" aria-label="{ascii_text(ctx.site)} home" data-track="masthead">'
            f'<svg class="{css_class(rng, ctx.family)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {len(letters) * 22} 40" '
            f'role="img" aria-hidden="true" focusable="false"><g fill="currentColor" fill-rule="evenodd">{paths}</g></svg></a>')


def fill_icons(ctx: PageContext, args: list[str]) -> str:
    """A bar of icon-only buttons (share, save, follow), labelled for screen readers only (args: N, salt)."""
    rng = ctx.rng("icons", *args)
    count = int(args[0]) if args else 6
    bar = css_class(rng, ctx.family)
    items = []
    for icon in rng.sample(_ICONS, min(count, len(_ICONS))):
        items.append(f'<li class="{bar}__item {css_class(rng, ctx.family)}"><button type="button" class="{css_class(rng, ctx.family)}" '
                     f'aria-label="{icon.replace("-", " ")}" data-action="{icon}" data-track="{rng.choice(WORDS)}-{icon}">'
                     f'<svg class="{css_class(rng, ctx.family)}" width="20" height="20" aria-hidden="true" focusable="false">'
                     f'<use href="#icon-{icon}"></use></svg></button></li>')
    return f'<ul class="{bar}" role="list" data-component="{rng.choice(WORDS)}-tools">{"".join(items)}</ul>'


def fill_picture(ctx: PageContext, args: list[str]) -> str:
    """A responsive, lazily loaded picture with its sources (args: image slug). The alt text stays empty."""
    rng = ctx.rng("picture", *args)
    slug = args[0] if args else hex_hash(rng, 10)
    base = f"https://{ctx.host}/img/{ctx.year}/{slug}"
    widths = (320, 640, 960, 1280, 1920)
    sources = "".join(
        f'<source type="{mime}" media="(min-width: {w}px)" srcset="{base}.{ext}?w={w} 1x, {base}.{ext}?w={w * 2} 2x">'
        for mime, ext in (("image/avif", "avif"), ("image/webp", "webp")) for w in widths[1:4])
    return (f'<div class="{css_class(rng, ctx.family)}" data-aspect="16:9"><div class="{css_class(rng, ctx.family)}" style="padding-bottom:56.25%">'
            f'<picture class="{css_class(rng, ctx.family)}">{sources}'
            f'<img class="{css_class(rng, ctx.family)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{base}.jpg?w=960" '
            f'srcset="{", ".join(f"{base}.jpg?w={w} {w}w" for w in widths)}" sizes="(min-width: 1024px) 66vw, 100vw" '
            f'loading="lazy" decoding="async" width="960" height="540" alt=""></picture></div></div>')


def fill_tracking(ctx: PageContext, args: list[str]) -> str:
    """Empty containers that third-party widgets fill once their script runs (recommendations, comments, paywall)."""
    rng = ctx.rng("tracking")
    widgets = []
    if ctx.year >= 2008:
        widgets.append(f'<div id="disqus_thread" data-disqus-identifier="{hex_hash(rng, 10)}" data-disqus-shortname="{ctx.site}"></div>')
    if ctx.year >= 2010:
        widgets.append(f'<div class="OUTBRAIN" data-src="{ascii_text(ctx.url)}" data-widget-id="AR_{rng.randint(1, 9)}" data-ob-template="{ctx.site}"></div>')
    if ctx.year >= 2012:
        widgets.append(f'<div id="taboola-below-article-thumbnails" class="trc_related_container" data-placement="Below Article Thumbnails" data-mode="thumbnails-{rng.choice("abcd")}"><div class="trc_rbox_container"><div class="trc_rbox_outer"></div></div></div>')
    if ctx.year >= 2016:
        widgets += [f'<div id="piano-inline-{rng.randint(1, 9)}" class="tp-container-inner" data-offer="{hex_hash(rng, 12)}" data-template="{hex_hash(rng, 8)}"></div>',
                    f'<div class="onesignal-customlink-container" data-app-id="{hex_hash(rng, 8)}-{hex_hash(rng, 4)}"></div>',
                    f'<div id="connatix-player-{rng.randint(1, 9)}" data-cnx-player="{hex_hash(rng, 8)}-{hex_hash(rng, 4)}" data-cnx-lazy="true"><div class="cnx-main-container"></div></div>']
    if ctx.year >= 2018:
        widgets += [f'<div data-spotim-module="conversation" data-post-id="{hex_hash(rng, 10)}" data-post-url="{ascii_text(ctx.url)}" data-spot-id="sp_{hex_hash(rng, 8)}"></div>',
                    f'<div id="ot-sdk-btn-floating" class="ot-floating-button" data-title="{hex_hash(rng, 4)}"><div class="ot-floating-button__front"></div><div class="ot-floating-button__back"></div></div>']
    return f'<div class="{css_class(rng, ctx.family)}" id="third-party-{hex_hash(rng, 6)}" aria-hidden="true">{"".join(widgets)}</div>'


def fill_cms_notes(ctx: PageContext, args: list[str]) -> str:
    """The build and cache comments CMSes leave in the markup."""
    rng = ctx.rng("cms-notes")
    notes = [f"<!-- generated in {rng.uniform(0.05, 1.9):.3f}s by web{rng.randint(1, 24):02d} -->",
             f"<!-- cache: {rng.choice(('HIT', 'MISS', 'STALE'))} ({rng.randint(1, 900)}s) -->",
             f"<!-- template: {ctx.family.name}/{rng.choice(('article', 'story', 'node', 'single'))}-{rng.randint(1, 9)} -->"]
    if ctx.year < 2010:
        notes.append(f"<!-- SSI {rng.choice(('/includes/nav.shtml', '/ssi/footer.html', '/.element/ssi/www/misc/2.0/header.html'))} -->")
    else:
        notes.append(f"<!-- release {rng.randint(1, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 999)} ({hex_hash(rng, 7)}) -->")
    return "\n".join(notes[: int(args[0]) if args else len(notes)])
