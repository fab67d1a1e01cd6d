"""The matrix's plan (combinations, neighbours), version arguments, and the bisection's search over releases."""

from __future__ import annotations

import pytest

from benchmark.versions.bisect import Verdict, search
from benchmark.versions.combinations import Combination, Pin
from benchmark.versions.index import VersionLookupError, between, check_versions, parse_pins
from benchmark.versions.matrix import Axis, combinations, neighbours


def test_combinations_vary_the_extractor_fastest_and_neighbours_differ_by_one_step():
    axes = [Axis("newspaper3k", ("0.2.7", "0.2.8")), Axis("lxml", ("5.4.0", "6.1.3"))]
    combos = combinations(axes)
    assert [c.label for c in combos] == [
        "newspaper3k 0.2.7, lxml 5.4.0", "newspaper3k 0.2.8, lxml 5.4.0",
        "newspaper3k 0.2.7, lxml 6.1.3", "newspaper3k 0.2.8, lxml 6.1.3"]
    pairs = {(a.slug, b.slug) for a, b in neighbours(axes, combos)}
    assert pairs == {
        ("newspaper3k-0.2.7+lxml-5.4.0", "newspaper3k-0.2.8+lxml-5.4.0"),
        ("newspaper3k-0.2.7+lxml-6.1.3", "newspaper3k-0.2.8+lxml-6.1.3"),
        ("newspaper3k-0.2.7+lxml-5.4.0", "newspaper3k-0.2.7+lxml-6.1.3"),
        ("newspaper3k-0.2.8+lxml-5.4.0", "newspaper3k-0.2.8+lxml-6.1.3"),
    }  # never the diagonal: two things changed at once
    assert combos[0].requirements == ("newspaper3k==0.2.7", "lxml==5.4.0")


@pytest.mark.parametrize("argument", ["trafilatura", "trafilatura==", "trafilatura==1.0,,2.0", "==1.0",
                                      "trafilatura==1.0,1.0", "bad name==1.0"])
def test_malformed_pins_say_the_form(argument):
    with pytest.raises(ValueError, match="PACKAGE==VERSION|twice"):
        parse_pins(argument)


def test_versions_are_checked_and_ordered_as_releases():
    published = ["0.9.3", "1.6.4", "1.12.2", "2.0.0", "2.1.0rc1", "2.3.1"]
    assert check_versions("trafilatura", ["2.3.1", "1.12.2", "1.6.4"], published) == ["1.6.4", "1.12.2", "2.3.1"]
    assert check_versions("trafilatura", ["2.0"], published) == ["2.0.0"]  # PEP 440: 2.0 is 2.0.0
    with pytest.raises(VersionLookupError, match="trafilatura has no release 1.7; published: 0.9.3, 1.6.4"):
        check_versions("trafilatura", ["1.7"], published)
    assert between(published, "1.6.4", "2.3.1") == ["1.6.4", "1.12.2", "2.0.0", "2.3.1"]
    assert between(published, "1.6.4", "2.3.1", pre=True) == ["1.6.4", "1.12.2", "2.0.0", "2.1.0rc1", "2.3.1"]


def _judge(first_bad: str, unbuildable: set[str], seen: list[str]):
    releases = ["1", "2", "3", "4", "5", "6", "7", "8"]

    def judge(version: str) -> Verdict:
        seen.append(version)
        if version in unbuildable:
            return Verdict(version, built=False, reason="no wheel")
        bad = first_bad in releases and releases.index(version) >= releases.index(first_bad)
        return Verdict(version, built=True, bad=bad)

    return releases, judge


@pytest.mark.parametrize("first_bad", ["2", "5", "8"])
def test_search_finds_the_first_bad_release_building_few(first_bad):
    seen: list[str] = []
    releases, judge = _judge(first_bad, set(), seen)
    outcome = search(releases, judge)
    assert (outcome.last_good, outcome.first_bad) == (releases[releases.index(first_bad) - 1], first_bad)
    assert len(seen) <= 2 + 3  # GOOD, BAD and log2(6) rounded up
    assert len(set(seen)) == len(seen)  # no release built twice


def test_search_skips_releases_that_cannot_be_built_and_says_which():
    seen: list[str] = []
    releases, judge = _judge("5", {"4", "5"}, seen)
    outcome = search(releases, judge)
    assert (outcome.last_good, outcome.first_bad, outcome.skipped) == ("3", "6", ["4", "5"])


def test_search_reports_no_drop_when_bad_is_not_worse():
    seen: list[str] = []
    releases, judge = _judge("none", set(), seen)  # nothing is bad
    outcome = search(releases, judge)
    assert outcome.no_drop and outcome.first_bad is None and seen == ["1", "8"]


def test_a_combination_names_its_folder_and_requirements():
    combo = Combination((Pin("readability-lxml", "0.8.4.1"), Pin("lxml", "5.4.0")))
    assert combo.slug == "readability-lxml-0.8.4.1+lxml-5.4.0"
    assert combo.label == "readability-lxml 0.8.4.1, lxml 5.4.0"


def test_a_matrix_run_names_the_lxml_its_workers_had_not_the_harnesss():
    """newspaper3k==0.2.8 --with lxml==5.4.0 ran on lxml 5.4.0: run.json and the report's provenance must say so."""
    from benchmark.versions.matrix import worker_libraries

    harness = {"lxml": "6.1.3", "libxml2": "2.14.6", "pandas": "3.1.1"}
    meta = {"libraries": harness, "extractors": {
        "newspaper3k": {"code": {"dependencies": {"lxml": "5.4.0", "libxml2": "2.13.8", "nltk": "3.9"}}},
        "gold": {"code": {"dependencies": {}}}}}
    assert worker_libraries(meta) == {"lxml": "5.4.0", "libxml2": "2.13.8"}
    assert worker_libraries({"libraries": harness, "extractors": {"x": {"code": {}}}}) == harness
