"""The bundled corpus meets its quotas (issue 3), counted from the cards and the files themselves."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

from benchmark.corpus.bundled import load_corpus
from benchmark.corpus.decoding import declared_encoding
from benchmark.corpus.visible_text import visible_text
from benchmark.score.metrics import prf, token_overlap
from benchmark.score.textnorm import tokenize

REPO = Path(__file__).resolve().parents[2]
DIFFICULTIES = ("chrome-in-body", "caption-repeats-lead", "story-highlights", "split-body", "long-comments",
                "live-blog", "gallery-captions", "body-lists-tables", "pull-quote", "paywall-teaser",
                "jsonld-body", "noscript-body", "paginated", "embed", "author-bio", "correction-note")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO)


def _language(page) -> str:
    return page.card.language.split("-")[0].lower()


def test_size_and_templates(corpus):
    n_pages = len(corpus.pages)
    assert n_pages >= 60, f"{n_pages} pages"
    sites = Counter(page.card.site for page in corpus.pages)
    assert len(sites) >= 30, sites


def test_eras(corpus):
    eras = Counter(page.card.era for page in corpus.pages)
    assert eras["1998-2009"] >= 10 and eras["2010-2016"] >= 15 and eras["2017-2026"] >= 20, eras


def test_languages(corpus):
    languages = Counter(_language(page) for page in corpus.pages)
    assert len(languages) >= 8, languages
    assert languages["zh"] + languages["ja"] >= 3, languages
    rtl = [p.page_id for p in corpus.pages if _language(p) in {"ar", "he"} and 'dir="rtl"' in p.html.replace("'", '"')]
    assert len(rtl) >= 2, rtl


def test_charsets(corpus):
    legacy = [p for p in corpus.pages if not p.encoding.replace("_", "-").lower().startswith("utf")]
    assert len(legacy) >= 8, [p.page_id for p in legacy]
    late = [p.page_id for p in corpus.pages
            if declared_encoding(p.raw) and declared_encoding(p.raw[:1024]) is None]
    assert late, "no page declares its charset after byte 1024"
    wrong = [p.page_id for p in corpus.pages if p.encoding_source == "utf-8-over-declared"]
    assert wrong, "no page whose declaration is wrong"


@pytest.mark.parametrize("tag", DIFFICULTIES)
def test_each_difficulty_at_least_twice(corpus, tag):
    pages = [p.page_id for p in corpus.pages if tag in p.card.layout]
    assert len(pages) >= 2, f"layout tag {tag!r} on {pages}"


def test_annotations_per_card(corpus):
    thin = [p.page_id for p in corpus.pages if len(p.card.chrome) < 3 or len(p.card.must_include) < 2]
    assert thin == [], "cards with fewer than 3 chrome strings or 2 must_include passages"


def test_gold_lengths(corpus):
    lengths = {pid: len(tokenize(gold.text)) for pid, gold in corpus.golds.items()}
    assert min(lengths.values()) >= 40 and max(lengths.values()) <= 3500, lengths
    assert max(lengths.values()) >= 1500, "no long article"


def test_body_is_a_minority_of_the_page(corpus):
    """The full-text baseline's precision is the gold share of the page; real pages are mostly chrome."""
    precisions = []
    for page in corpus.pages:
        pred, gold = tokenize(visible_text(page.html)), tokenize(corpus.golds[page.page_id].text)
        overlap = token_overlap(pred, gold)
        precisions.append(prf(overlap.common, overlap.n_pred, overlap.n_gold)[0])
    assert statistics.mean(precisions) < 0.5
