"""The string values of a page's inline JSON application state, where single-page apps keep the article body.

A `state-blob-body` page (gold/GUIDELINES.md) server-renders a teaser and
keeps the whole body in a script: `<script type="application/json">`,
`__NEXT_DATA__`, `window.__INITIAL_STATE__ = {...}`, `Fusion.globalContent =
{...}`, the JSON objects inside Nuxt's `window.__NUXT__=(function(a,b){return
{...}}(...))`, or a JSON string given to `JSON.parse("...")`. Validation counts
these strings as page text for gold coverage.

Objects are found with `json.JSONDecoder.raw_decode` at each `{`. The
decoder's `object_pairs_hook` harvests every object it completes, even inside
a JavaScript literal that later fails to parse (Nuxt's unquoted keys), so a
failed attempt resumes where the decoder stopped, never at the next
character: each character of a script is read a bounded number of times
(linear time, no matter how the state nests).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any, Iterator

#: script types that carry data rather than code; JSON-LD has its own reader (visible_text.jsonld_article_bodies)
_JSON_TYPES = frozenset({"application/json", "text/json"})
_SKIPPED_TYPES = frozenset({"application/ld+json"})
_JSON_PARSE_RE = re.compile(r"JSON\.parse\(\s*(?=[\"'])")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]{0,2000}>")
#: tags that end a line when a state string holds markup (a paragraph, an item, a row stays one line)
_LINE_TAGS = frozenset({"p", "div", "li", "ul", "ol", "tr", "table", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "section", "figure", "figcaption"})
_SPACE_RE = re.compile(r"[^\S\n]+")
_LINE_EDGE_RE = re.compile(r" ?\n[\s]*")


class _Harvest:
    """Collects the string values of every JSON object the decoder completes."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.decoder = json.JSONDecoder(object_pairs_hook=self._object)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict:
        for _, value in pairs:
            self._collect(value)
        return {}  # the caller never needs the object itself: its strings are taken here

    def _collect(self, value: Any) -> None:
        """Strings directly in a value and in its arrays; nested objects were harvested when they closed."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if item.strip():
                    self.strings.append(item)
            elif isinstance(item, list):
                stack.extend(reversed(item))

    def scan(self, text: str) -> None:
        """Every JSON object in a script's text (and in JSON strings passed to JSON.parse)."""
        for match in _JSON_PARSE_RE.finditer(text):
            self._json_string(text, match.end())
        position = text.find("{")
        while position != -1:
            try:
                _, end = self.decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                # the decoder read up to exc.pos; an unterminated string it read to the end of the text
                end = len(text) if exc.msg.startswith("Unterminated string") else max(exc.pos, position + 1)
            except RecursionError:  # absurd nesting: what closed before it was harvested
                end = position + 1
            position = text.find("{", end)

    def _json_string(self, text: str, start: int) -> None:
        """`JSON.parse("{\\"post\\": ...}")`: the literal is a JSON string whose value is JSON again."""
        if text.startswith("'", start):  # a single-quoted JS string: not JSON, and rare; skip it
            return
        try:
            inner, _ = json.JSONDecoder().raw_decode(text, start)
        except (json.JSONDecodeError, RecursionError):
            return
        if isinstance(inner, str):
            self.scan_whole(inner)

    def scan_whole(self, text: str) -> None:
        """A script that is JSON as a whole (application/json, __NEXT_DATA__), else scanned for objects."""
        stripped = text.strip()
        try:
            value = self.decoder.decode(stripped)
        except (json.JSONDecodeError, RecursionError):
            self.scan(stripped)
            return
        self._collect(value)


def _tag_break(match: re.Match[str]) -> str:
    return "\n" if match.group(2).lower() in _LINE_TAGS else " "


def _as_text(value: str) -> str:
    """A state string as text, its lines kept (a table's rows, a list's items): markup removed, entities decoded."""
    if "<" in value and ">" in value:
        value = _TAG_RE.sub(_tag_break, value)
    text = _SPACE_RE.sub(" ", html_lib.unescape(value))
    return _LINE_EDGE_RE.sub("\n", text).strip()


def _state_scripts(root) -> Iterator[tuple[str, bool]]:
    """(script text, whether it is JSON as a whole) for every inline script that may hold state."""
    for script in root.iter("script"):
        if script.get("src") or not script.text:
            continue
        kind = (script.get("type") or "").strip().lower()
        if kind in _SKIPPED_TYPES:
            continue
        yield script.text, kind in _JSON_TYPES or script.get("id") == "__NEXT_DATA__"


def state_strings(root) -> list[str]:
    """The string values of every inline JSON state object on the page, as text (inner objects first)."""
    if root is None:
        return []
    harvest = _Harvest()
    for text, whole in _state_scripts(root):
        if whole:
            harvest.scan_whole(text)
        else:
            harvest.scan(text)
    return [text for text in map(_as_text, harvest.strings) if text]
