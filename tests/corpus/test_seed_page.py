"""The user's own example: CNN, 6 April 2008, rebuilt so every line of the saved text is where CNN put it."""

import re
from pathlib import Path

import pytest

from benchmark.corpus.bundled import load_corpus
from benchmark.corpus.visible_text import visible_text
from benchmark.score.metrics import find_passages

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "000_c7e7a94a961a341f.txt"
PAGE_ID = "cnn-2008-bush-putin-sochi"


@pytest.fixture(scope="module")
def seed_page():
    corpus = load_corpus(REPO)
    page = next((p for p in corpus.pages if p.page_id == PAGE_ID), None)
    assert page is not None, f"pages/{PAGE_ID}.html is missing or unreadable"
    return page, corpus.golds[PAGE_ID]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_seed_line_appears_in_order(seed_page):
    if not SEED.exists():
        pytest.skip(f"{SEED} is not here (the shared folder travels beside the checkout)")
    page, _ = seed_page
    # the seed is a text browser's view: image alt text stands where the image is
    haystack = _squash(visible_text(page.html, include_alt=True))
    position = 0
    for line in SEED.read_text(encoding="utf-8").splitlines():
        needle = _squash(line.replace("•", ""))
        if not needle:
            continue
        assert needle in haystack, f"seed line not on the page: {needle!r}"
        found = haystack.find(needle, position)
        assert found >= 0, f"seed line out of order on the page: {needle!r}"
        position = found + 1


def test_gold_is_the_story_body_without_chrome(seed_page):
    page, gold = seed_page
    assert gold.text.startswith("SOCHI, Russia (CNN)")
    assert gold.text.rstrip().endswith("NATO leaders also approved membership plans for Croatia and Albania.")
    assert len(page.card.chrome) >= 3
    assert find_passages(gold.text, page.card.chrome) == ()
    for chrome in ("E-mail to a friend", "Decrease font", "Story Highlights", "Share this on:"):
        assert chrome not in gold.text
