"""Weight fills for a page's head and its scripts: meta tags, preloads, analytics and consent scripts,
style sheets and minified bundles, as each template family's era wrote them."""

from __future__ import annotations

import random
import re
import string
from typing import Any

from fill_basics import (WORDS, PageContext, ascii_json, ascii_text, css_class, hex_hash,
                         minified_css, minified_js, parse_size)


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
        f'<meta property="og:image" content="https://{ctx.host}/img/{ctx.year}/{hex_hash(rng, 10)}.jpg">',
        f'<meta property="fb:app_id" content="{rng.randint(10**14, 10**15)}">',
        f'<meta name="google-site-verification" content="{hex_hash(rng, 40)}">',
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
                 f'<meta name="msvalidate.01" content="{hex_hash(rng, 32).upper()}">',
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
                     f'<link rel="preload" as="font" type="font/woff2" href="/fonts/{hex_hash(rng, 6)}.woff2" crossorigin>',
                     f'<link rel="preload" as="image" href="https://{ctx.host}/img/{ctx.year}/{hex_hash(rng, 10)}.jpg?w=1200">']
    if not amp:
        tags += [f'<link rel="stylesheet" href="{_stylesheet_href(ctx, rng)}">' for _ in range(rng.randint(1, 3))]
        if ctx.year >= 2016:
            tags.append(f'<link rel="amphtml" href="{ascii_text(ctx.url.rstrip("/"))}/amp/">')
    return "\n".join(tags + _fingerprints(ctx))


def _stylesheet_href(ctx: PageContext, rng: random.Random) -> str:
    path = ctx.family.bundle_paths[-1]
    base = path if path.startswith("http") else f"https://cdn.{ctx.host}{path}" if ctx.modern else path
    return f"{base}{hex_hash(rng, 16)}.css" if ctx.modern else f"{base}style.css?ver={rng.randint(100, 999)}"


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
        return f'<script src="{src}{name}-{hex_hash(rng, 16)}.js" {attrs}></script>'.replace(" >", ">")
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
                           f'scpt.parentNode.insertBefore(elem,scpt)}})();_qevents.push({{qacct:"p-{hex_hash(rng, 13)}"}});</script>')
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
            f'<script>window.dataLayer=window.dataLayer||[];window.dataLayer.push({ascii_json({"pageType": "article", "section": str(ctx.facts.get("section", "news")), "publishDate": ctx.published, "contentId": hex_hash(rng, 10), "wordCount": sum(len(b.split()) for b in ctx.body_blocks), "paywall": rng.choice(["free", "metered", "premium"])})});</script>',
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
            out += [f'<script async src="https://cdn.{ctx.host}/prebid/{hex_hash(rng, 8)}/prebid.js"></script>',
                    f'<script>var pbjs=pbjs||{{}};pbjs.que=pbjs.que||[];var PREBID_TIMEOUT={rng.choice((800, 1000, 1500))};'
                    f'pbjs.que.push(function(){{pbjs.setConfig({ascii_json({"priceGranularity": "dense", "enableSendAllBids": True, "userSync": {"filterSettings": {"iframe": {"bidders": "*", "filter": "include"}}, "syncDelay": 3000}, "consentManagement": {"gdpr": {"cmpApi": "iab", "timeout": 8000}}})})}});</script>']
    if year >= 2018:
        out += [f'<script type="text/javascript" src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="{hex_hash(rng, 8)}-{hex_hash(rng, 4)}-{hex_hash(rng, 4)}-{hex_hash(rng, 4)}-{hex_hash(rng, 12)}" charset="UTF-8"></script>',
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
            name = f"{rng.choice(WORDS)}{rng.randint(1, 999)}"
            config["triggers"][name] = {"on": rng.choice(("visible", "click", "scroll", "timer")),
                                        "selector": "." + css_class(rng, ctx.family),
                                        "request": "event", "vars": {"eventCategory": rng.choice(WORDS),
                                                                     "eventAction": rng.choice(WORDS)}}
        return f'<amp-analytics type="googleanalytics"><script type="application/json">{ascii_json(config)}</script></amp-analytics>'
    js_type = '' if ctx.modern else ' type="text/javascript"'
    return f"<script{js_type}>{minified_js(ctx, size, salt)}</script>"
