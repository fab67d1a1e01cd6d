"""A third-party boilerbench plugin: registers its extractor through the entry point group."""

from __future__ import annotations

import re

_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def specs():
    """The entry point: boilerbench calls it for the specs this package adds."""
    from benchmark.records import ExtractorSpec

    return [ExtractorSpec(
        name="fixture-paragraphs", target="bb_plugin_fixture:paragraphs", kind="article", input="text",
        distribution="boilerbench-plugin-fixture", options={"min_chars": 20}, modules=("bb_plugin_fixture",),
        install="pip install tests/plugin_fixture",
        description="every <p> of at least min_chars characters (a test plugin)")]


def paragraphs(page, *, min_chars: int = 20) -> str:
    """The text of every long enough paragraph, one per line."""
    found = (" ".join(_TAG_RE.sub(" ", match).split()) for match in _PARAGRAPH_RE.findall(page.html))
    return "\n".join(text for text in found if len(text) >= min_chars)
