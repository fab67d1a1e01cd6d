"""Template families of real news CMSes: the vocabulary their saved pages carry around the article.

A family names what a page's invisible weight looks like (script bundles and where
they are served from, the inline state object, the ad and analytics stack of its
era, its CSS class vocabulary). The visible page is written per outlet by hand;
`filler.py` uses a family to fill the page's weight regions. Names follow the
card field `template`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Family:
    """What one CMS family's pages carry, for the filler to imitate."""

    name: str
    #: the inline application state this family serialises into the page, if any
    state: str | None
    #: path prefixes of its script bundles (joined with a per-page host)
    bundle_paths: tuple[str, ...]
    #: flavour of its minified JavaScript: "webpack", "jquery", "legacy", "amp", "nuxt"
    js: str
    #: CSS class stems of its markup (the generated stylesheet and wrappers use them)
    css: tuple[str, ...]
    #: ad stack: "gpt" (Google Publisher Tag + prebid), "dart" (2000s DoubleClick), "amp", "none"
    ads: str = "gpt"
    #: extra <meta name="generator"> or similar head fingerprints
    fingerprints: tuple[str, ...] = field(default_factory=tuple)


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("custom-table", None, ("/js/", "/includes/"), "legacy",
           ("navbar", "storytext", "headline", "byline", "toolbar", "footer", "sidebar", "promo", "ticker"),
           ads="dart"),
    Family("frontpage", None, ("/_borders/", "/scripts/"), "legacy",
           ("mstheme", "navbar", "bodytext", "caption", "tdcolor", "small", "footer"),
           ads="dart", fingerprints=('<meta name="GENERATOR" content="Microsoft FrontPage 4.0">',
                                     '<meta name="ProgId" content="FrontPage.Editor.Document">')),
    Family("vignette", None, ("/.element/js/2.0/", "/.element/ssi/"), "legacy",
           ("cnnStory", "cnnHeader", "cnnNav", "cnnFooter", "cnnAd", "cnnPad", "vgn-ext", "cnnStryTools"),
           ads="dart", fingerprints=('<meta name="generator" content="Vignette StoryServer 6.0">',)),
    Family("drupal", "drupal-settings", ("/sites/all/modules/", "/misc/", "/sites/default/files/js/"), "jquery",
           ("node", "field", "field-item", "views-row", "block", "region", "pane", "panel-pane", "clearfix",
            "even", "odd", "first", "last", "menu", "leaf", "tabs", "breadcrumb"),
           fingerprints=('<meta name="Generator" content="Drupal 7 (http://drupal.org)" />',)),
    Family("wordpress", "wp-config", ("/wp-content/themes/", "/wp-includes/js/", "/wp-content/plugins/"),
           "jquery",
           ("wp-block", "entry", "post", "site", "widget", "menu-item", "sharedaddy", "jp-relatedposts",
            "wp-caption", "comment", "screen-reader-text", "has-text-align", "td-post", "tdb"),
           fingerprints=('<meta name="generator" content="WordPress 6.4.3" />',)),
    Family("joomla", None, ("/media/system/js/", "/templates/", "/media/jui/js/"), "jquery",
           ("item-page", "itemFullText", "moduletable", "article-info", "pagenav", "blog", "contentpaneopen"),
           fingerprints=('<meta name="generator" content="Joomla! - Open Source Content Management" />',)),
    Family("typo3", None, ("/typo3temp/assets/js/", "/typo3conf/ext/"), "jquery",
           ("csc-default", "ce-bodytext", "ce-textpic", "news-single", "teaser", "frame", "nav-main"),
           fingerprints=('<meta name="generator" content="TYPO3 CMS" />',)),
    Family("bitrix", None, ("/bitrix/js/main/", "/bitrix/templates/", "/bitrix/cache/js/"), "legacy",
           ("bx", "news-detail", "news-list", "main-menu", "b-article", "b-header", "b-footer"),
           fingerprints=('<meta name="generator" content="1C-Bitrix" />',)),
    Family("escenic", "escenic-data", ("/resource/js/", "/skins/"), "jquery",
           ("article", "teaser", "section", "widget", "storyContent", "byline", "ec-"),
           fingerprints=('<meta name="generator" content="Escenic Content Engine" />',)),
    Family("blox", "blox-data", ("/shared-content/art/tncms/", "/app/", "/tncms/"), "jquery",
           ("asset", "asset-content", "subscriber-preview", "tnt", "card", "tncms", "block-title", "lee"),
           fingerprints=('<meta name="generator" content="TownNews.com BLOX Content Management System" />',)),
    Family("brightspot", "brightspot-data", ("/resource/", "/dims4/"), "webpack",
           ("Page", "RichTextArticleBody", "ArticlePage", "PromoList", "Enhancement", "Link", "GoogleDfpAd",
            "Navigation", "Footer", "AuthorByline"),
           fingerprints=('<meta name="brightspot.contentId" content="00000188-0000-d000-a000-000000000000">',)),
    Family("arc-xp", "fusion", ("/pf/dist/", "/pf/resources/"), "webpack",
           ("b-article-body", "c-paragraph", "c-heading", "b-header", "c-link", "b-right-rail", "fusion",
            "arc-ad", "c-stack", "b-single-chain"),
           fingerprints=('<meta name="generator" content="Arc XP" />',)),
    Family("next-js", "next-data", ("/_next/static/chunks/", "/_next/static/css/"), "webpack",
           ("Article_body", "Layout_main", "Header_nav", "Ad_slot", "Card_root", "Footer_grid", "Teaser_title",
            "flex", "grid", "px-4", "py-2", "text-sm", "font-bold", "hidden", "md:block"),
           fingerprints=()),
    Family("nuxt", "nuxt", ("/_nuxt/",), "nuxt",
           ("article-body", "article-header", "teaser", "nav", "ad", "v-", "container", "row", "col"),
           fingerprints=()),
    Family("amp", "amp-state", ("https://cdn.ampproject.org/v0/",), "amp",
           ("amp-article", "amp-header", "amp-sidebar", "amp-ad", "i-amphtml", "amp-related"),
           ads="amp"),
    Family("ghost", "ghost-data", ("/assets/built/", "/public/"), "webpack",
           ("gh-content", "gh-article", "gh-head", "gh-foot", "kg-card", "kg-image", "post-card", "gh-portal"),
           ads="none", fingerprints=('<meta name="generator" content="Ghost 5.82">',)),
    Family("substack", "preloads", ("https://substackcdn.com/bundle/",), "webpack",
           ("post", "body", "markup", "subscribe-widget", "pencraft", "pc-", "available-content", "footer"),
           ads="none"),
    Family("blogger", None, ("https://www.blogger.com/static/v1/widgets/", "https://www.blogger.com/static/v1/jsbin/"),
           "legacy",
           ("post-body", "post-outer", "post-header", "post-footer", "widget", "sidebar", "blog-posts", "date-header",
            "section", "BlogArchive", "LinkList", "PopularPosts"),
           ads="none", fingerprints=("<meta content='blogger' name='generator'/>",)),
    Family("spa", "initial-state", ("/static/js/", "/assets/"), "webpack",
           ("app-root", "ng-star-inserted", "mat-toolbar", "router-outlet", "article-view", "teaser-list", "cdk"),
           fingerprints=('<meta name="generator" content="Angular 11.2.14">',)),
    Family("medium", "apollo", ("https://cdn-client.medium.com/lite/static/js/",), "webpack",
           ("pw-post-body-paragraph", "meteredContent", "ab", "ac", "ae", "speechify-ignore", "pw-highlight"),
           ads="none"),
)}
