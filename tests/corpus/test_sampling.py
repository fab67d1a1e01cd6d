"""`run --sample N`: a seeded sample, stratified by language and era (else site), marked as a sample."""

from __future__ import annotations

import dataclasses
import datetime as dt

from benchmark.corpus.sampling import allocate, sample_corpus, strata_of
from benchmark.records import Card, Corpus, Gold, Provenance
from tests.fakes import page


def corpus_of(cards: list[Card]) -> Corpus:
    pages = tuple(dataclasses.replace(page(f"p{i:03d}"), card=card) for i, card in enumerate(cards))
    return Corpus(root="mem", name="mixed", pages=pages, golds={p.page_id: Gold(p.page_id, "", "x") for p in pages},
                  digest="d" * 64, provenance=Provenance(kind="real", title="Mixed", summary="Pages."))


def card(language="und", year=None, site="unknown") -> Card:
    return Card(url="", site=site, language=language, published=dt.date(year, 1, 1) if year else None)


MIXED = [card("en", 2019)] * 60 + [card("de-AT", 2008)] * 30 + [card("fr")] * 10


def test_each_stratum_gets_its_share():
    sample = sample_corpus(corpus_of(MIXED), 10, seed=7)
    by, groups = strata_of(sample)
    assert by == "language x era"
    assert {label: len(members) for label, members in groups.items()} == {
        "en 2017-2026": 6, "de 1998-2009": 3, "fr unknown": 1}


def test_the_same_seed_gives_the_same_sample_and_another_seed_another():
    corpus = corpus_of(MIXED)
    ids = lambda seed: [p.page_id for p in sample_corpus(corpus, 10, seed=seed).pages]  # noqa: E731
    assert ids(7) == ids(7)
    assert ids(7) != ids(8)


def test_without_language_or_era_the_site_stratifies():
    cards = [card(site="a.example")] * 8 + [card(site="b.example")] * 2
    sample = sample_corpus(corpus_of(cards), 5, seed=1)
    by, groups = strata_of(sample)
    assert by == "site" and {k: len(v) for k, v in groups.items()} == {"a.example": 4, "b.example": 1}


def test_a_sample_says_it_is_one_and_keeps_only_its_golds():
    corpus = corpus_of(MIXED)
    sample = sample_corpus(corpus, 10, seed=7)
    assert sample.name == "mixed-sample10" and sample.digest != corpus.digest
    assert set(sample.golds) == {p.page_id for p in sample.pages}
    assert sample.provenance.title == "Mixed, sample of 10"
    assert "seeded sample of 10 of its 100 pages, stratified by language x era (seed 7)" in sample.provenance.summary
    assert sample_corpus(corpus, 100, seed=7) is corpus


def test_allocation_adds_up_and_gives_the_spare_to_the_largest_remainders():
    assert allocate({"a": 5, "b": 3, "c": 2}, 4) == {"a": 2, "b": 1, "c": 1}
    assert sum(allocate({"a": 1, "b": 1, "c": 1}, 2).values()) == 2
