"""Visible text feeds the full-text baseline and the gold coverage check."""

from benchmark.corpus.visible_text import jsonld_article_bodies, visible_text

PAGE = """<!DOCTYPE html><html><head><title>Title only in the tab</title>
<style>.x{color:red}</style><script>var hidden = "script text";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<div id="story"><p>First <b>bold</b> paragraph.</p><p>Second paragraph.</p></div>
<noscript><p>Enable JavaScript to read the rest.</p></noscript>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "NewsArticle", "articleBody": "Body kept only in JSON-LD."}]}</script>
<template><p>template text</p></template>
</body></html>"""


def test_blocks_become_lines_and_invisible_parts_are_dropped():
    text = visible_text(PAGE)
    assert text.splitlines() == ["Home | World", "First bold paragraph.", "Second paragraph.",
                                 "Enable JavaScript to read the rest."]


def test_noscript_can_be_excluded_and_jsonld_included():
    assert "Enable JavaScript" not in visible_text(PAGE, include_noscript=False)
    assert visible_text(PAGE, include_jsonld_body=True).endswith("Body kept only in JSON-LD.")
    assert jsonld_article_bodies(PAGE) == ["Body kept only in JSON-LD."]


def test_broken_jsonld_is_ignored():
    assert jsonld_article_bodies('<script type="application/ld+json">{not json</script><p>x</p>') == []


def test_degenerate_input():
    assert visible_text("") == ""
    assert visible_text("   \n ") == ""
    deep = "<html><body>" + "<div>" * 20000 + "deep" + "</div>" * 20000 + "</body></html>"
    assert isinstance(visible_text(deep), str)  # no RecursionError; libxml2 may drop the text
    assert visible_text('<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>ok</p></body></html>') == "ok"
