"""The invisible weight of a saved news page, generated: bundles, state blobs, ad slots, head tags.

Real saved pages are about 7% visible text: the rest is minified bundles,
inline application state, ad-slot configuration, analytics and consent
scripts, tracking pixels and head tags (shared/PAGE-AUTHORING.md, section 5).
Pages in `pages/` mark where such weight sits with a pair of CMS-style
comments, `<!-- begin KIND ARGS -->` ... `<!-- end KIND -->`; `fill(kind,
args, ctx)` returns what goes between them.

The fills live in `fill_head.py` and `fill_body.py`, on what `fill_basics.py`
gives them. Every fill is a pure function of the page (its id, card, gold) and the region,
so re-weighing a page changes nothing and a test can prove `pages/` is the
build's output. Every byte is ASCII (text as character references or JSON
\\u escapes), so one fill is valid in any page charset. Fills carry no visible
text: labels such as "Advertisement" are written by hand beside the region.
"""

from __future__ import annotations

from typing import Callable

from families import FAMILIES, Family
from fill_basics import PageContext
from fill_body import (fill_ad_slot, fill_cms_notes, fill_icons, fill_iframe, fill_jsonld, fill_logo, fill_picture,
                       fill_pixels, fill_state, fill_svg_sprite, fill_tracking)
from fill_head import fill_bundle, fill_head_meta, fill_head_scripts, fill_scripts, fill_style

__all__ = ["FILLS", "PageContext", "family", "fill"]


FILLS: dict[str, Callable[[PageContext, list[str]], str]] = {
    "head-meta": fill_head_meta,
    "head-scripts": fill_head_scripts,
    "scripts": fill_scripts,
    "style": fill_style,
    "bundle": fill_bundle,
    "state": fill_state,
    "jsonld": fill_jsonld,
    "ad-slot": fill_ad_slot,
    "pixels": fill_pixels,
    "iframe": fill_iframe,
    "svg-sprite": fill_svg_sprite,
    "icons": fill_icons,
    "logo": fill_logo,
    "picture": fill_picture,
    "tracking": fill_tracking,
    "cms-notes": fill_cms_notes,
}


def fill(kind: str, args: list[str], ctx: PageContext) -> str:
    """The content of one weight region; an unknown kind is an error naming the kinds there are."""
    try:
        function = FILLS[kind]
    except KeyError:
        raise ValueError(f"unknown region kind {kind!r}: one of {', '.join(sorted(FILLS))}") from None
    text = function(ctx, args)
    text.encode("ascii")  # every fill must be ASCII: it is spliced into pages of any charset
    return text


def family(name: str) -> Family:
    """The family of a card's `template`; an unknown one names the families there are."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown template family {name!r}: one of {', '.join(sorted(FAMILIES))}") from None
