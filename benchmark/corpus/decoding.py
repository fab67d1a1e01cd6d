"""Decode a saved page once, the same way for every extractor.

Order: byte-order mark; then the page's own declaration (meta charset or
http-equiv), found even when it comes late in a long head; bytes that are
valid UTF-8 with non-ASCII content win over a legacy declaration, because real
pages declare a legacy charset and save UTF-8 far more often than legacy bytes
happen to form valid multi-byte UTF-8; then detection (charset-normalizer);
then windows-1252 with replacement characters, so decoding never fails.
Labels are resolved as browsers do (WHATWG: iso-8859-1 -> cp1252, gb2312 ->
gb18030) by w3lib. A declared charset the bytes do not decode in is a
problem of the page, said by `charset_problem` (source
``detected-over-declared`` or ``meta-with-replacement``), never left to look
like a typo in the gold.
"""

from __future__ import annotations

import codecs
import re

#: how far into a page a late charset declaration is still looked for
_DECLARATION_SCAN_BYTES = 65536
_META_CHARSET_RE = re.compile(rb"<meta[^>]{0,400}?charset", re.IGNORECASE)
_BODY_RE = re.compile(rb"<body[\s>]", re.IGNORECASE)
_CHARSET_LABEL_RE = re.compile(rb"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _declaration(raw: bytes) -> tuple[str, str] | None:
    """(label as written, Python codec) of the charset the page declares in a meta tag before <body>."""
    from w3lib.encoding import html_body_declared_encoding, resolve_encoding

    head = raw[:_DECLARATION_SCAN_BYTES]
    body = _BODY_RE.search(head)
    if body:
        head = head[: body.start()]
    for match in _META_CHARSET_RE.finditer(head):
        tag = head[match.start() : match.start() + 1024]
        codec = html_body_declared_encoding(tag)
        if codec:
            written = _CHARSET_LABEL_RE.search(tag)
            label = written.group(1).decode("ascii", "replace") if written else codec
            return label, resolve_encoding(codec) or codec
    return None


def declared_encoding(raw: bytes) -> str | None:
    """The charset the page declares in a meta tag before <body>, as a Python codec name."""
    declaration = _declaration(raw)
    return declaration[1] if declaration else None


def _is_utf8_with_non_ascii(raw: bytes) -> bool:
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    return best.encoding if best is not None else None


def decode_page(raw: bytes) -> tuple[str, str, str]:
    """Return (text, codec, source) where source says how the codec was chosen."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), codec, "bom"
    declared = declared_encoding(raw)
    if declared and codecs.lookup(declared).name != "utf-8" and _is_utf8_with_non_ascii(raw):
        return raw.decode("utf-8"), "utf-8", "utf-8-over-declared"
    if declared:
        try:
            return raw.decode(declared), declared, "meta"
        except (UnicodeDecodeError, LookupError):
            pass
    if raw.isascii() or _is_utf8_with_non_ascii(raw):
        return raw.decode("utf-8"), "utf-8", "utf-8-valid" if not declared else "meta"
    detected = _detect(raw)
    if detected:
        try:
            return raw.decode(detected), detected, "detected-over-declared" if declared else "detected"
        except (UnicodeDecodeError, LookupError):
            pass
    if declared:
        return raw.decode(declared, errors="replace"), declared, "meta-with-replacement"
    return raw.decode("cp1252", errors="replace"), "cp1252", "default"


#: how a page was decoded when the charset it declares did not fit its bytes
DECLARATION_FAILED = ("detected-over-declared", "meta-with-replacement")


def charset_problem(raw: bytes, codec: str, source: str) -> str | None:
    """Why the page's declared charset was not used (first bad byte and what was used instead), or None."""
    if source not in DECLARATION_FAILED:
        return None
    label, declared = _declaration(raw) or ("?", "?")
    read_as = label if _lookup_name(declared) == _lookup_name(label) else f"{label} (read as {declared})"
    try:
        raw.decode(declared)
        where = ""
    except UnicodeDecodeError as exc:
        where = f" (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    except LookupError:
        where = " (no such codec)"
    used = f"decoded as {codec}, detected" if source == "detected-over-declared" else \
        f"decoded as {codec} with replacement characters"
    return (f"charset problem: the page declares {read_as} but its bytes do not decode as {declared}{where}; "
            f"{used}. Fix the declaration (meta charset) or re-save the page as {label}")


def _lookup_name(label: str) -> str:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return label


def charset_family(codec: str) -> str:
    """Coarse family of a codec, for split tables."""
    name = codecs.lookup(codec).name if codec else ""
    if name.startswith("utf"):
        return "unicode"
    if name in {"cp1252", "iso8859-1", "iso8859-15", "latin-1", "cp1250", "iso8859-2", "mac-roman"}:
        return "latin"
    if name in {"koi8-r", "koi8-u", "cp1251", "iso8859-5", "cp866", "mac-cyrillic"}:
        return "cyrillic"
    if name in {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp932", "shift_jis", "euc_jp",
                "iso2022_jp", "euc_kr", "cp949"}:
        return "cjk"
    if name in {"cp1256", "iso8859-6", "cp1255", "iso8859-8"}:
        return "arabic-hebrew"
    return "other"
