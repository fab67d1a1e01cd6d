"""The bundled corpus meets its quotas (issues 3 and 11), counted from the cards and the files themselves.

Weight and body-share spread are targets of their own (test_corpus_weight.py).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from benchmark.corpus.bundled import load_corpus
from benchmark.corpus.card_lint import TEMPLATES
from benchmark.corpus.decoding import declared_encoding
from benchmark.score.textnorm import tokenize

REPO = Path(__file__).resolve().parents[2]
#: difficulty tags of the first corpus: each on at least two pages
DIFFICULTIES = ("chrome-in-body", "caption-repeats-lead", "story-highlights", "split-body", "long-comments",
                "live-blog", "gallery-captions", "body-lists-tables", "pull-quote", "paywall-teaser",
                "jsonld-body", "noscript-body", "paginated", "embed", "author-bio", "correction-note")
#: difficulties added with the corpus at real weight (issue 11): each on at least three pages
NEW_DIFFICULTIES = ("state-blob-body", "amp", "next-article", "homepage-teasers", "wire-copy", "faq", "transcript",
                    "comments-in-body", "consent-wall")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO)


def _language(page) -> str:
    return page.card.language.split("-")[0].lower()


def test_pages_and_outlets(corpus):
    assert len(corpus.pages) >= 150, f"{len(corpus.pages)} pages"
    sites = Counter(page.card.site for page in corpus.pages)
    assert len(sites) >= 75, f"{len(sites)} outlets"


def test_templates(corpus):
    templates = Counter(dict(page.card.extra).get("template") for page in corpus.pages)
    assert None not in templates, "pages without a template: " + ", ".join(
        p.page_id for p in corpus.pages if "template" not in dict(p.card.extra))
    assert set(templates) <= set(TEMPLATES), set(templates) - set(TEMPLATES)
    assert len(templates) >= 12, templates


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
def test_each_first_difficulty_at_least_twice(corpus, tag):
    pages = [p.page_id for p in corpus.pages if tag in p.card.layout]
    assert len(pages) >= 2, f"layout tag {tag!r} on {pages}"


@pytest.mark.parametrize("tag", NEW_DIFFICULTIES)
def test_each_new_difficulty_at_least_three_times(corpus, tag):
    pages = [p.page_id for p in corpus.pages if tag in p.card.layout]
    assert len(pages) >= 3, f"layout tag {tag!r} on {pages}"


def test_annotations_per_card(corpus):
    thin = [p.page_id for p in corpus.pages if len(p.card.chrome) < 3 or len(p.card.must_include) < 2]
    assert thin == [], "cards with fewer than 3 chrome strings or 2 must_include passages"


def test_gold_lengths(corpus):
    """News briefs and long reads both: p10 at most 120 tokens, p90 at least 1,500, none under 40 or over 3,500."""
    lengths = {pid: len(tokenize(gold.text)) for pid, gold in corpus.golds.items()}
    p10, p90 = np.percentile(list(lengths.values()), [10, 90])
    assert p10 <= 120 and p90 >= 1500, f"gold tokens p10 {p10:.0f}, p90 {p90:.0f}"
    outside = {pid: n for pid, n in lengths.items() if not 40 <= n <= 3500}
    assert outside == {}, outside
