"""Text normalisation and tokenisation shared by every metric.

Gold and extractor output are normalised the same way once, so a score never
depends on Unicode forms, whitespace, entity escapes or leftover markup that
some extractors emit and others do not.

`normalize(text)`:
  1. HTML character references left undecoded (``&nbsp;``, ``&amp;``,
     ``&#233;``, ``&eacute;``) are decoded; only the ``;``-terminated forms,
     so plain text like ``AT&T`` or ``&copy2019`` is left alone;
  2. Unicode NFKC (full-width Latin, ligatures, no-break spaces ...);
  3. leftover tags of real HTML elements (``<p>``, ``</div>``, ``<br/>``,
     ``<amp-img ...>``) and comments are removed: an inline tag (``<b>``,
     ``<a href=..>``, ``<span>`` ...) by nothing, so ``<b>W</b>orld`` stays
     one word, any other by a space, so ``<p>a</p><p>b</p>`` stays two;
     ``x<y and z>w`` is not a tag and stays;
  4. Markdown: ``![alt](url)`` and ``[text](url)`` become their text,
     ``**x**``/``__x__`` become ``x``, and ``#``-heading marks at a line start go;
  5. every whitespace run becomes one space; the result is stripped.

`tokenize(text)`: the tokens of `normalize(text)`, casefolded: maximal runs of
word characters (Python's ``\\w``), except that each Han, Hiragana or Katakana
character is a token of its own (otherwise a Chinese or Japanese paragraph
would be a single token). Hangul, Thai etc. stay as ``\\w`` runs. One deliberate
extension of plain ``\\w+``: combining marks (Unicode Mn/Mc/Me) and ZWNJ/ZWJ
continue a run, because Python's ``\\w`` excludes them and would otherwise cut
Devanagari, Bengali, Thai or Persian words into fragments at every vowel sign.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

__all__ = ["normalize", "tokenize", "tokenize_normalized", "markup_spans", "token_pattern"]

# Han (CJK unified ideographs incl. extensions A-I, compatibility ideographs,
# iteration marks and Hangzhou numerals), Hiragana, Katakana (incl. the
# prolonged sound mark and phonetic extensions). Ranges, not \p{..}: `re`
# has no script properties and `regex` is not a dependency.
_CJK_CHARS = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 Hangzhou numerals, 〸..〻
    "\u3041-\u3096\u309d-\u309f"  # Hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana (ー included)
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # Han extension A
    "\u4e00-\u9fff"  # Han unified ideographs
    "\uf900-\ufaff"  # Han compatibility ideographs
    "\U0001b000-\U0001b16f"  # Kana supplement / extended-A
    "\U00020000-\U0003134f"  # Han extensions B-G (+ compatibility supplement)
    "\U00031350-\U000323af"  # Han extension H
)

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[|\]\]>|<![A-Za-z][^<>]*>", re.S)
# A tag needs a letter right after "<" or "</", so "a < b > c" and "<3" survive.
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>")
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big blink cite code data del dfn em font i ins kbd mark nobr q rp rt ruby s "
    "samp small span strike strong sub sup time tt u var wbr".split()
)
# Only real element names count as tags, so "if a<b and c>d" loses nothing but
# "x<y and z>w" is kept whole; names with "-" (custom/AMP elements) or ":"
# (Word's <o:p>) are tags too.
_BLOCK_TAGS = frozenset(
    "address area article aside audio base basefont blockquote body br button canvas caption center col "
    "colgroup dd details dialog dir div dl dt embed fieldset figcaption figure footer form frame frameset "
    "g h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input label legend li link listing main map "
    "marquee menu meta meter nav noembed noframes noscript object ol optgroup option output p param path "
    "picture pre progress script section select source style summary svg table tbody td template textarea "
    "tfoot th thead title tr track ul video xmp".split()
)
_MD_IMAGE_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_BOLD_RE = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.S)
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)


def _decode_entity(match: re.Match[str]) -> str:
    """Decode one character reference; unknown names stay as written."""
    return html.unescape(match.group(0))


def _replace_tag(match: re.Match[str]) -> str:
    """Inline tags vanish (they sit inside words), block tags separate words, non-tags stay."""
    name = match.group(1).lower()
    if name in _INLINE_TAGS:
        return ""
    if name in _BLOCK_TAGS or "-" in name or ":" in name:
        return " "
    return match.group(0)


def _unbold(match: re.Match[str]) -> str:
    """Keep the emphasised text of either alternative of `_MD_BOLD_RE`."""
    return match.group(1) if match.group(1) is not None else match.group(2)


def normalize(text: str) -> str:
    """Return the canonical form every metric compares (see the module docstring)."""
    if "&" in text:
        text = _ENTITY_RE.sub(_decode_entity, text)
    text = unicodedata.normalize("NFKC", text)
    if "<" in text:
        text = _COMMENT_RE.sub(" ", text)
        text = _TAG_RE.sub(_replace_tag, text)
    if "](" in text:
        text = _MD_IMAGE_LINK_RE.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_BOLD_RE.sub(_unbold, text)
    if "#" in text:
        text = _MD_HEADING_RE.sub("", text)
    return " ".join(text.split())  # str.split() splits on exactly what \s matches, faster


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) ranges of `text` that `normalize` drops as markup or decodes as entities.

    For callers that map tokens back to the original text (the report's
    missed/leaked view) and must skip exactly what the scorer skips.
    """
    spans: list[tuple[int, int]] = []
    if "<" in text:
        spans += [m.span() for m in _COMMENT_RE.finditer(text)]
        spans += [m.span() for m in _TAG_RE.finditer(text) if _replace_tag(m) != m.group(0)]
    if "&" in text:
        spans += [m.span() for m in _ENTITY_RE.finditer(text)]
    return sorted(spans)


@functools.lru_cache(maxsize=1)
def _mark_class() -> str:
    """Character-class body of the BMP combining marks, built once on first use.

    BMP only: with supplementary-plane ranges `re` can no longer use a bitmap
    for the class and tokenising gets 1.7x slower; marks outside the BMP
    belong to historic or rare scripts (Brahmi, Chakma ...).
    """
    ranges: list[str] = []
    start = None
    for cp in range(0x10001):
        is_mark = cp < 0x10000 and unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return "".join(ranges) + "\u200c\u200d"


@functools.lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """Compile the token pattern lazily, so importing this module stays free."""
    word = f"[^\\W{_CJK_CHARS}]"
    # "Unrolled loop": a word run, then (marks, word run)*; the naive
    # (?:word|mark)* is four times slower on text without marks.
    return re.compile(f"[{_CJK_CHARS}]|{word}+(?:[{_mark_class()}]+{word}*)*")


def token_pattern() -> re.Pattern[str]:
    """The compiled token regex, for callers that need token offsets (apply to casefolded text)."""
    return _token_re()


@functools.lru_cache(maxsize=1)
def _special_re() -> re.Pattern[str]:
    """A Han/kana character or a combining mark: the only characters where a token is not a `\\w` run."""
    return re.compile(f"[{_CJK_CHARS}{_mark_class()}]")


_WORD_RUN_RE = re.compile(r"\w+")


def tokenize_normalized(normalized: str) -> list[str]:
    """Tokens of text that is already `normalize`d, for callers that need both.

    Text without Han, kana or combining marks (most pages) is cut by plain
    ``\\w+``, which the token pattern equals there and which takes little more
    than half its time: on 1,000 AEB outputs 0.19 s instead of 0.235 s, the
    check included.
    """
    folded = normalized.casefold()
    if _special_re().search(folded) is None:
        return _WORD_RUN_RE.findall(folded)
    return _token_re().findall(folded)


def tokenize(text: str) -> list[str]:
    """Casefolded word tokens of `normalize(text)`, one per Han/kana character."""
    return tokenize_normalized(normalize(text))
