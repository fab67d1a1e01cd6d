"""How an adapter reads a release's API: keyword truth table, and the signature read once per function."""

from __future__ import annotations

import inspect

import pytest

from benchmark.extractors import releases
from benchmark.extractors.releases import UnsupportedRelease, keywords_for, page_keyword


def extract_v1(html, include_tables=True, no_fallback=False, **kwargs):  # a 1.x-like API: **kwargs swallows
    return html


class Article:
    def download(self, input_html=None, title=None):
        return input_html


def test_options_named_or_renamed_pass_and_one_swallowed_by_kwargs_is_refused() -> None:
    assert keywords_for(extract_v1, {"include_tables": False, "fast": True}, module="m", what="w",
                        renames={"fast": "no_fallback"}) == {"include_tables": False, "no_fallback": True}
    with pytest.raises(UnsupportedRelease, match="takes no 'favor_recall' argument"):
        keywords_for(extract_v1, {"favor_recall": True}, module="m", what="w")


def test_page_keyword_reads_a_bound_method_and_refuses_when_none_fits() -> None:
    assert page_keyword(Article().download, ("input_html", "html"), module="m", what="w") == "input_html"
    with pytest.raises(UnsupportedRelease, match="takes none of url, link"):
        page_keyword(Article().download, ("url", "link"), module="m", what="w")


def test_the_signature_is_read_once_per_function_not_on_every_page(monkeypatch) -> None:
    """The adapters ask on every page inside the timed call: a second ask must not read the signature again."""
    reads = []
    signature = inspect.signature

    def counting_signature(function):
        reads.append(function.__qualname__)
        return signature(function)

    def extract_v2(html, include_tables=True):
        return html

    class Article2:
        def download(self, input_html=None):
            return input_html

    monkeypatch.setattr(releases.inspect, "signature", counting_signature)
    for _ in range(3):
        keywords_for(extract_v2, {"include_tables": False}, module="m", what="w")
        page_keyword(Article2().download, ("input_html",), module="m", what="w")  # a new instance every page
    assert sorted(reads) == sorted([extract_v2.__qualname__, Article2.download.__qualname__])
