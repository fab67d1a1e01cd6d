"""The harness decodes each page once; these are the cases real pages present."""

import codecs

import pytest

from benchmark.corpus.decoding import charset_family, decode_page, declared_encoding


@pytest.mark.parametrize(
    "raw, codec, source",
    [
        ('<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1"), "cp1252", "meta"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет</p>'.encode("koi8-r"),
         "koi8-r", "meta"),
        ('<meta charset="gb2312"><p>中文新闻</p>'.encode("gb2312"), "gb18030", "meta"),
        ('<meta charset="Shift_JIS"><p>日本語</p>'.encode("shift_jis"), "cp932", "meta"),
        # declared legacy, saved as UTF-8 (readability's "qq" case): the bytes win
        ('<meta charset="gb2312"><p>中文新闻</p>'.encode("utf-8"), "utf-8", "utf-8-over-declared"),
        ('<meta charset="iso-8859-1"><p>Müller</p>'.encode("utf-8"), "utf-8", "utf-8-over-declared"),
        ("<p>plain ascii</p>".encode(), "utf-8", "utf-8-valid"),
        (codecs.BOM_UTF8 + "<p>bom</p>".encode(), "utf-8-sig", "bom"),
        ("<p>ça va</p>".encode("utf-16"), "utf-16", "bom"),
    ],
)
def test_decode_page_truth_table(raw, codec, source):
    text, got_codec, got_source = decode_page(raw)
    assert (codecs.lookup(got_codec).name, got_source) == (codecs.lookup(codec).name, source)
    assert "\ufffd" not in text


def test_late_declaration_after_1024_bytes_is_found():
    head = "<html><head><!-- " + "x" * 5000 + " -->"
    raw = (head + '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
           "</head><body><p>Новости дня</p></body></html>").encode("cp1251")
    assert declared_encoding(raw) == "cp1251"
    text, codec, _ = decode_page(raw)
    assert "Новости дня" in text


def test_declaration_inside_body_is_ignored():
    raw = b"<html><body><p>x</p><meta charset='koi8-r'></body></html>"
    assert declared_encoding(raw) is None


@pytest.mark.parametrize("raw", [b"", bytes(range(256)) * 20, b"\x00" * 100, b"\xff\xfe\xfa" * 1000])
def test_garbage_never_raises(raw):
    text, codec, source = decode_page(raw)
    assert isinstance(text, str) and codec and source


def test_charset_family():
    assert [charset_family(c) for c in ("utf-8", "cp1252", "koi8-r", "gb18030", "cp1256", "cp932")] == [
        "unicode", "latin", "cyrillic", "cjk", "arabic-hebrew", "cjk"]
