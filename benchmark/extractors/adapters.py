"""Adapters for the four required extractors: `extract(page, **options) -> str`, library imported inside.

Every adapter here reads ``page.html``, the text the harness decoded once,
so all extractors see the same characters whatever each library's own charset
guessing would do. Measured on iso-8859-1, windows-1252, GBK and Shift_JIS
pages: given the raw bytes, lxml and jusText fall back to UTF-8 and produce
mojibake ("B\ufffdrger") on pages whose charset is declared only in a
``<meta http-equiv>``, while the decoded text is right for every library.
Before parsing, a leading XML declaration is dropped (``lxml_ready``): lxml
refuses a ``str`` that carries ``encoding="..."``, and libraries that catch
that and re-parse UTF-8 bytes would then honour the stale declaration.

Options recorded in the registry are exactly the keyword arguments these
functions receive. Nothing here catches a library's exception: an adapter
that raises becomes outcome ``error`` with the message kept.

Each adapter speaks the releases users still run (releases.py: trafilatura
1.x and 2.x, readability-lxml 0.8 and 0.9, jusText 2.x and 3.x, newspaper3k
0.2.x); any other release is recorded ``unavailable`` with the reason.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from benchmark.records import PageInput

_XML_DECLARATION_RE = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)
# characters XML 1.0 cannot hold: lxml refuses a str containing any of them
_NOT_XML_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


#: the page text a worker made ready for lxml before starting the clock, and the result (`prepare_lxml`)
_prepared: tuple[str, str] | None = None


def lxml_ready(html: str) -> str:
    """Decoded HTML that lxml accepts as a str: no BOM, no leading XML declaration, no C0 controls.

    A stray form feed or NUL in an old page makes lxml refuse the whole str
    ("All strings must be XML compatible"), where libxml2 given bytes would
    skip it; dropping them keeps the page's text and its failure modes honest.
    """
    prepared = _prepared
    if prepared is not None and prepared[0] is html:  # this very text, prepared before the call was timed
        return prepared[1]
    html = _XML_DECLARATION_RE.sub("", html, count=1).lstrip("\ufeff")
    return _NOT_XML_CHARS_RE.sub("", html)


def prepare_lxml(html: str, raw: bytes | None = None, encoding: str = "") -> None:
    """Make `lxml_ready(html)` instant for this very string: the worker calls it before it starts the clock.

    Finding the characters XML cannot hold means scanning the whole page
    (about 0.5 ms on a 170 kB AEB page); inside an adapter that was timed as
    the extractor's work, 30% of resiliparse's median. Given the bytes `html`
    was decoded from (with errors="replace", as the worker does), a charset
    in which such a character can only come from a C0 control byte is
    checked on the bytes instead, five times faster. Only the same object is
    served from here, so a caller with another text always gets the scan.
    """
    global _prepared
    _prepared = None
    if raw is not None and _xml_safe_by_bytes(html, raw, encoding):
        ready = _XML_DECLARATION_RE.sub("", html, count=1).lstrip("\ufeff")
    else:
        ready = lxml_ready(html)
    _prepared = (html, ready)


#: charsets whose decoder yields a C0 control only from that very byte and never a lone surrogate: ASCII-
#: transparent single-byte and CJK multi-byte ones (not utf-7, utf-16/32, iso2022-* or EBCDIC)
_C0_TRANSPARENT = frozenset({
    "utf-8", "utf-8-sig", "ascii", "koi8-r", "koi8-u", "mac-roman", "cp874", "tis-620",
    "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
})
_C0_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))


def _xml_safe_by_bytes(html: str, raw: bytes, encoding: str) -> bool:
    """True when `html` (raw decoded with `encoding`) holds no character XML 1.0 cannot, found without a scan."""
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name not in _C0_TRANSPARENT and not name.startswith(("iso8859-", "cp125")):
        return False
    # U+FFFE and U+FFFF can come from multi-byte sequences (gb18030, utf-8): searched in the text, which is fast
    return len(raw.translate(None, _C0_BYTES)) == len(raw) and "\ufffe" not in html and "\uffff" not in html


def trafilatura_extract(page: PageInput, **options: Any) -> str:
    """trafilatura.extract on the decoded text; None (nothing found) becomes "" (outcome empty).

    On 1.x, ``fast`` is passed as ``no_fallback``, the name 1.x gives the same switch.
    """
    import trafilatura

    from benchmark.extractors.releases import keywords_for, require_supported

    require_supported("trafilatura")
    kwargs = keywords_for(trafilatura.extract, options, module="trafilatura", what="trafilatura.extract",
                          renames={"fast": "no_fallback"})
    return trafilatura.extract(lxml_ready(page.html), **kwargs) or ""


def readability_extract(page: PageInput, *, html_partial: bool = True, to_text: str = "html_text.extract_text") -> str:
    """readability-lxml's summary turned into text with html_text, as AEB does; reads the decoded text.

    readability-lxml re-encodes a str as UTF-8 and parses it with an explicit
    UTF-8 parser, so a page's own meta charset cannot mislead it.
    """
    import html_text
    from readability import Document

    from benchmark.extractors.releases import require_supported

    require_supported("readability-lxml")
    if to_text != "html_text.extract_text":
        raise ValueError(f"unsupported to_text {to_text!r}")
    summary = Document(lxml_ready(page.html)).summary(html_partial=html_partial)
    return html_text.extract_text(summary)


def justext_extract(page: PageInput, *, stoplist: str, params: Mapping[str, Any], joiner: str = "\n\n",
                    languages: Mapping[str, str] | None = None, fallback: str = "language-independent",
                    fallback_params: Mapping[str, Any] | None = None,
                    cjk_languages: Any = (), cjk_params: Mapping[str, Any] | None = None) -> str:
    """jusText paragraphs that are not boilerplate, joined by blank lines; reads the decoded text.

    With ``stoplist="by-language"`` the card's language picks the stoplist
    through ``languages``; a language jusText has no list for runs in
    jusText's language-independent mode (empty stoplist, ``fallback_params``),
    with ``cjk_params`` lengths for Han/Kana languages. Otherwise ``stoplist``
    names one builtin list used for every page (AEB: "English").
    """
    import justext

    from benchmark.extractors.languages import justext_key, primary_subtag
    from benchmark.extractors.releases import keywords_for, require_supported

    require_supported("jusText")

    kwargs = dict(params)
    if stoplist == "by-language":
        key = justext_key(page.language or "", dict(languages or {}))
        if key is not None:
            words = justext.get_stoplist(languages[key])
        elif fallback == "language-independent":
            words = frozenset()
            kwargs.update(fallback_params or {})
            if primary_subtag(page.language or "") in set(cjk_languages):
                kwargs.update(cjk_params or {})
        else:
            words = justext.get_stoplist(fallback)
    else:
        words = justext.get_stoplist(stoplist)
    kwargs = keywords_for(justext.justext, kwargs, module="justext", what="justext.justext")
    paragraphs = justext.justext(lxml_ready(page.html), words, **kwargs)
    return joiner.join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_stoplist_for(language: str, languages: Mapping[str, str]) -> str | None:
    """The stoplist name the by-language jusText adapter uses for a card language (None: fallback)."""
    from benchmark.extractors.languages import justext_key

    key = justext_key(language, dict(languages))
    return None if key is None else languages[key]


def newspaper_language_for(language: str) -> str | None:
    """The newspaper3k language code for a BCP 47 tag, or None where newspaper has no stopwords for it."""
    from newspaper.utils import get_available_languages

    from benchmark.extractors.languages import primary_subtag

    code = {"iw": "he", "in": "id", "nn": "no"}.get(primary_subtag(language), primary_subtag(language))
    return code if len(code) == 2 and code in get_available_languages() else None


def newspaper3k_extract(page: PageInput, *, language: str = "by-card", fetch_images: bool = False,
                        follow_meta_refresh: bool = False, memoize_articles: bool = False) -> str:
    """newspaper3k Article.download(input_html=...) + parse() on the decoded text; no network at all.

    ``fetch_images=False`` stops image downloads, ``follow_meta_refresh=False``
    stops it fetching a meta-refresh target, and ``offline_tldextract`` stops
    the public suffix list fetch. With ``language="by-card"`` the card's
    language is set where newspaper has stopwords for it (measured: on a
    German page without ``<html lang>``, newspaper's English default keeps
    a fraction of the body); ``"default"`` leaves newspaper's own choice.
    """
    offline_tldextract()
    from newspaper import Article, Config

    from benchmark.extractors.releases import UnsupportedRelease, page_keyword, require_supported

    require_supported("newspaper3k")
    kwargs: dict[str, Any] = {"fetch_images": fetch_images, "follow_meta_refresh": follow_meta_refresh,
                              "memoize_articles": memoize_articles}
    absent = [name for name in kwargs if not hasattr(Config(), name)]  # extend_config would drop them silently
    if absent:
        raise UnsupportedRelease("newspaper", f"newspaper's Configuration in this release has no "
                                              f"{', '.join(absent)}")
    if language == "by-card":
        code = newspaper_language_for(page.language or "")
        if code:
            kwargs["language"] = code
    elif language != "default":
        kwargs["language"] = language
    article = Article(page.url or "http://localhost/", **kwargs)
    # 0.2.0-0.2.4: download(html=...); later 0.2.x: download(input_html=...)
    keyword = page_keyword(article.download, ("input_html", "html"), module="newspaper",
                           what="Article.download")
    article.download(**{keyword: lxml_ready(page.html)})
    article.parse()
    return article.text or ""


def offline_tldextract() -> None:
    """Make tldextract's module-level extractor use its bundled suffix list, never the network.

    tldextract >= 5.3 already obeys ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""``
    set by ``prepare_worker_environment``; older versions build the default
    extractor with the public URLs, so it is replaced by one without URLs.
    """
    try:
        from tldextract import tldextract as module
    except ImportError:
        return
    current = getattr(module, "TLD_EXTRACTOR", None)
    if current is not None and getattr(current, "suffix_list_urls", ()):
        import os

        module.TLD_EXTRACTOR = module.TLDExtract(
            suffix_list_urls=(), cache_dir=os.environ.get("TLDEXTRACT_CACHE"), fallback_to_snapshot=True)
