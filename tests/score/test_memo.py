"""Scores kept beside cached extractions: replayed only while everything they were computed from is the same."""

from __future__ import annotations

from benchmark.records import Card, Extraction, Gold, Outcome
from benchmark.run.cache import Cache, CacheKey
from benchmark.score.lexicon import Lexicon, load_lexicon
from benchmark.score.memo import ScoreMemo
from benchmark.score.scoring import score_pair

KEY = CacheKey(extractor="x", version="1", options_digest="o", page_sha256="p", input_digest="i", code_digest="c")
CARD = Card(url="https://example.com/a", site="example", language="en", published=None,
            chrome=("Share this",), must_include=("harbour",))
GOLD = Gold(page_id="a", path="gold/a.txt", text="The harbour bridge reopened on Monday.")


def _extraction(text="The harbour bridge reopened. Share this", ms=12.5, cached=True) -> Extraction:
    return Extraction(extractor="x", page_id="a", outcome=Outcome.OK, text=text, ms=ms, cached=cached)


def _score(memo: ScoreMemo, extraction: Extraction, gold: Gold = GOLD, card: Card = CARD,
           lexicon: Lexicon | None = None):
    lexicon = lexicon or load_lexicon()
    computed = []

    def compute():
        computed.append(True)
        return score_pair(extraction, gold, card, lexicon)

    return memo.score(extraction, gold, card, lexicon, compute), bool(computed)


def test_a_stored_score_is_replayed_only_for_the_same_extraction_gold_card_and_lexicon(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        first, computed = _score(ScoreMemo(cache, lambda e: KEY), _extraction(cached=False))
        assert computed and first.chrome_leaked == ("Share this",)
        memo = ScoreMemo(cache, lambda e: KEY)  # the next run
        replay, computed = _score(memo, _extraction())
        assert not computed and replay == first and memo.replayed == 1
        changes = {
            "gold": dict(gold=Gold(page_id="a", path="gold/a.txt", text="The harbour bridge reopened.")),
            "card": dict(card=Card(url=CARD.url, site="example", language="en", published=None)),
            "lexicon": dict(lexicon=Lexicon(version="other", phrases=("Share this",))),
        }
        for what, change in changes.items():
            _, computed = _score(ScoreMemo(cache, lambda e: KEY), _extraction(), **change)
            assert computed, f"a changed {what} must be scored again"
        other_text, computed = _score(ScoreMemo(cache, lambda e: KEY), _extraction(text="Other text", ms=3.0))
        assert computed and other_text.f1 != first.f1, "another extraction under the same key is scored again"


def test_pairs_without_a_key_are_scored_and_not_stored(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        memo = ScoreMemo(cache, lambda e: None)
        _, computed = _score(memo, _extraction())
        _, again = _score(memo, _extraction())
        assert computed and again and memo.replayed == 0
