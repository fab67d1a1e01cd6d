"""The naeb, l3s-gn1 and webmainbench importers: small sets written here (and broken ones), then the real samples.

The samples in ../shared/datasets/samples are real pages of each set; on them
the test checks that each gold reading is text the page really shows (token
coverage of the gold in the page's visible text), which is what makes the
gold usable for scoring.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from benchmark.corpus.datasets import load_dataset
from benchmark.corpus.datasets.l3s_gn1 import labelled_text
from tests.corpus.test_datasets import BODY_A, BODY_B, article_html

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "samples"


def problems_by_page(corpus) -> dict:
    return {p.page_id: p for p in corpus.problems}


# --------------------------------------------------------------------------- naeb


def write_naeb(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    articles = {
        "0a1b": {"id": "1", "articleBody": BODY_A, "url": "https://www.example.org/news/ferry", "title": "Ferry",
                 "site": "http://example.org", "date": "2023-12-17", "authors": ""},
        "2c3d": {"articleBody": BODY_B, "url": "https://journal.example.fr/capitol", "date": "2023-01-02"},
        "4e5f": {"articleBody": "A page that was too large to ship", "url": "https://example.org/big"},
        "6a7b": {"url": "https://example.org/no-body"},
    }
    (root / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
    (root / "html" / "0a1b.html").write_text(article_html(BODY_A), encoding="utf-8")
    (root / "html" / "2c3d.html").write_text(article_html(BODY_B, lang="fr"), encoding="utf-8")
    (root / "html" / "6a7b.html").write_text(article_html("no body"), encoding="utf-8")
    (root / "html" / "9999.html").write_text(article_html("stray"), encoding="utf-8")
    return root


def test_naeb_reads_articles_and_names_what_it_skips(tmp_path):
    corpus = load_dataset(f"naeb:{write_naeb(tmp_path / 'naeb')}")
    assert [p.page_id for p in corpus.pages] == ["0a1b", "2c3d"]
    assert corpus.golds["0a1b"].text == BODY_A
    first, second = corpus.pages
    assert (first.card.language, first.card.published, first.card.site) == ("en", dt.date(2023, 12, 17),
                                                                             "example.org")
    assert dict(first.card.extra)["published_from"] == "dataset"
    assert second.card.language == "fr"
    problems = problems_by_page(corpus)
    assert "page missing" in problems["4e5f"].message and problems["4e5f"].blocks_page
    assert problems["4e5f"].path.endswith("html/4e5f.html")
    assert "no articleBody string" in problems["6a7b"].message
    assert "without an entry" in problems["9999"].message
    assert corpus.provenance.kind == "real" and corpus.provenance.years == "2023"
    assert corpus.provenance.licence == "Apache-2.0"


@pytest.mark.parametrize("content, expected", [
    (b"{not json", "not valid UTF-8 JSON"),
    (b"[1, 2]", "found a JSON list"),
    (b"\xff\xfe", "not valid UTF-8 JSON"),
])
def test_naeb_rejects_an_index_that_is_not_its_format(tmp_path, content, expected):
    root = write_naeb(tmp_path / "naeb")
    (root / "articles.json").write_bytes(content)
    corpus = load_dataset(f"naeb:{root}")
    (problem,) = corpus.problems
    assert corpus.pages == () and expected in problem.message and problem.path.endswith("articles.json")


def test_naeb_without_its_html_folder_says_so(tmp_path):
    root = tmp_path / "naeb"
    root.mkdir()
    (root / "articles.json").write_text("{}", encoding="utf-8")
    (problem,) = load_dataset(f"naeb:{root}").problems
    assert "html/<id>.html" in problem.message


# --------------------------------------------------------------------------- l3s-gn1

ANNOTATED = """<html><head><style>.x-nc-sel1 {}</style><title>Ferry</title></head><body>
<div id="nav"><span class="x-nc-sel0">Home</span> <span class="x-nc-sel0">World</span></div>
<h1><span class="x-nc-sel1">Ferry terminal approved</span></h1>
<p><span class="x-nc-sel3">Photo: the harbour at dawn</span></p>
<p><span class="x-nc-sel2">The harbour board approved the new</span> <a href="#"><span class="x-nc-sel2">ferry
terminal</span></a><span class="x-nc-sel2"> on Tuesday.</span></p>
<p><span class="x-nc-sel2">Construction begins in spring.</span><span class="x-nc-invisible"><span
class="x-nc-sel2">hidden text</span></span></p>
<div><span class="x-nc-sel4">Storm closes coastal road</span></div>
<div><span class="x-nc-sel5">Great news! -- reader</span></div>
<p>Unlabelled footer</p>
</body></html>"""
ORIGINAL = """<html lang="en"><head><title>Ferry</title></head><body><div id="nav">Home World</div>
<h1>Ferry terminal approved</h1><p>Photo: the harbour at dawn</p>
<p>The harbour board approved the new <a href="#">ferry terminal</a> on Tuesday.</p>
<p>Construction begins in spring.</p><div>Storm closes coastal road</div><div>Great news! -- reader</div>
<p>Unlabelled footer</p></body></html>"""


def write_l3s(root: Path) -> Path:
    for folder in ("original", "annotated"):
        (root / folder).mkdir(parents=True)
    (root / "original" / "aaaa-1111.html").write_text(ORIGINAL, encoding="utf-8")
    (root / "annotated" / "aaaa-1111.html").write_text(ANNOTATED, encoding="utf-8")
    (root / "original" / "bbbb-2222.html").write_text(ORIGINAL, encoding="utf-8")  # no annotated copy
    (root / "annotated" / "cccc-3333.html").write_text(ANNOTATED, encoding="utf-8")  # no original
    (root / "original" / "dddd-4444.html").write_text(ORIGINAL, encoding="utf-8")
    (root / "annotated" / "dddd-4444.html").write_text("<html><body><p>no labels</p></body></html>",
                                                       encoding="utf-8")
    (root / "original" / "eeee-5555.html").write_text(ORIGINAL, encoding="utf-8")
    (root / "annotated" / "eeee-5555.html").write_text(
        '<html><body><span class="x-nc-sel1">Only a headline</span></body></html>', encoding="utf-8")
    return root


def test_l3s_gold_is_the_full_text_blocks_one_paragraph_per_block():
    assert labelled_text(ANNOTATED, frozenset({2})) == ("The harbour board approved the new ferry terminal on "
                                                        "Tuesday.\n\nConstruction begins in spring.")


@pytest.mark.parametrize("kind, first, absent", [
    ("l3s-gn1", "The harbour board", ("Ferry terminal approved", "Photo", "Storm", "Great news", "Home", "hidden")),
    ("l3s-gn1-headline", "Ferry terminal approved", ("Photo", "Storm", "Great news", "Unlabelled")),
    ("l3s-gn1-content", "Ferry terminal approved\n\nPhoto: the harbour at dawn", ("Storm", "Great news", "Home")),
])
def test_l3s_readings_take_their_labels_only(tmp_path, kind, first, absent):
    corpus = load_dataset(f"{kind}:{write_l3s(tmp_path / 'l3s')}")
    headline_only = [] if kind == "l3s-gn1" else ["eeee-5555"]  # a page with only a headline has no full text
    assert [p.page_id for p in corpus.pages] == ["aaaa-1111", *headline_only] and corpus.name == kind
    gold = corpus.golds["aaaa-1111"].text
    assert gold.startswith(first) and gold.endswith("Construction begins in spring.")
    assert not any(text in gold for text in absent)
    assert corpus.pages[0].card.language == "en" and corpus.provenance.languages_from == "dataset"
    assert "research use only" in corpus.provenance.licence


def test_l3s_names_each_page_it_cannot_score(tmp_path):
    problems = problems_by_page(load_dataset(f"l3s-gn1:{write_l3s(tmp_path / 'l3s')}"))
    assert "without its annotated copy" in problems["bbbb-2222"].message
    assert "annotation without its original" in problems["cccc-3333"].message
    assert "no x-nc-sel0..5 labels" in problems["dddd-4444"].message
    assert "no block labelled 2 full text" in problems["eeee-5555"].message
    assert all(problems[p].blocks_page for p in ("bbbb-2222", "dddd-4444", "eeee-5555"))


def test_l3s_folder_without_its_two_subfolders_says_what_it_needs(tmp_path):
    (problem,) = load_dataset(f"l3s-gn1:{tmp_path}").problems
    assert "original/<uuid>.html and annotated/<uuid>.html" in problem.message


# --------------------------------------------------------------------------- webmainbench


def webmainbench_line(track_id: str, **fields) -> str:
    record = {"track_id": track_id, "url": "https://docs.example.com/numpy/arrays",
              "html": article_html(BODY_A, lang=None), "groundtruth_content": "## Ferry\n\n" + BODY_A,
              "language": "en", "layout_type": "article", "raw_warc_path": "s3://cc/CC-MAIN-2019-13/x.warc.gz",
              "llm_webkit_html": "<html>another rendering, not read</html>"}
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


def test_webmainbench_reads_lines_and_names_bad_ones(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join([
        webmainbench_line("1f0e-aa"),
        "{broken json",
        webmainbench_line("2b", groundtruth_content=None),
        webmainbench_line("1f0e-aa"),
        webmainbench_line("Page 7/B", language=None, meta={"language": "zh"}, html="<p>中文页面</p>",
                          groundtruth_content="中文页面"),
        "",
    ]), encoding="utf-8")
    corpus = load_dataset(f"webmainbench:{path}")
    ids = [p.page_id for p in corpus.pages]
    assert ids[0] == "1f0e-aa" and ids[1].startswith("page-7-b-") and len(ids) == 2
    first = corpus.pages[0]
    paragraph = BODY_A.replace("\n", " ")  # Markdown joins a paragraph's lines
    assert corpus.golds["1f0e-aa"].marked == "## Ferry\n\n" + paragraph + "\n"
    assert corpus.golds["1f0e-aa"].text == "Ferry\n\n" + paragraph + "\n"  # marks are no tokens
    assert (first.card.language, first.card.layout, dict(first.card.extra)["crawl"]) == ("en", ("article",),
                                                                                        "2019-13")
    assert corpus.pages[1].card.language == "zh" and corpus.pages[1].raw == "<p>中文页面</p>".encode()
    messages = {p.path.rsplit(":", 1)[1]: p.message for p in corpus.problems}
    assert "not a JSON object" in messages["2"] and "no groundtruth_content string" in messages["3"]
    assert "again (first at" in messages["4"] and messages["4"].endswith("skipped")


def test_webmainbench_folder_reads_every_jsonl_and_an_empty_one_says_what_it_wants(tmp_path):
    (tmp_path / "a.jsonl").write_text(webmainbench_line("a1") + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(webmainbench_line("b2") + "\n", encoding="utf-8")
    assert [p.page_id for p in load_dataset(f"webmainbench:{tmp_path}").pages] == ["a1", "b2"]
    (tmp_path / "empty").mkdir()
    (problem,) = load_dataset(f"webmainbench:{tmp_path / 'empty'}").problems
    assert ".jsonl file" in problem.message


@pytest.mark.parametrize("markdown, marked, text", [
    ("# Title\n\n![a chart](https://x/c.png)\nText", "## Title\n\nText\n", "Title\n\nText\n"),
    ("See [the docs](https://x.org/d) now", "See the docs now\n", "See the docs now\n"),
    ("```python\nprint(1)\n```", "print(1)\n", "print(1)\n"),
    (r"\- item one \*not bold\*", "\\- item one *not bold*\n", "- item one *not bold*\n"),
    ("1. one\n2. two", "1. one\n2. two\n", "one\ntwo\n"),  # the numbers an <ol> draws are no tokens
])
def test_webmainbench_gold_keeps_its_structure_and_drops_what_no_page_shows(tmp_path, markdown, marked, text):
    (tmp_path / "set.jsonl").write_text(json.dumps({"track_id": "p1", "url": "https://x.org/a", "html": "<p>x</p>",
                                                    "groundtruth_content": markdown}) + "\n", encoding="utf-8")
    (gold,) = load_dataset(f"webmainbench:{tmp_path}").golds.values()
    assert (gold.marked, gold.text) == (marked, text)


# --------------------------------------------------------------------------- the real samples


def _coverage(page, gold: str) -> float:
    from benchmark.corpus.visible_text import visible_text
    from benchmark.score.textnorm import tokenize

    wanted = Counter(tokenize(gold))
    shown = Counter(tokenize(visible_text(page.html, include_jsonld_body=True)))
    return sum((wanted & shown).values()) / sum(wanted.values())


@pytest.mark.parametrize("spec, pages, language", [
    ("naeb:naeb", 6, "en"),
    ("l3s-gn1:l3s-gn1", 6, "en"),
    ("l3s-gn1-content:l3s-gn1", 6, "en"),
    ("webmainbench:webmainbench/sample_dataset.jsonl", 4, None),
])
def test_the_real_samples_read_and_their_gold_is_text_the_page_shows(spec, pages, language):
    kind, _, folder = spec.partition(":")
    if not (SAMPLES / folder).exists():
        pytest.skip(f"{SAMPLES / folder} is not here (the shared folder travels beside the checkout)")
    corpus = load_dataset(f"{kind}:{SAMPLES / folder}")
    assert len(corpus.pages) == pages and not [p for p in corpus.problems if p.blocks_page]
    for page in corpus.pages:
        gold = corpus.golds[page.page_id].text
        assert gold and _coverage(page, gold) >= 0.98, page.page_id
        if language:
            assert page.card.language.startswith(language)
    assert corpus.provenance.kind == "real" and corpus.provenance.licence


def test_l3s_reads_a_page_nested_deeper_than_python_recursion():
    depth = 1500  # past Python's recursion limit (1000), within libxml2's with huge_tree (2048)
    html = ("<html><body>" + "<div>" * depth + '<span class="x-nc-sel2">Deep body text.</span>' + "</div>" * depth
            + "</body></html>")
    assert labelled_text(html, frozenset({2})) == "Deep body text."


def test_webmainbench_bounds_each_line_and_refuses_a_link_out_of_its_folder(tmp_path, monkeypatch):
    from benchmark.corpus.datasets import webmainbench

    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "a.jsonl").write_text(webmainbench_line("long", groundtruth_content="x" * 5000) + "\n"
                                    + webmainbench_line("short") + "\n", encoding="utf-8")
    outside = tmp_path / "outside.jsonl"
    outside.write_text(webmainbench_line("elsewhere") + "\n", encoding="utf-8")
    (folder / "b.jsonl").symlink_to(outside)
    monkeypatch.setattr(webmainbench, "MAX_LINE_BYTES", 4000)
    corpus = load_dataset(f"webmainbench:{folder}")
    assert [p.page_id for p in corpus.pages] == ["short"]
    messages = {p.path: p.message for p in corpus.problems}
    assert "longer than 4000 bytes" in messages[f"{folder / 'a.jsonl'}:1"]
    assert "a link out of" in messages[str(folder / "b.jsonl")]


# --------------------------------------------------------------------------- hostile input, as for every importer


def _sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no room on disk."""
    with path.open("wb") as handle:
        handle.truncate(size)


def test_naeb_refuses_an_id_leaving_its_folder_a_huge_page_and_a_link_out(tmp_path):
    from benchmark.corpus.file_reader import MAX_PAGE_BYTES

    root = write_naeb(tmp_path / "naeb")
    articles = json.loads((root / "articles.json").read_text(encoding="utf-8"))
    articles["../../secret"] = {"articleBody": "x", "url": ""}
    articles["big1"] = {"articleBody": "x", "url": ""}
    articles["link"] = {"articleBody": "x", "url": ""}
    (root / "articles.json").write_text(json.dumps(articles), encoding="utf-8")
    _sparse(root / "html" / "big1.html", MAX_PAGE_BYTES + 1)
    (tmp_path / "outside.html").write_text(article_html(BODY_A), encoding="utf-8")
    (root / "html" / "link.html").symlink_to(tmp_path / "outside.html")
    corpus = load_dataset(f"naeb:{root}")
    assert [p.page_id for p in corpus.pages] == ["0a1b", "2c3d"]
    problems = problems_by_page(corpus)
    assert "names a file outside" in problems["../../secret"].message
    assert "over the" in problems["big1"].message and "limit" in problems["big1"].message
    assert "outside" in problems["link"].message and problems["link"].blocks_page


def test_l3s_refuses_a_huge_page_and_an_annotation_linking_out(tmp_path):
    from benchmark.corpus.file_reader import MAX_PAGE_BYTES

    root = write_l3s(tmp_path / "l3s")
    _sparse(root / "original" / "ffff-6666.html", MAX_PAGE_BYTES + 1)
    (root / "annotated" / "ffff-6666.html").write_text(ANNOTATED, encoding="utf-8")
    (root / "original" / "gggg-7777.html").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "elsewhere.html").write_text(ANNOTATED, encoding="utf-8")
    (root / "annotated" / "gggg-7777.html").symlink_to(tmp_path / "elsewhere.html")
    corpus = load_dataset(f"l3s-gn1:{root}")
    assert [p.page_id for p in corpus.pages] == ["aaaa-1111"]
    problems = problems_by_page(corpus)
    assert "over the" in problems["ffff-6666"].message
    assert "outside" in problems["gggg-7777"].message and problems["gggg-7777"].path.endswith("gggg-7777.html")
