"""`boilerbench corpus stats`: per-page figures, their summaries, real pages' reference ranges, and the command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.corpus.bundled import load_corpus
from benchmark.corpus.ranges import BY_KEY, STATISTICS, leaves, load_reference, summarize
from benchmark.corpus.stats import measure_page
from benchmark.corpus.weighing import open_source, weigh
from benchmark.corpus.weights import PageWeight, WeightSummary
from benchmark.records import Card, Gold, Page
from tests.corpus_builders import card_toml, good_corpus, write_page

REPO = Path(__file__).resolve().parents[2]
AEB = REPO.parent / "shared" / "datasets" / "aeb"
BODY = ("The harbour board approved the new ferry terminal on Tuesday after a two year review. "
        "Construction will begin in spring and cost an estimated 42 million dollars.")
PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='a' content='1'><title>T</title>"
        "<style>p{color:red}</style><script>var x = 1;</script><script src='/a.js'></script></head>"
        "<body><!-- build 42 --><div id='nav' class='nav top' data-menu='1'><a href='/story/1'>One</a> "
        "<a href='/story/2'>Two</a> <a href='/story/3'>Three</a> <a href='/page/2'>Next page</a></div>"
        "<main id='main'><div class='wrap'><article class='story body' data-id='9' data-kind='news'>"
        f"<p>{BODY}</p><img src='a.jpg' loading='lazy'></article></div></main>"
        "<iframe src='https://video.example/1'></iframe><p>Footer text</p></span></body></html>")


def _page(html: str = PAGE, body: str | None = BODY) -> tuple[Page, Gold | None]:
    raw = html.encode("utf-8")
    card = Card(url="", site="example", language="en", published=None, extra=(("template", "wordpress"),))
    page = Page("example-2019-x", "x.html", raw, "utf-8", "meta", "0" * 64, card)
    return page, (Gold("example-2019-x", "x.txt", body) if body is not None else None)


def test_measure_page_counts_what_it_says():
    weight = measure_page(*_page())
    raw = PAGE.encode("utf-8")
    assert weight.kb == len(raw) / 1000
    # html head meta meta title style script script body div a a a a main div article p img iframe p
    assert weight.elements == 21 and weight.max_depth == 6  # html > body > main > div > article > p
    assert (weight.scripts, weight.meta, weight.ids, weight.comments, weight.links) == (2, 2, 2, 1, 4)
    assert weight.classes == 5 and weight.data_attrs == 3  # nav top wrap story body; data-menu data-id data-kind
    assert weight.iframes and weight.lazy_images and weight.placeholder_links
    assert weight.parse_errors == 1  # the stray </span>
    style_script = len("<style>p{color:red}</style><script>var x = 1;</script><script src='/a.js'></script>")
    assert weight.script_style_share == style_script / len(raw)
    assert weight.longest_line == len(PAGE)
    # visible: One Two Three Next page | BODY | Footer text
    assert weight.visible_tokens == 5 + 27 + 2 and weight.gold_tokens == 27
    assert weight.body_share == 27 / 34 and weight.link_density == 5 / 34
    assert weight.body_depth == 6 and weight.body_classes == ()  # the <p> holds all of the gold
    assert weight.blocks_outside_body == 2  # the nav line and the footer line
    assert weight.template == "wordpress"


def test_body_container_is_the_deepest_element_with_most_of_the_gold():
    html = PAGE.replace(f"<p>{BODY}</p>", "<p>" + BODY.replace(". ", ".</p><p>") + "</p>")
    weight = measure_page(*_page(html))
    assert weight.body_depth == 5 and weight.body_classes == ("story", "body")
    no_gold = measure_page(*_page(body=None))
    assert no_gold.body_depth is None and no_gold.body_share is None and no_gold.gold_tokens is None
    not_in_dom = measure_page(*_page(body="Words that are nowhere on the page at all, not one of them here."))
    assert not_in_dom.body_depth is None and not_in_dom.blocks_outside_body is None


@pytest.mark.parametrize("html", ["", "   ", "\x00\x01binary", "<div>" * 20000 + BODY + "</div>" * 20000])
def test_empty_binary_and_deep_pages_are_measured_not_raised(html):
    weight = measure_page(*_page(html))
    assert weight.kb == len(html.encode("utf-8")) / 1000
    if html.startswith("<div>"):  # walked without recursion, as deep as lxml builds the tree (2,048 here)
        assert weight.max_depth >= 2000 and weight.elements >= 2000


@pytest.mark.parametrize("hrefs, placeholder", [
    (["/story/1", "/story/2", "/story/3"], True),
    (["/latest/1", "/latest/2", "/latest/7"], True),
    (["/story/1", "/story/2"], False),
    (["/page/2", "/page/3", "/page/4"], False),  # pagination is real
    (["/2019/1", "/2019/2", "/2019/3"], False),  # month archives are real
    (["/story/1?x=1", "/story/2?x=1", "/story/3?x=1"], False),
    (["/story/101", "/story/102", "/story/103"], False),  # real ids are long
    (["/a/1", "http://other.example/a/2", "/a/3"], False),  # two hosts
])
def test_numbered_placeholder_links(hrefs, placeholder):
    links = "".join(f"<a href='{href}'>x</a>" for href in hrefs)
    assert measure_page(*_page(f"<html><body><p>{BODY}</p>{links}</body></html>")).placeholder_links == placeholder


def test_summaries_and_what_leaving_a_range_means():
    pages = [PageWeight("p", kb=float(kb), elements=0, max_depth=0, scripts=0, script_style_share=0.0,
                        longest_line=0, classes=0, data_attrs=kb % 2, ids=0, meta=0, visible_share=0.0,
                        iframes=kb > 8, lazy_images=False, parse_errors=0, comments=0, links=0, link_density=0.0,
                        visible_tokens=0, placeholder_links=False) for kb in range(1, 11)]
    kb = summarize(BY_KEY["kb"], pages)
    assert (kb.n, kb.median, kb.p10, kb.p90) == (10, 5.5, 1.9, 9.1)
    assert summarize(BY_KEY["iframes"], pages).share == 0.2
    assert summarize(BY_KEY["with_data_attrs"], pages).share == 0.5
    assert summarize(BY_KEY["body_share"], pages) == WeightSummary("body_share", 0)  # nobody has a gold
    real = WeightSummary("kb", 181, median=115, p10=51, p90=289)
    assert leaves(BY_KEY["kb"], WeightSummary("kb", 60, median=19, p10=11, p90=39), real).startswith("median 19")
    assert leaves(BY_KEY["kb"], WeightSummary("kb", 60, median=51, p10=11, p90=39), real) is None
    share = WeightSummary("iframes", 181, share=0.43)
    assert leaves(BY_KEY["iframes"], WeightSummary("iframes", 60, share=0.10), share) is not None
    assert leaves(BY_KEY["iframes"], WeightSummary("iframes", 60, share=0.60), share) is None


def test_the_shipped_reference_ranges_say_how_they_were_measured():
    reference = load_reference()
    assert reference.command.startswith("boilerbench corpus stats --dataset aeb:")
    assert reference.measured and reference.versions["lxml"] and reference.versions["libxml2"]
    assert set(reference.summaries) == {statistic.key for statistic in STATISTICS}
    assert all(summary.n == 181 for summary in reference.summaries.values())


def test_the_shipped_reference_ranges_are_what_the_command_measures_on_aeb():
    """Measured facts: measure AEB again; exact where lxml and libxml2 are the versions that measured them."""
    from lxml import etree

    if not (AEB / "ground-truth.json").exists():
        pytest.skip("AEB is not at ../shared/datasets/aeb")
    reference = load_reference()
    versions = {"lxml": ".".join(map(str, etree.LXML_VERSION[:3])),
                "libxml2": ".".join(map(str, etree.LIBXML_VERSION))}
    if any(reference.versions[name] != version for name, version in versions.items()):
        pytest.skip(f"reference measured with {reference.versions}, this is {versions}: parse figures may differ")
    from benchmark.commands.corpus import weight_json

    measured = weight_json(weigh(open_source(dataset=f"aeb:{AEB}")))["statistics"]
    stored = json.loads((REPO / "benchmark" / "corpus" / "data" / "real_page_ranges.json").read_text())
    assert measured == stored["statistics"]


def test_a_bundled_folder_is_read_one_page_at_a_time(tmp_path):
    good_corpus(tmp_path, n=3)
    source = open_source(corpus_dir=tmp_path)
    pages = iter(source.pages)
    first, _ = next(pages)
    (tmp_path / "pages" / "example-2019-ferry-2.html").unlink()  # not read yet: the source finds it gone
    rest = [page.page_id for page, _ in pages]
    assert first.page_id == "example-2019-ferry-0" and rest == ["example-2019-ferry-1"]
    assert any("example-2019-ferry-2" in problem.page_id for problem in source.problems if problem.page_id)


def test_weigh_gives_the_bundled_spread_of_templates_and_eras(tmp_path):
    good_corpus(tmp_path, n=2)
    (tmp_path / "gold" / "CORPUS.toml").write_text('kind = "authored"\n', encoding="utf-8")
    write_page(tmp_path, "example-2008-old", card=card_toml(template="custom-table", published="2008-01-02"))
    weight = weigh(open_source(corpus_dir=tmp_path))
    assert weight.kind == "authored" and len(weight.pages) == 3
    assert weight.templates == {"(none)": 2, "custom-table": 1}
    assert weight.eras == {"1998-2009": 1, "2017-2026": 2}
    assert {page.body_depth for page in weight.pages} == {4}  # html > body > div.story > p
    assert weight.body_class_counts == ()  # the <p> holding the gold has no class


# --------------------------------------------------------------------------- the command


def _run(args, capsys):
    code = main(["corpus", "stats", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _plain_dataset(root: Path) -> Path:
    root.mkdir()
    for i in range(3):
        (root / f"p{i}.html").write_text(f"<html><body><nav><a href='/'>Home</a></nav><p>{BODY}</p></body></html>")
        (root / f"p{i}.txt").write_text(BODY)
    return root


def test_json_gives_summaries_and_every_page_side_by_side(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "c")
    plain = _plain_dataset(tmp_path / "plain")
    code, out, _ = _run(["--corpus", corpus, "--against", f"plain:{plain}", "--format", "json"], capsys)
    assert code == 0
    ours, theirs = json.loads(out)["corpora"]
    assert (ours["name"], ours["pages"], theirs["name"], theirs["pages"]) == ("c", 3, "plain", 3)
    assert set(ours["statistics"]) == {statistic.key for statistic in STATISTICS}
    assert ours["statistics"]["kb"]["median"] == round(len(load_corpus(corpus).pages[0].raw) / 1000, 4)
    assert ours["statistics"]["iframes"] == {"n": 3, "share": 0.0}
    assert theirs["statistics"]["body_share"]["median"] < 1 and len(theirs["per_page"]) == 3
    assert ours["body_classes"] == {"distinct": 0, "top": []}


def test_table_and_csv(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "c")
    code, out, _ = _run(["--corpus", corpus], capsys)
    assert code == 0
    for statistic in STATISTICS:
        assert statistic.label in out
    assert "median [p10–p90]" in out and "c (3, unstated)" in out
    code, out, _ = _run(["--corpus", corpus, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(STATISTICS)
    assert {row["statistic"] for row in rows} == set(BY_KEY) and rows[0]["corpus"] == "c"


@pytest.mark.parametrize("args, message", [
    (["--dataset", "nonsense"], "write KIND:PATH"),
    (["--dataset", "aeb:/no/such/folder"], "no such file or folder"),
    (["--against", "wat:/x"], "dataset kind 'wat' unknown"),
])
def test_bad_datasets_get_a_message_and_exit_2(tmp_path, capsys, args, message):
    code, _, err = _run(["--corpus", good_corpus(tmp_path), *args] if args[0] == "--against" else args, capsys)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_corpus_and_a_dataset_at_once_is_a_usage_error(tmp_path, capsys):
    code, _, err = _run(["--corpus", good_corpus(tmp_path), "--dataset", "aeb:x"], capsys)
    assert code == 2 and "not both" in err


def test_a_folder_with_no_readable_page_says_so(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    (tmp_path / "gold").mkdir()
    code, _, err = _run(["--corpus", tmp_path], capsys)
    assert code == 2 and "no page of" in err


@pytest.mark.parametrize("kind", ["aeb", "snippets", "cleaneval", "readability", "plain"])
def test_every_importable_dataset_kind_can_be_weighed(tmp_path, capsys, kind):
    from tests.corpus import test_datasets

    source = getattr(test_datasets, f"write_{kind}")(tmp_path / kind)
    code, out, err = _run(["--dataset", f"{kind}:{source}", "--format", "json"], capsys)
    assert code == 0, err
    (weight,) = json.loads(out)["corpora"]
    assert weight["pages"] >= 2 and weight["statistics"]["elements"]["median"] > 0
    if kind == "snippets":  # no body gold: nothing to measure the body against
        assert weight["statistics"]["body_share"] == {"n": 0}
    else:
        assert weight["statistics"]["body_share"]["n"] == weight["pages"]
