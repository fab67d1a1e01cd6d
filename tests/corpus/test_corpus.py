"""Corpus loading and the validation rules of DESIGN.md, on small corpora and the real one."""

from pathlib import Path

import pytest

from benchmark.corpus.bundled import bundled_root, load_corpus
from benchmark.corpus.validation import validate
from tests.corpus_builders import card_toml, good_corpus, write_page

REPO = Path(__file__).resolve().parents[2]


def messages(problems):
    return [str(p) for p in problems]


def test_good_corpus_loads_and_validates(tmp_path):
    corpus = load_corpus(good_corpus(tmp_path))
    assert len(corpus.pages) == 3 and set(corpus.golds) == {p.page_id for p in corpus.pages}
    assert validate(corpus) == []
    assert len(corpus.digest) == 64


def test_digest_changes_with_any_gold_byte(tmp_path):
    before = load_corpus(good_corpus(tmp_path)).digest
    gold = tmp_path / "gold" / "example-2019-ferry-1.txt"
    gold.write_text(gold.read_text() + " ")
    assert load_corpus(tmp_path).digest != before


@pytest.mark.parametrize(
    "kwargs, expected, blocks",
    [
        ({"gold": None}, "page without gold", True),
        ({"card": False}, "page without a card", True),
        ({"card": "url = [unclosed"}, "card is not valid TOML", True),
        ({"card": b"\xff\xfe bad"}, "card is not UTF-8", True),
        ({"gold": b"\xff\xfe\x00bad latin \xe9"}, "gold is not UTF-8", True),
        ({"card": card_toml().replace('site = "example"\n', "")}, "card lacks the field 'site'", False),
        ({"card": card_toml().replace("2019-05-04", '"May 4th"')}, "is not a date", False),
        ({"gold": "The harbour board aproved the new fery terminal on Tusday"}, "gold coverage", False),
        ({"card": card_toml(chrome=("E-mail to a friend", "Share this on:", "Print this page"))},
         "'Print this page' is not visible on the page", False),
        ({"gold": "The harbour board approved it. E-mail to a friend"}, "occurs in the gold", False),
        ({"card": card_toml(must=("ferry terminal", "seven bridges"))}, "'seven bridges' is not in the gold",
         False),
        ({"gold": ""}, "gold is empty", False),
        ({"html": b""}, "page is empty", False),
    ],
)
def test_each_rule_names_the_file(tmp_path, kwargs, expected, blocks):
    good_corpus(tmp_path, n=1)
    write_page(tmp_path, "example-2019-broken", **kwargs)
    corpus = load_corpus(tmp_path)
    problems = [p for p in validate(corpus) if p.page_id == "example-2019-broken"]
    assert any(expected in str(p) for p in problems), messages(problems)
    assert all("example-2019-broken" in p.path for p in problems)
    assert any(p.blocks_page for p in problems) == blocks
    # the good page is always still there
    assert "example-2019-ferry-0" in {p.page_id for p in corpus.pages}


def test_orphan_gold_and_duplicate_ids(tmp_path):
    good_corpus(tmp_path, n=1)
    (tmp_path / "gold" / "example-2019-orphan.txt").write_text("text")
    (tmp_path / "pages" / "Example-2019-Ferry-0.htm").write_text("<p>x</p>")
    found = messages(validate(load_corpus(tmp_path)))
    assert any("gold without a page" in m and "example-2019-orphan.txt" in m for m in found)
    assert any("duplicate page id" in m for m in found)


def test_missing_folders(tmp_path):
    corpus = load_corpus(tmp_path)
    assert corpus.pages == () and any("folder missing" in str(p) for p in corpus.problems)


def test_bundled_root_is_this_checkout():
    assert bundled_root() == REPO


def test_bundled_corpus_is_valid():
    """Every rule holds on the checkout's corpus; warnings (real-page ranges) and notes are shown, not failed."""
    corpus = load_corpus(REPO)
    problems = [p for p in validate(corpus) if p.fails]
    assert problems == [], "\n".join(messages(problems))
    assert len(corpus.pages) >= 10
