"""The adapters, on real libraries and small realistic pages: body kept, charsets right, no network.

Measured behaviour on bad input (trafilatura 2.3.1, readability-lxml 0.9,
jusText 3.0.2, newspaper3k 0.2.8, lxml 6.1.3 / libxml2 2.14), pinned below so
an upgrade that changes it is noticed:

==================  =============  ===============================  =================
adapter             empty page     random bytes (decoded cp1252)    20,000 nested divs
==================  =============  ===============================  =================
trafilatura         "" (empty)     garbage text (ok)                "" (empty)
trafilatura-fast    "" (empty)     "" (empty)                       "" (empty)
readability-lxml    raises         garbage text (ok)                "" (empty)
                    Unparseable
justext             raises lxml    "" (empty)                       "" (empty)
                    ParserError
newspaper3k         raises         "" (empty)                       "" (empty)
                    ArticleExc.
full-text           "" (empty)     garbage text (ok)                "" (empty)
==================  =============  ===============================  =================

Nested divs: libxml2 stops building the tree at depth 256 (2048 with
huge_tree), so the deep paragraph is silently lost by every lxml-based
extractor; nothing recurses or crashes. Random bytes contain C0 controls that
lxml refuses in a str ("All strings must be XML compatible"): without
``lxml_ready`` readability, jusText and newspaper3k raised ValueError on them.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from benchmark.corpus.decoding import decode_page
from benchmark.extractors import environment, registry
from benchmark.extractors.adapters import justext_stoplist_for, lxml_ready
from benchmark.records import ExtractorSpec, PageInput

REPO = Path(__file__).resolve().parents[2]

ARTICLE_EXTRACTORS = [
    "trafilatura", "trafilatura-fast", "trafilatura-precision", "trafilatura-recall",
    "readability-lxml", "justext", "newspaper3k", "newspaper3k-default",
]

EN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252"><title>Council approves new bridge | City Herald</title>
<script>var ads = {slot: "top"}; document.write("<div>ad</div>");</script><style>.nav{color:red}</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/contact">Contact us</a></nav></header>
<main><article>
<h1>Council approves new bridge over the river</h1>
<div class="byline">By Jane Doe &middot; 4 June 2012</div>
<div class="share"><a href="#">E-mail to a friend</a> <a href="#">Share this on Facebook</a></div>
<p>The city council voted 9 to 2 on Tuesday night to approve a new pedestrian and cycle bridge over the river,
ending a debate that has divided residents for almost a decade. Construction is expected to begin next spring
and take about eighteen months.</p>
<p>Supporters say the bridge will connect the growing neighbourhoods on the east bank with the city centre and
the railway station, cutting the walk for thousands of commuters by more than twenty minutes. \u201cThis is the
most important link we have been missing,\u201d said councillor Maria Lopez, who has campaigned for it since 2004.</p>
<p>Opponents, including several shop owners on Bridge Street, argued that the estimated cost of 14 million
pounds would be better spent on repairing existing roads and that the design would block views of the old
harbour. Two councillors asked for a public referendum, but the motion was rejected.</p>
<p>The council said the final design would be published in September, and residents will have six weeks to
comment before the planning application is submitted.</p>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/x">Ferry service to end in autumn</a></li>
<li><a href="/y">New parking rules explained</a></li></ul></aside></main>
<footer><p>&copy; 2012 City Herald. All rights reserved. <a href="/privacy">Privacy policy</a></p></footer>
</body></html>
"""
EN_BODY = ["voted 9 to 2 on Tuesday night", "\u201cThis is the most important link",
           "argued that the estimated cost", "residents will have six weeks"]

DE_PAGE = """<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />
<title>Neue Radwege f\u00fcr die Innenstadt - Lokales - Stadtanzeiger</title></head>
<body>
<div id="kopf"><a href="/">Startseite</a> | <a href="/lokales/">Lokales</a> | <a href="/sport/">Sport</a></div>
<div id="inhalt">
<h1>Neue Radwege f\u00fcr die Innenstadt</h1>
<p class="autor">Von Klaus M\u00fcller, 12.03.2009</p>
<div class="artikel">
<p>Der Stadtrat hat am Dienstagabend mit gro\u00dfer Mehrheit beschlossen, dass in den kommenden zwei Jahren
insgesamt vierzehn Kilometer neue Radwege in der Innenstadt gebaut werden sollen. Die Kosten von rund
3,2 Millionen Euro werden zur H\u00e4lfte vom Land \u00fcbernommen.</p>
<p>Oberb\u00fcrgermeisterin Sabine Weber sprach von einem wichtigen Schritt f\u00fcr die Verkehrswende. Es sei nicht
l\u00e4nger hinnehmbar, dass sich Radfahrer auf den Hauptstra\u00dfen den Platz mit Lastwagen und Bussen teilen
m\u00fcssten, sagte sie in der Sitzung. Vor allem Familien mit Kindern h\u00e4tten sich in den vergangenen Jahren
immer wieder \u00fcber gef\u00e4hrliche Situationen beschwert.</p>
<p>Kritik kam dagegen von der Opposition im Rat. Durch den Umbau w\u00fcrden in der Bahnhofstra\u00dfe und am
Marktplatz zusammen mehr als achtzig Parkpl\u00e4tze wegfallen, was vor allem den Einzelh\u00e4ndlern schaden
werde. Die Gesch\u00e4ftsleute in der Altstadt hatten bereits im Herbst Unterschriften gegen die Pl\u00e4ne gesammelt.</p>
</div>
<div class="werkzeuge"><a href="#">Artikel drucken</a> | <a href="#">Artikel versenden</a></div>
<div class="lesen"><h3>Lesen Sie auch</h3><ul><li><a href="/a1">Busfahrplan wird ge\u00e4ndert</a></li></ul></div>
</div>
<div id="fuss">Impressum | Datenschutz | Kontakt | &copy; 2009 Stadtanzeiger Verlag GmbH</div>
</body></html>
"""
DE_BODY = ["Oberb\u00fcrgermeisterin Sabine Weber", "mit gro\u00dfer Mehrheit", "Parkpl\u00e4tze wegfallen"]

ZH_PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>\u57ce\u5e02\u5730\u94c1\u65b0\u7ebf\u8def\u4eca\u65e5\u5f00\u901a_\u65b0\u95fb\u4e2d\u5fc3</title></head>
<body>
<div class="top-nav"><a href="/">\u9996\u9875</a> | <a href="/news/">\u65b0\u95fb</a> | <a href="/sports/">\u4f53\u80b2</a> | <a href="/finance/">\u8d22\u7ecf</a></div>
<div class="main">
<h1>\u57ce\u5e02\u5730\u94c1\u65b0\u7ebf\u8def\u4eca\u65e5\u5f00\u901a</h1>
<div id="article-body">
<p>\u672c\u62a5\u8baf \u7ecf\u8fc7\u56db\u5e74\u591a\u7684\u5efa\u8bbe\uff0c\u5168\u957f\u4e8c\u5341\u516b\u516c\u91cc\u7684\u5730\u94c1\u516d\u53f7\u7ebf\u4eca\u5929\u4e0a\u5348\u6b63\u5f0f\u5f00\u901a\u8fd0\u8425\u3002\u8fd9\u6761\u7ebf\u8def\u8fde\u63a5\u57ce\u5e02\u4e1c\u90e8\u7684\u65b0\u533a\u548c\u8001\u57ce\u533a\uff0c\u5171\u8bbe\u5341\u4e5d\u5ea7\u8f66\u7ad9\uff0c\u9884\u8ba1\u6bcf\u5929\u53ef\u4ee5\u8fd0\u9001\u4e58\u5ba2\u7ea6\u4e09\u5341\u4e07\u4eba\u6b21\uff0c\u5c06\u5927\u5927\u7f13\u89e3\u4e1c\u897f\u65b9\u5411\u7684\u4ea4\u901a\u538b\u529b\u3002</p>
<p>\u5f00\u901a\u4eea\u5f0f\u4e0a\uff0c\u5e02\u4ea4\u901a\u5c40\u8d1f\u8d23\u4eba\u8868\u793a\uff0c\u516d\u53f7\u7ebf\u5168\u7ebf\u91c7\u7528\u5168\u81ea\u52a8\u9a7e\u9a76\u7cfb\u7edf\uff0c\u5217\u8f66\u6700\u9ad8\u65f6\u901f\u53ef\u8fbe\u516b\u5341\u516c\u91cc\uff0c\u9ad8\u5cf0\u65f6\u6bb5\u53d1\u8f66\u95f4\u9694\u7f29\u77ed\u5230\u4e24\u5206\u4e09\u5341\u79d2\u3002\u4e0e\u6b64\u540c\u65f6\uff0c\u6240\u6709\u8f66\u7ad9\u90fd\u914d\u5907\u4e86\u65e0\u969c\u788d\u7535\u68af\u548c\u6bcd\u5a74\u5ba4\uff0c\u65b9\u4fbf\u8001\u4eba\u3001\u6b8b\u75be\u4eba\u548c\u5e26\u5b69\u5b50\u7684\u4e58\u5ba2\u51fa\u884c\u3002</p>
<p>\u4e0d\u5c11\u5e02\u6c11\u4e00\u5927\u65e9\u5c31\u6765\u5230\u8f66\u7ad9\u6392\u961f\uff0c\u5e0c\u671b\u6210\u4e3a\u7b2c\u4e00\u6279\u4e58\u5ba2\u3002\u5bb6\u4f4f\u4e1c\u533a\u7684\u738b\u5973\u58eb\u544a\u8bc9\u8bb0\u8005\uff0c\u4ee5\u524d\u5979\u6bcf\u5929\u4e0a\u73ed\u8981\u6362\u4e58\u4e24\u6b21\u516c\u4ea4\u8f66\uff0c\u5355\u7a0b\u9700\u8981\u4e00\u4e2a\u591a\u5c0f\u65f6\uff0c\u73b0\u5728\u5750\u5730\u94c1\u53ea\u8981\u4e8c\u5341\u4e94\u5206\u949f\u3002</p>
</div>
<div class="share">\u5206\u4eab\u5230\uff1a<a href="#">\u5fae\u535a</a> <a href="#">\u5fae\u4fe1</a></div>
<div class="related"><h3>\u76f8\u5173\u65b0\u95fb</h3><ul><li><a href="/n/1.html">\u5730\u94c1\u4e94\u53f7\u7ebf\u5ef6\u4f38\u6bb5\u5f00\u5de5\u5efa\u8bbe</a></li></ul></div>
</div>
<div class="footer">\u5173\u4e8e\u6211\u4eec | \u8054\u7cfb\u65b9\u5f0f | \u5e7f\u544a\u670d\u52a1<br>Copyright &copy; 2019 \u65b0\u95fb\u7f51 All Rights Reserved</div>
</body></html>
"""
ZH_BODY = ["\u7ecf\u8fc7\u56db\u5e74\u591a\u7684\u5efa\u8bbe", "\u5168\u81ea\u52a8\u9a7e\u9a76\u7cfb\u7edf", "\u738b\u5973\u58eb\u544a\u8bc9\u8bb0\u8005"]


def make_page(raw: bytes, language: str, *, url: str = "http://www.example.co.uk/news/2012/06/04/story.html",
              gold: str | None = None) -> PageInput:
    """A PageInput built the way the harness builds one: the raw bytes decoded once."""
    text, codec, _source = decode_page(raw)
    return PageInput(page_id="test", html=text, raw=raw, encoding=codec, url=url, language=language, gold=gold)


def run(name: str, page: PageInput) -> str:
    """Call a registered adapter exactly as a worker does."""
    return run_spec(registry.known_specs()[name], page)


def squash(text: str) -> str:
    """Whitespace collapsed, so passages match across the source's own line wraps."""
    return " ".join(text.split())


@pytest.fixture(scope="module", autouse=True)
def _worker_environment(tmp_path_factory):
    """Adapters run after prepare_worker_environment, as in a worker; the environment is restored after."""
    saved_env, saved_tempdir = dict(os.environ), __import__("tempfile").tempdir
    os.environ["BOILERBENCH_SCRATCH"] = str(tmp_path_factory.mktemp("scratch"))
    environment.prepare_worker_environment()
    yield
    os.environ.clear()
    os.environ.update(saved_env)
    __import__("tempfile").tempdir = saved_tempdir


@pytest.fixture(scope="module")
def en_page() -> PageInput:
    return make_page(EN_PAGE.encode("cp1252"), "en")


@pytest.fixture(scope="module")
def de_page() -> PageInput:
    return make_page(DE_PAGE.encode("iso-8859-1"), "de")


@pytest.fixture(scope="module")
def zh_page() -> PageInput:
    return make_page(ZH_PAGE.encode("gbk"), "zh-Hans")


# --------------------------------------------------------------------------- body extraction


@pytest.mark.parametrize("name", ARTICLE_EXTRACTORS + ["justext-english"])
def test_article_extractor_returns_the_body_and_drops_page_chrome(name, en_page):
    text = squash(run(name, en_page))
    for passage in EN_BODY:
        assert passage in text, f"{name} lost {passage!r}"
    for chrome in ("Related articles", "Ferry service to end", "All rights reserved", "Privacy policy"):
        assert chrome not in text, f"{name} leaked {chrome!r}"


def test_full_text_baseline_keeps_everything_visible_but_no_script(en_page):
    text = squash(run("full-text", en_page))
    for passage in EN_BODY + ["Contact us", "Related articles", "All rights reserved"]:
        assert passage in text
    assert "document.write" not in text and ".nav{" not in text


def test_gold_baseline_returns_the_gold_and_refuses_a_page_without_one(en_page):
    spec = registry.known_specs()["gold"]
    assert spec.needs_gold
    page = make_page(EN_PAGE.encode("cp1252"), "en", gold="The gold body.")
    assert run("gold", page) == "The gold body."
    with pytest.raises(ValueError, match="no gold"):
        run("gold", en_page)


# --------------------------------------------------------------------------- charsets


@pytest.mark.parametrize("name", ARTICLE_EXTRACTORS + ["full-text"])
def test_iso_8859_1_page_with_xml_declaration_gives_correct_text(name, de_page):
    # the decoded str keeps '<?xml ... encoding="iso-8859-1"?>': lxml refuses such a str,
    # and re-parsing it as UTF-8 bytes would honour the stale declaration (mojibake)
    assert de_page.html.startswith("<?xml")
    text = squash(run(name, de_page))
    assert "Oberb\u00fcrgermeisterin Sabine Weber" in text
    assert "\ufffd" not in text and "\u00c3" not in text


def test_a_page_prepared_before_the_clock_is_not_scanned_again_inside_the_call(monkeypatch):
    """The worker prepares page.html before timing the call; the adapter's lxml_ready then costs nothing."""
    import benchmark.extractors.adapters as adapters

    page = '<?xml version="1.0" encoding="latin-1"?><p>a\x0cb\x00c</p>' + "<p>filler</p>" * 100
    adapters.prepare_lxml(page)

    class NoScan:
        def sub(self, *args, **kwargs):
            raise AssertionError("scanned a page that was prepared")

    monkeypatch.setattr(adapters, "_NOT_XML_CHARS_RE", NoScan())
    assert adapters.lxml_ready(page) == "<p>abc</p>" + "<p>filler</p>" * 100
    equal_but_another = "".join(list(page))  # same text, another object: not vouched for, so scanned
    with pytest.raises(AssertionError, match="scanned"):
        adapters.lxml_ready(equal_but_another)


@pytest.mark.parametrize("text,encoding", [
    ('<?xml version="1.0"?><p>caf\u00e9 plain</p>', "utf-8"),
    ("<p>form\x0cfeed and nul\x00</p>", "utf-8"),
    ("<p>noncharacter \ufffe and \uffff</p>", "utf-8"),
    ("<p>noncharacter \ufffe from four bytes</p>", "gb18030"),
    ("<p>Gr\u00fc\u00dfe\x01</p>", "cp1252"),
    ("<p>\u65e5\u672c\u8a9e\x0b</p>", "shift_jis"),
    ("<p>\u65e5\u672c\u8a9e</p>", "iso2022_jp"),  # ESC bytes: checked by the scan, not the bytes
    ("<p>+AAw- is a form feed in utf-7\x0c</p>", "utf-7"),
    ("<p>two bytes a character\x0c</p>", "utf-16"),
])
def test_preparing_from_the_bytes_gives_what_the_scan_gives(text, encoding):
    """The bytes shortcut must agree with lxml_ready's scan on every charset, safe or not."""
    import benchmark.extractors.adapters as adapters

    raw = text.encode(encoding)
    html = raw.decode(encoding, errors="replace")
    expected = adapters.lxml_ready("".join(list(html)))  # another object: always the scan
    adapters.prepare_lxml(html, raw, encoding)
    assert adapters.lxml_ready(html) == expected
    assert not any(c in expected for c in "\x00\x0b\x0c\x01\ufffe\uffff")


def test_lxml_ready_makes_a_declared_str_parseable():
    import lxml.html

    html = '\ufeff<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><p>f\u00fcr\x0c uns\x00</p></body></html>'
    with pytest.raises(ValueError):
        lxml.html.fromstring(html.lstrip("\ufeff"))
    assert lxml.html.fromstring(lxml_ready(html)).text_content() == "f\u00fcr uns"


@pytest.mark.parametrize("name", ARTICLE_EXTRACTORS)
def test_stray_control_characters_do_not_lose_the_page(name, en_page):
    # old pages carry form feeds and NULs; lxml refuses them in a str
    html = en_page.html.replace("Construction is expected", "Construction\x0c is\x00 expected")
    page = PageInput("ctl", html, en_page.raw, en_page.encoding, en_page.url, "en")
    assert "voted 9 to 2 on Tuesday night" in run(name, page)


# --------------------------------------------------------------------------- jusText languages


def test_justext_picks_the_stoplist_from_the_card_language(de_page):
    import justext

    languages = registry.known_specs()["justext"].options["languages"]
    assert justext_stoplist_for("de", languages) == "German"
    assert justext_stoplist_for("de-AT", languages) == "German"
    assert justext_stoplist_for("pt_BR", languages) == "Portuguese"
    assert justext_stoplist_for("be-tarask", languages) == "Belarusian_Taraskievica"
    assert justext_stoplist_for("zh-Hans", languages) is None
    assert set(languages.values()) <= justext.get_stoplists()
    # the German stoplist is what keeps the body: the English one finds no stopwords in it
    german = squash(run("justext", de_page))
    for passage in DE_BODY:
        assert passage in german
    assert "Startseite" not in german and "Impressum" not in german
    assert run("justext-english", de_page) == ""


def test_justext_without_a_stoplist_for_chinese_uses_language_independent_mode(zh_page):
    import justext

    text = run("justext", zh_page)
    for passage in ZH_BODY:
        assert passage in text
    for chrome in ("\u9996\u9875", "\u76f8\u5173\u65b0\u95fb", "\u5173\u4e8e\u6211\u4eec", "Copyright"):
        assert chrome not in text
    # measured reason for the CJK lengths: jusText's own language-independent
    # mode with its default lengths keeps nothing of this page
    plain = justext.justext(lxml_ready(zh_page.html), frozenset(), stopwords_low=0, stopwords_high=0)
    assert not [p for p in plain if not p.is_boilerplate]


def test_justext_english_is_aebs_call():
    spec = registry.known_specs()["justext-english"]
    # AEB run_justext.py: justext(html, get_stoplist("English"), 50, 200, 0.1, 0.2, 0.2, 200, True)
    assert spec.options["stoplist"] == "English"
    assert spec.options["params"] == {"length_low": 50, "length_high": 200, "stopwords_low": 0.1,
                                      "stopwords_high": 0.2, "max_link_density": 0.2,
                                      "max_heading_distance": 200, "no_headings": True}


# --------------------------------------------------------------------------- newspaper3k


def test_newspaper3k_needs_the_card_language_on_a_chinese_page(zh_page):
    # without <html lang>, newspaper3k's English default finds no body at all
    assert run("newspaper3k-default", zh_page) == ""
    text = run("newspaper3k", zh_page)
    for passage in ZH_BODY:
        assert passage in text


NO_NETWORK_SCRIPT = """
import json, socket, sys, tempfile
attempts = []
def refuse(self, address, *args, **kwargs):
    attempts.append(repr(address))
    raise OSError("network refused by test")
def no_dns(host, *args, **kwargs):
    attempts.append("dns " + str(host))
    raise socket.gaierror("dns refused by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = no_dns
from benchmark.extractors.environment import prepare_worker_environment
prepare_worker_environment()
import importlib
from benchmark.extractors import registry
from benchmark.records import PageInput
spec = registry.known_specs()["newspaper3k"]
html = sys.stdin.read()
page = PageInput("p", html, html.encode(), "utf-8", "http://www.example.co.uk/news/2012/06/04/story.html", "en")
module, func = spec.target.split(":")
text = getattr(importlib.import_module(module), func)(page, **spec.options)
import newspaper.settings
print(json.dumps({"text": text, "attempts": attempts, "tempdir": tempfile.gettempdir(),
                  "newspaper_dir": newspaper.settings.TOP_DIRECTORY}))
"""


def test_newspaper3k_attempts_no_connection_and_keeps_its_scratch_folder_out_of_tmpdir(tmp_path):
    user_tmp, scratch = tmp_path / "tmp", tmp_path / "scratch"
    user_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(user_tmp), "BOILERBENCH_SCRATCH": str(scratch)}
    env.pop("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", None)
    env.pop("TLDEXTRACT_CACHE", None)
    done = subprocess.run([sys.executable, "-c", NO_NETWORK_SCRIPT], input=EN_PAGE, capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert "voted 9 to 2 on Tuesday night" in result["text"]
    assert Path(result["newspaper_dir"]).parent == scratch / "tmp"
    assert (scratch / "tmp" / ".newspaper_scraper").is_dir()
    assert list(user_tmp.iterdir()) == []


# --------------------------------------------------------------------------- bad input

EMPTY_PAGE_BEHAVIOUR = {
    "trafilatura": "",
    "trafilatura-fast": "",
    "readability-lxml": "Unparseable",
    "justext": "ParserError",
    "justext-english": "ParserError",
    "newspaper3k": "ArticleException",
    "full-text": "",
}


@pytest.mark.parametrize("name", sorted(EMPTY_PAGE_BEHAVIOUR))
def test_empty_page_gives_empty_text_or_an_exception_never_garbage(name):
    expected = EMPTY_PAGE_BEHAVIOUR[name]
    page = make_page(b"", "en")
    if expected == "":
        assert run(name, page) == ""
    else:
        # the runner records it as outcome "error" with this type and message
        with pytest.raises(Exception) as info:
            run(name, page)
        assert type(info.value).__name__ == expected


@pytest.mark.parametrize("name", sorted(EMPTY_PAGE_BEHAVIOUR))
def test_random_bytes_and_deep_nesting_return_text_without_raising(name):
    rnd = random.Random(7)
    noise = make_page(bytes(rnd.getrandbits(8) for _ in range(20000)), "en")
    assert isinstance(run(name, noise), str)
    deep = b"<html><body>" + b"<div>" * 20000 + b"<p>Deep paragraph of real text.</p>" + b"</div>" * 20000
    started = time.perf_counter()
    text = run(name, make_page(deep + b"</body></html>", "en"))
    assert time.perf_counter() - started < 20
    # libxml2 drops everything below depth 256 (2048 with huge_tree): the text is lost, silently
    assert "Deep paragraph" not in text


# --------------------------------------------------------------------------- plugins


def test_plugin_function_runs_on_the_decoded_html_with_url(tmp_path, monkeypatch, en_page):
    (tmp_path / "bb_user_plugin.py").write_text(textwrap.dedent("""
        def first_paragraph(html, url=None):
            start = html.index("<p>") + 3
            return url + " | " + html[start:html.index("</p>", start)]

        def html_only(html):
            return html[:15]

        def returns_bytes(html):
            return b"nope"
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    with_url, html_only, wrong = registry.resolve(
        ["bb_user_plugin:first_paragraph", "bb_user_plugin:html_only", "bb_user_plugin:returns_bytes"])
    assert registry.is_installed(with_url)
    text = run_spec(with_url, en_page)
    assert text.startswith(en_page.url + " | The city council voted 9 to 2")
    assert run_spec(html_only, en_page) == en_page.html[:15]
    with pytest.raises(TypeError, match="returned bytes"):
        run_spec(wrong, en_page)


def run_spec(spec: ExtractorSpec, page: PageInput) -> str:
    """Call any spec's adapter as a worker does."""
    module, func = spec.target.split(":")
    return getattr(importlib.import_module(module), func)(page, **spec.options)


# --------------------------------------------------------------------------- external commands

BYTES_TOOL = """
import sys, lxml.html
root = lxml.html.document_fromstring(sys.stdin.buffer.read())  # the tool sniffs the charset itself
print("\\n".join(p.text_content() for p in root.iter("p")))
"""

JSONL_TOOL = """
import json, os, sys
for line in sys.stdin:
    request = json.loads(line)
    if "FAIL" in request["html"]:
        print(json.dumps({"error": "cannot parse"}), flush=True)
    elif "DIE" in request["html"]:
        sys.exit(3)
    else:
        print(json.dumps({"text": str(os.getpid()) + " " + request["language"] + " " + request["html"][:9]}), flush=True)
"""


def test_command_extractor_reads_utf8_whatever_the_page_declared(de_page):
    spec, = registry.resolve([f"cmd:{sys.executable} -c '{BYTES_TOOL}'"])
    assert registry.is_installed(spec)
    text = squash(run_spec(spec, de_page))  # the page still says iso-8859-1 in its meta
    assert "Oberb\u00fcrgermeisterin Sabine Weber" in text and "\u00c3" not in text


def test_command_extractor_failure_is_an_error_with_stderr(en_page):
    from benchmark.extractors.external import ExternalCommandError

    spec, = registry.resolve([f"cmd:{sys.executable} -c 'import sys; sys.exit(\"no article here\")'"])
    with pytest.raises(ExternalCommandError, match="status 1: no article here"):
        run_spec(spec, en_page)


def test_jsonl_command_serves_many_pages_from_one_process(en_page, de_page):
    from benchmark.extractors.external import ExternalCommandError, close_servers

    spec, = registry.resolve([f"jsonl:{sys.executable} -c '{JSONL_TOOL}'"])
    try:
        first, second = run_spec(spec, en_page), run_spec(spec, de_page)
        assert first.split()[0] == second.split()[0]  # same pid: one long-lived process
        assert first.split()[1:] == ["en", "<!DOCTYPE"] and second.split()[1] == "de"
        failing = PageInput("f", "<p>FAIL</p>", b"", "utf-8", "", "en")
        with pytest.raises(ExternalCommandError, match="cannot parse"):
            run_spec(spec, failing)
        dying = PageInput("d", "<p>DIE</p>", b"", "utf-8", "", "en")
        with pytest.raises(ExternalCommandError, match="status 3"):
            run_spec(spec, dying)
        restarted = run_spec(spec, en_page)  # a dead tool is started again for the next page
        assert restarted.split()[0] != first.split()[0]
    finally:
        close_servers()


# --------------------------------------------------------------------------- optional extractors (issue 7)
#
# Measured on the same bad inputs (goose3 3.1.22, boilerpy3 1.0.7, resiliparse 2.0.1,
# inscriptis 2.7.6, html-text 0.7.1, magic-html 0.1.8, readabilipy 0.3.0, newspaper4k 0.9.6):
#   empty page: goose3 ValueError("Either url or raw_html should be provided"), boilerpy3 (both)
#     HTMLExtractionError, magic-html bare ValueError; resiliparse, inscriptis, html-text,
#     readabilipy, newspaper4k return "".
#   random bytes: goose3, boilerpy3, newspaper4k ""; the others return the noise as text.
#   20,000 nested divs: boilerpy3 (ArticleExtractor) and resiliparse (8 s) find the deep
#     paragraph (their parsers have no depth limit); the lxml-based ones return "";
#     readabilipy recurses: RecursionError from depth ~500, quadratic time (8 s at depth
#     2,000, > 120 s at 20,000), so the runner's deadline records a timeout.

OPTIONAL = ["goose3", "boilerpy3", "boilerpy3-default", "resiliparse", "inscriptis", "html-text",
            "magic-html", "readabilipy"]


def _require(name: str) -> None:
    if not registry.is_installed(registry.known_specs()[name]):
        pytest.skip(f"{name} is not installed")


@pytest.mark.parametrize("name", OPTIONAL)
def test_optional_extractor_returns_the_body(name, en_page):
    _require(name)
    spec = registry.known_specs()[name]
    text = squash(run(name, en_page))
    for passage in EN_BODY:
        assert passage in text, f"{name} lost {passage!r}"
    if spec.kind == "full-text":  # whole-page tools keep the chrome; that is what they are for
        assert "All rights reserved" in text
    else:
        assert "All rights reserved" not in text and "Contact us" not in text


@pytest.mark.parametrize("name", OPTIONAL)
def test_optional_extractor_reads_the_declared_latin1_page_right(name, de_page):
    _require(name)
    text = run(name, de_page)
    assert "Oberb\u00fcrgermeisterin" in text and "\u00c3" not in text and "\ufffd" not in text


OPTIONAL_EMPTY_PAGE = {"goose3": "ValueError", "boilerpy3": "HTMLExtractionError",
                       "boilerpy3-default": "HTMLExtractionError", "magic-html": "ValueError",
                       "resiliparse": "", "inscriptis": "", "html-text": "", "readabilipy": ""}


@pytest.mark.parametrize("name", sorted(OPTIONAL_EMPTY_PAGE))
def test_optional_extractor_on_an_empty_page(name):
    _require(name)
    expected = OPTIONAL_EMPTY_PAGE[name]
    if expected == "":
        assert run(name, make_page(b"", "en")) == ""
    else:
        with pytest.raises(Exception) as info:
            run(name, make_page(b"", "en"))
        assert type(info.value).__name__ == expected


def test_readabilipy_recurses_on_deep_nesting():
    _require("readabilipy")
    deep = b"<html><body>" + b"<div>" * 600 + b"<p>Deep text</p>" + b"</div>" * 600 + b"</body></html>"
    with pytest.raises(RecursionError):
        run("readabilipy", make_page(deep, "en"))


def test_newspaper4k_runs_in_its_own_interpreter(en_page, zh_page):
    from benchmark.extractors.external import close_servers
    from benchmark.extractors.optional import newspaper4k_python

    spec = registry.known_specs()["newspaper4k"]
    if not registry.is_installed(spec):
        pytest.skip(f"newspaper4k venv not set up: {spec.install}")
    assert Path(newspaper4k_python()).parent.parent != Path(sys.prefix)  # another venv: both are 'newspaper'
    assert registry.version_of(spec)
    try:
        text = squash(run("newspaper4k", en_page))
        for passage in EN_BODY:
            assert passage in text
        assert "\u7ecf\u8fc7\u56db\u5e74\u591a\u7684\u5efa\u8bbe" in run("newspaper4k", zh_page)
        assert run("newspaper4k", make_page(b"", "en")) == ""
    finally:
        close_servers()
