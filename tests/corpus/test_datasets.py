"""Every dataset importer on small fixtures written here, plus broken inputs: problems name the file.

The builders at the top (`write_aeb`, `write_snippets`, ...) are shared with
tests/commands/test_import_command.py and tests/commands/test_score_command.py.
"""

from __future__ import annotations

import dataclasses

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from benchmark.corpus.datasets import DatasetError, load_dataset, parse_spec
from benchmark.corpus.datasets.cleaneval import parse_clean
from benchmark.corpus.datasets.common import (
    SAFE_ID_RE,
    declared_language,
    declared_published,
    safe_page_id,
    safe_page_ids,
)

BODY_A = ("The harbour board approved the new ferry terminal on Tuesday after a two year review.\n"
          "Construction will begin in spring and cost an estimated 42 million dollars, officials said.")
BODY_B = "Le conseil municipal a voté la fermeture du cinéma Capitol après quarante ans d'activité."


def article_html(body: str, *, lang: str | None = "en", head: str = "", charset: str = "utf-8") -> str:
    """A small news page: navigation, the body as paragraphs, a footer."""
    lang_attr = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (f"<!DOCTYPE html><html{lang_attr}><head><meta charset=\"{charset}\"><title>News</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>Headline</h1>{paragraphs}</article><footer>Contact us</footer></body></html>")


def write_aeb(root: Path, items: dict[str, dict] | None = None) -> Path:
    """An AEB-like folder: html/<id>.html.gz + ground-truth.json {id: {articleBody, url}}."""
    items = items if items is not None else {
        "a1b2": {"articleBody": BODY_A, "url": "https://www.example.org/2019/11/19/ferry-terminal",
                 "html": article_html(BODY_A, head='<meta property="article:published_time" '
                                                   'content="2019-11-18T22:10:00-05:00">')},
        "c3d4": {"articleBody": BODY_B, "url": "https://journal.example.fr/culture/capitol",
                 "html": article_html(BODY_B, lang="fr-FR")},
    }
    (root / "html").mkdir(parents=True, exist_ok=True)
    truth = {}
    for item_id, item in items.items():
        if item.get("html") is not None:
            (root / "html" / f"{item_id}.html.gz").write_bytes(gzip.compress(item["html"].encode("utf-8")))
        truth[item_id] = {k: v for k, v in item.items() if k != "html"}
    (root / "ground-truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return root


SNIPPET_ENTRIES = {
    "https://www.example.org/news/ferry?id=1": {
        "file": "ferry.html", "with": ["approved the new ferry terminal", "42 million dollars"],
        "without": ["Contact us", "Home"]},
    "https://www.example.de/Politik/Stadtrat_tagt": {
        "file": "de/stadtrat.html", "with": ["Der Stadtrat tagte"], "without": ["Impressum"]},
}


def write_snippets(root: Path, entries: dict | None = None) -> Path:
    """A trafilatura-style snippet set: eval.json plus its pages, one in a subfolder, one found by name."""
    entries = SNIPPET_ENTRIES if entries is None else entries
    (root / "cache" / "de").mkdir(parents=True, exist_ok=True)
    (root / "cache" / "ferry.html").write_text(article_html(BODY_A), encoding="utf-8")
    (root / "cache" / "de" / "stadtrat.html").write_bytes(
        article_html("Der Stadtrat tagte am Montag bis spät in die Nacht.", lang="de", charset="iso-8859-1")
        .replace("<footer>Contact us</footer>", "<footer>Impressum</footer>").encode("iso-8859-1"))
    path = root / "eval.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


def write_cleaneval(root: Path) -> Path:
    """CleanEval layout: orig/<n>.html (with the <text> wrapper line), clean/<n>.txt with URL line and marks."""
    (root / "orig").mkdir(parents=True)
    (root / "clean").mkdir(parents=True)
    (root / "orig" / "7.html").write_text(
        '<text id="7" title="Ferry" encoding="utf-8">\n' + article_html(BODY_A.replace("\n", " ")),
        encoding="utf-8")
    (root / "clean" / "7.txt").write_text(
        "URL: http://www.example.org/ferry.html\n"
        "<h>Headline\n"
        "<p>The harbour board approved the new ferry terminal\n"
        "on Tuesday after a two year review.\n"
        "<l>Construction will begin in spring\n"
        "<p>  \n", encoding="utf-8")
    (root / "orig" / "12.html").write_text(article_html("Twelve is a page"), encoding="utf-8")
    (root / "clean" / "12-cleaned.txt").write_text("URL: http://example.com/12\n<p>Twelve is a page\n",
                                                    encoding="utf-8")
    return root


def write_readability(root: Path) -> Path:
    """Mozilla Readability test cases: <case>/source.html + expected.html (+ expected-metadata.json)."""
    case = root / "ferry-case"
    case.mkdir(parents=True)
    (case / "source.html").write_text(article_html(BODY_A, lang=None), encoding="utf-8")
    (case / "expected.html").write_text(
        "<div id=\"readability-page-1\" class=\"page\"><p>" + BODY_A.replace("\n", "</p><p>") + "</p></div>",
        encoding="utf-8")
    (case / "expected-metadata.json").write_text(json.dumps(
        {"title": "Ferry", "byline": None, "lang": "en-GB", "publishedTime": "2020-03-04T05:06:07Z"}),
        encoding="utf-8")
    plain = root / "002"
    plain.mkdir()
    (plain / "source.html").write_text(article_html("Second case text", lang="it"), encoding="utf-8")
    (plain / "expected.html").write_text("<p>Second case text</p>", encoding="utf-8")
    return root


def write_plain(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "ferry.html").write_text(article_html(BODY_A), encoding="utf-8")
    (root / "ferry.txt").write_text(BODY_A + "\n", encoding="utf-8")
    (root / "Capitol_2013.htm").write_text(article_html(BODY_B, lang="fr"), encoding="utf-8")
    (root / "Capitol_2013.txt").write_text(BODY_B, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- specs


def test_parse_spec_names_the_known_kinds():
    assert parse_spec("aeb:/data/aeb") == ("aeb", Path("/data/aeb"))
    for bad in ("aeb", "nosuch:/x", "aeb:"):
        with pytest.raises(DatasetError, match="aeb, snippets, cleaneval, readability, plain"):
            parse_spec(bad)


def test_missing_path_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="no such file or folder"):
        load_dataset(f"aeb:{tmp_path / 'nope'}")


# --------------------------------------------------------------------------- AEB


def test_aeb_reads_items_with_ids_urls_and_declared_metadata(tmp_path):
    corpus = load_dataset(f"aeb:{write_aeb(tmp_path)}")
    assert corpus.name == "aeb" and corpus.problems == ()
    assert [p.page_id for p in corpus.pages] == ["a1b2", "c3d4"]
    first, second = corpus.pages
    assert corpus.golds["a1b2"].text == BODY_A
    assert first.html.startswith("<!DOCTYPE html>") and first.raw == gzip.decompress(
        (tmp_path / "html" / "a1b2.html.gz").read_bytes())
    assert first.card.url == "https://www.example.org/2019/11/19/ferry-terminal"
    assert first.card.site == "example.org"
    assert first.card.language == "en"
    # the page's own date (its time zone kept) wins over the URL's
    assert first.card.published == dt.date(2019, 11, 18)
    assert dict(first.card.extra) == {"published_from": "meta article:published_time", "language_declared": "en",
                                      "language_identified": "en"}
    # the declared label is kept; the one identified from the text is the page's language
    assert dict(second.card.extra)["language_declared"] == "fr-FR"
    assert second.card.language == dict(second.card.extra)["language_identified"] == "fr"
    assert second.card.published is None
    assert corpus.provenance.languages_from == "identified" and corpus.provenance.metric == "aeb"
    assert corpus.digest and corpus.digest == load_dataset(f"aeb:{tmp_path}").digest


def test_a_wrong_declared_language_is_replaced_by_the_identified_one(tmp_path):
    """AEB's businessinsider.com page declares "de" and is English: splits and jusText must see "en"."""
    from benchmark.corpus.langid import LanguageLabels

    english = " ".join([BODY_A] * 3)
    write_aeb(tmp_path, {
        "wrong": {"articleBody": english, "url": "https://example.com/a", "html": article_html(english, lang="de")},
        "silent": {"articleBody": BODY_B, "url": "https://example.com/b", "html": article_html(BODY_B, lang=None)},
        "short": {"articleBody": "Ok.", "url": "https://example.com/c", "html": article_html("Ok.", lang="it")},
    })
    labels = LanguageLabels(tmp_path / "labels.sqlite3")
    from benchmark.corpus.datasets import aeb
    from benchmark.corpus.datasets.common import with_identified_languages

    raw = aeb.load(tmp_path)
    cards = {p.page_id: p.card for p in raw.pages}
    assert cards["wrong"].language == "en" and dict(cards["wrong"].extra)["language_declared"] == "de"
    assert cards["silent"].language == "fr" and dict(cards["silent"].extra)["language_declared"] == "und"
    # too little text to identify: the declared label stays
    assert cards["short"].language == "it" and dict(cards["short"].extra)["language_identified"] == "und"
    # labels are cached by page sha256: a second pass finds them without the model
    again = with_identified_languages(dataclasses.replace(raw, pages=tuple(
        dataclasses.replace(p, card=dataclasses.replace(p.card, language="xx")) for p in raw.pages)), labels)
    assert {p.page_id: p.card.language for p in again.pages} == {"wrong": "en", "silent": "fr", "short": "xx"}
    assert labels.known(p.sha256 for p in raw.pages) == {p.sha256: dict(p.card.extra)["language_identified"]
                                                         for p in raw.pages}
    labels.close()


def test_aeb_digest_changes_with_the_gold(tmp_path):
    before = load_dataset(f"aeb:{write_aeb(tmp_path)}").digest
    truth = json.loads((tmp_path / "ground-truth.json").read_text())
    truth["a1b2"]["articleBody"] += " More."
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    assert load_dataset(f"aeb:{tmp_path}").digest != before


def test_aeb_broken_items_are_problems_naming_the_file(tmp_path):
    write_aeb(tmp_path, {
        "good": {"articleBody": BODY_A, "url": "https://example.org/a", "html": article_html(BODY_A)},
        "nohtml": {"articleBody": BODY_A, "url": "https://example.org/b", "html": None},
        "nobody": {"url": "https://example.org/c", "html": article_html(BODY_A)},
        "badgzip": {"articleBody": BODY_A, "url": 42, "html": None},
    })
    (tmp_path / "html" / "badgzip.html.gz").write_bytes(b"this is not gzip")
    (tmp_path / "html" / "orphan.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
    corpus = load_dataset(f"aeb:{tmp_path}")
    assert [p.page_id for p in corpus.pages] == ["good"]
    problems = {p.page_id: p for p in corpus.problems}
    assert problems["nohtml"].path.endswith("nohtml.html.gz") and problems["nohtml"].blocks_page
    assert problems["badgzip"].path.endswith("badgzip.html.gz") and "cannot read page" in problems["badgzip"].message
    assert problems["nobody"].path.endswith("ground-truth.json") and "articleBody" in problems["nobody"].message
    assert problems["orphan"].path.endswith("orphan.html.gz") and not problems["orphan"].blocks_page


@pytest.mark.parametrize("content, expected", [
    ("{not json", "cannot read the ground truth"),
    ("[1, 2]", "must be a JSON object"),
    (None, "cannot read the ground truth"),
])
def test_aeb_bad_ground_truth_is_one_blocking_problem(tmp_path, content, expected):
    (tmp_path / "html").mkdir()
    if content is not None:
        (tmp_path / "ground-truth.json").write_text(content)
    corpus = load_dataset(f"aeb:{tmp_path}")
    (problem,) = corpus.problems
    assert corpus.pages == () and problem.blocks_page
    assert problem.path.endswith("ground-truth.json") and expected in problem.message


def test_aeb_without_html_folder_and_given_a_file(tmp_path):
    (tmp_path / "ground-truth.json").write_text(json.dumps({"x": {"articleBody": "a", "url": ""}}))
    corpus = load_dataset(f"aeb:{tmp_path}")
    assert corpus.pages == () and any(p.path.endswith("html") and "folder missing" in p.message
                                      for p in corpus.problems)
    corpus = load_dataset(f"aeb:{tmp_path / 'ground-truth.json'}")
    assert corpus.pages == () and "folder" in corpus.problems[0].message


# --------------------------------------------------------------------------- snippets


def test_snippets_find_files_in_subfolders_and_keep_the_url_as_id(tmp_path):
    corpus = load_dataset(f"snippets:{write_snippets(tmp_path)}")
    assert corpus.problems == ()
    ids = [p.page_id for p in corpus.pages]
    assert ids == sorted(SNIPPET_ENTRIES)
    gold = corpus.golds["https://www.example.org/news/ferry?id=1"]
    assert gold.text is None
    assert gold.snippets_with == ("approved the new ferry terminal", "42 million dollars")
    assert gold.snippets_without == ("Contact us", "Home")
    german = next(p for p in corpus.pages if "example.de" in p.page_id)
    assert german.path.endswith("de/stadtrat.html") and german.encoding == "cp1252"
    assert "spät" in german.html and german.card.language == "de" and german.card.site == "example.de"


def test_snippets_file_found_by_bare_name_anywhere_under_the_folder(tmp_path):
    write_snippets(tmp_path, {"https://x.org/a": {"file": "stadtrat.html", "with": ["Stadtrat"], "without": []}})
    corpus = load_dataset(f"snippets:{tmp_path / 'eval.json'}")
    assert corpus.pages[0].path.endswith("cache/de/stadtrat.html")


def test_snippets_broken_entries_are_problems(tmp_path):
    path = write_snippets(tmp_path, {
        "https://ok.org/": {"file": "ferry.html", "with": ["ferry"], "without": []},
        "https://missing.org/": {"file": "nowhere.html", "with": ["x"]},
        "https://nofile.org/": {"with": ["x"]},
        "https://notdict.org/": ["x"],
        "https://badlist.org/": {"file": "ferry.html", "with": "ferry terminal", "without": [1, "Home"]},
    })
    corpus = load_dataset(f"snippets:{path}")
    assert sorted(p.page_id for p in corpus.pages) == ["https://badlist.org/", "https://ok.org/"]
    problems = {p.page_id: p for p in corpus.problems}
    for url in ("https://missing.org/", "https://nofile.org/", "https://notdict.org/"):
        assert problems[url].path == str(path) and problems[url].blocks_page and url in problems[url].message
    assert "nowhere.html" in problems["https://missing.org/"].message
    assert not problems["https://badlist.org/"].blocks_page
    gold = corpus.golds["https://badlist.org/"]
    assert gold.snippets_with == ("ferry terminal",) and gold.snippets_without == ("Home",)


@pytest.mark.parametrize("content, expected", [("{broken", "cannot read the snippet set"),
                                               ('["a"]', "top level must be a JSON object")])
def test_snippets_bad_json_names_the_file(tmp_path, content, expected):
    path = tmp_path / "eval.json"
    path.write_text(content)
    corpus = load_dataset(f"snippets:{path}")
    (problem,) = corpus.problems
    assert problem.path == str(path) and expected in problem.message and problem.blocks_page


def test_snippets_given_a_folder_says_to_give_the_file(tmp_path):
    write_snippets(tmp_path)
    (problem,) = load_dataset(f"snippets:{tmp_path}").problems
    assert "give the file" in problem.message


# --------------------------------------------------------------------------- CleanEval


def test_parse_clean_url_line_and_markers():
    url, body = parse_clean("URL: http://x.org/a\r\n<h>Title here\n<p>First para\ncontinues here\n"
                            "<l>  item one\n<p>\n<P>Last")
    assert url == "http://x.org/a"
    assert body == "Title here\n\nFirst para continues here\n\nitem one\n\nLast"
    assert parse_clean("no url line\n<p>text") == ("", "no url line\n\ntext")


def test_cleaneval_pairs_orig_and_clean_by_number(tmp_path):
    corpus = load_dataset(f"cleaneval:{write_cleaneval(tmp_path)}")
    assert corpus.problems == ()
    assert [p.page_id for p in corpus.pages] == ["7", "12"]  # numeric order
    page = corpus.pages[0]
    assert not page.raw.startswith(b"<text") and page.raw.startswith(b"\n<!DOCTYPE html>")
    assert page.card.url == "http://www.example.org/ferry.html" and page.card.site == "example.org"
    assert corpus.golds["7"].text == ("Headline\n\nThe harbour board approved the new ferry terminal on Tuesday "
                                      "after a two year review.\n\nConstruction will begin in spring")
    assert corpus.golds["12"].text == "Twelve is a page"


def test_cleaneval_broken_inputs(tmp_path):
    write_cleaneval(tmp_path)
    (tmp_path / "orig" / "30.html").write_text("<p>no gold</p>")
    (tmp_path / "clean" / "31.txt").write_text("URL: http://x\n<p>no page")
    (tmp_path / "clean" / "12-cleaned.txt").write_bytes(b"URL: http://x\n<p>caf\xe9 latin-1")
    corpus = load_dataset(f"cleaneval:{tmp_path}")
    problems = {p.page_id: p for p in corpus.problems}
    assert problems["30"].path.endswith("30.html") and problems["30"].blocks_page
    assert problems["31"].path.endswith("31.txt") and "without a page" in problems["31"].message
    assert problems["12"].path.endswith("12-cleaned.txt") and "not UTF-8" in problems["12"].message
    assert corpus.golds["12"].text == "café latin-1"


def test_cleaneval_needs_both_folders(tmp_path):
    (tmp_path / "orig").mkdir()
    (problem,) = load_dataset(f"cleaneval:{tmp_path}").problems
    assert problem.path == str(tmp_path) and "orig/" in problem.message and "clean/" in problem.message


# --------------------------------------------------------------------------- Readability cases


def test_readability_cases_gold_is_the_expected_text_and_metadata_fills_the_card(tmp_path):
    corpus = load_dataset(f"readability:{write_readability(tmp_path)}")
    assert corpus.problems == ()
    assert [p.page_id for p in corpus.pages] == ["002", "ferry-case"]
    gold = corpus.golds["ferry-case"].text
    assert "approved the new ferry terminal" in gold and "Construction will begin" in gold
    assert "Home" not in gold
    card = {p.page_id: p.card for p in corpus.pages}
    assert card["ferry-case"].language == "en-GB" and card["ferry-case"].published == dt.date(2020, 3, 4)
    assert card["002"].language == "it" and card["002"].published is None  # from the page: no metadata file


def test_readability_broken_cases(tmp_path):
    write_readability(tmp_path)
    (tmp_path / "ferry-case" / "expected-metadata.json").write_text("{oops")
    (tmp_path / "no-expected").mkdir()
    (tmp_path / "no-expected" / "source.html").write_text("<p>x</p>")
    (tmp_path / "list-meta").mkdir()
    for name in ("source.html", "expected.html"):
        (tmp_path / "list-meta" / name).write_text("<p>words</p>")
    (tmp_path / "list-meta" / "expected-metadata.json").write_text("[1, 2]")
    corpus = load_dataset(f"readability:{tmp_path}")
    problems = {(p.page_id, Path(p.path).name): p for p in corpus.problems}
    assert problems[("ferry-case", "expected-metadata.json")].message.startswith("not valid JSON")
    assert not problems[("ferry-case", "expected-metadata.json")].blocks_page
    assert "expected.html" in problems[("no-expected", "no-expected")].message
    assert "not a JSON object" in problems[("list-meta", "expected-metadata.json")].message
    assert {p.page_id for p in corpus.pages} == {"002", "ferry-case", "list-meta"}
    ferry = next(p for p in corpus.pages if p.page_id == "ferry-case")
    assert ferry.card.language == "und"  # metadata unreadable and the page declares no language


def test_readability_needs_a_folder(tmp_path):
    (tmp_path / "x.html").write_text("<p>x</p>")
    (problem,) = load_dataset(f"readability:{tmp_path / 'x.html'}").problems
    assert problem.blocks_page and "source.html" in problem.message


# --------------------------------------------------------------------------- plain folder


def test_plain_folder_pairs_html_and_txt_by_stem(tmp_path):
    corpus = load_dataset(f"plain:{write_plain(tmp_path / 'mine')}")
    assert corpus.problems == () and corpus.name == "mine"
    assert [p.page_id for p in corpus.pages] == ["Capitol_2013", "ferry"]
    assert corpus.golds["ferry"].text == BODY_A + "\n"
    assert {p.page_id: p.card.language for p in corpus.pages} == {"Capitol_2013": "fr", "ferry": "en"}


def test_plain_folder_broken_inputs(tmp_path):
    root = write_plain(tmp_path)
    (root / "lonely.html").write_text("<p>x</p>")
    (root / "orphan.txt").write_text("text")
    (root / "latin.html").write_text("<p>x</p>")
    (root / "latin.txt").write_bytes(b"caf\xe9")
    (root / "ferry.htm").write_text("<p>second page</p>")
    (root / "sub.html").mkdir()  # a folder is not a page
    corpus = load_dataset(f"plain:{root}")
    problems = {Path(p.path).name: p for p in corpus.problems}
    assert problems["lonely.html"].blocks_page and "write lonely.txt" in problems["lonely.html"].message
    assert "gold without a page" in problems["orphan.txt"].message
    assert problems["latin.txt"].blocks_page and "UTF-8" in problems["latin.txt"].message
    assert "second page" in problems["ferry.htm"].message and not problems["ferry.htm"].blocks_page
    assert next(p for p in corpus.pages if p.page_id == "ferry").path.endswith("ferry.html")
    assert {p.page_id for p in corpus.pages} == {"Capitol_2013", "ferry"}


def test_plain_given_a_file(tmp_path):
    (tmp_path / "a.html").write_text("<p>x</p>")
    (problem,) = load_dataset(f"plain:{tmp_path / 'a.html'}").problems
    assert problem.blocks_page and "folder" in problem.message


def test_bundled_kind_reads_the_bundled_format(tmp_path):
    from tests.corpus_builders import good_corpus

    corpus = load_dataset(f"bundled:{good_corpus(tmp_path / 'c', n=2)}")
    assert len(corpus.pages) == 2 and corpus.problems == ()


# --------------------------------------------------------------------------- shared helpers


@pytest.mark.parametrize("html, expected", [
    ('<html lang="en-US"><p>x', "en-US"),
    ("<HTML xmlns='http://www.w3.org/1999/xhtml' xml:lang='pt_BR'>", "pt-BR"),
    ('<html><head><meta http-equiv="Content-Language" content="de, en"></head>', "de"),
    ('<html lang=""><head><meta http-equiv="content-language" content="ru"></head>', "ru"),
    ('<html lang="{{ lang }}">', None),
    ("<p>no declaration</p>", None),
])
def test_declared_language(html, expected):
    assert declared_language(html) == expected


@pytest.mark.parametrize("html, url, expected", [
    ('<meta property="article:published_time" content="2019-11-20T01:50:59-05:00">', "", (dt.date(2019, 11, 20),
                                                                                      "meta article:published_time")),
    ('<meta content="2018-10-04" name="parsely-pub-date"><meta name="date" content="2001-01-01">', "",
     (dt.date(2018, 10, 4), "meta parsely-pub-date")),
    ('<meta itemprop="datePublished" content="2019-02-30">', "https://x.org/2019/11/19/story",
     (dt.date(2019, 11, 19), "url")),  # an impossible date is skipped
    ('<script type="application/ld+json">{"datePublished": "2017-06-01T10:00:00Z"}</script>', "",
     (dt.date(2017, 6, 1), "json-ld datePublished")),
    ('<meta property="article:published_time" content="November 19, 2019">', "https://x.org/a/b", (None, "")),
])
def test_declared_published(html, url, expected):
    assert declared_published(html, url) == expected


def test_safe_page_ids_are_deterministic_valid_and_distinct():
    ids = ["abc-123", "https://www.example.org/News/Story?id=1", "https://www.example.org/news/story?id=1",
           "Page_1", "page-1", "日本語のページ", "Über uns", "a" * 200, "---"]
    mapping = safe_page_ids(ids)
    assert mapping == safe_page_ids(ids)
    assert len(set(mapping.values())) == len(ids)
    assert all(SAFE_ID_RE.match(safe) for safe in mapping.values())
    assert mapping["abc-123"] == "abc-123" and mapping["page-1"] == "page-1"
    assert mapping["https://www.example.org/News/Story?id=1"].startswith("example-org-news-story-id-1-")
    assert mapping["Über uns"].startswith("uber-uns-")
    assert mapping["日本語のページ"].startswith("page-")
    assert len(mapping["a" * 200]) <= 70
    assert safe_page_id("Page_1") != safe_page_id("page_1")


def test_readability_expected_html_is_read_with_its_structure(tmp_path):
    case = tmp_path / "structured"
    case.mkdir()
    (case / "source.html").write_text("<html><body><article><p>Body text of the page.</p></article></body></html>",
                                      encoding="utf-8")
    (case / "expected.html").write_text(
        "<div id='readability-page-1' class='page'><p>Body text of the page.</p><h3>A subhead</h3>"
        "<ol><li>first point</li><li>second point</li></ol><blockquote><p>A quoted line.</p></blockquote>"
        "<table><tr><th>Year</th><th>Riders</th></tr><tr><td>2024</td><td>900</td></tr></table></div>",
        encoding="utf-8")
    gold = load_dataset(f"readability:{tmp_path}").golds["structured"]
    from benchmark.corpus.goldmarks import parse_gold

    assert [b.kind for b in parse_gold(gold.marked)] == ["p", "h3", "ol", "quote", "table"]
    assert gold.text.split() == ("Body text of the page. A subhead first point second point A quoted line. "
                                 "Year Riders 2024 900").split()  # no list numbers, no marks
