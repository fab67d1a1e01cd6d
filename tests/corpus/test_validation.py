"""Validation beyond loading: structure marks against the page, inline state, the bundled corpus's card rules and lint,
and real-page ranges as warnings."""

from __future__ import annotations

import json

import pytest

from benchmark.cli import main
from benchmark.corpus.bundled import load_corpus
from benchmark.corpus.inline_state import _Harvest, state_strings
from benchmark.corpus.validation import validate
from benchmark.corpus.visible_text import parse_html
from tests.corpus_builders import ARTICLE, card_toml, good_corpus, page_html, write_page

PAGE_ID = "example-2019-structure"
LEAD = "The harbour board approved the new ferry terminal on Tuesday after a two year review."
TAIL = "Construction will begin in spring and cost an estimated 42 million dollars, officials said."
BODY_HTML = (f"<p>{LEAD}</p><h2>Where the money goes</h2><p><b>What happens next</b></p>"
             "<ul><li>New berths <ul><li>two of them</li></ul></li><li>A longer pier</li></ul>"
             "<ol><li>Design</li><li>Build</li></ol>"
             "<table><tr><th>Item</th><th>Cost</th></tr><tr><td>Berths</td><td>$20 million</td></tr></table>"
             "<blockquote><p>We waited long enough, the mayor wrote.</p></blockquote>"
             f"<p>{TAIL}</p>")
GOOD_GOLD = (f"{LEAD}\n\n## Where the money goes\n\n## What happens next\n\n- New berths\n- two of them\n"
             "- A longer pier\n\n1. Design\n2. Build\n\n| Item | Cost |\n|---|---|\n| Berths | $20 million |\n\n"
             f"> We waited long enough, the mayor wrote.\n\n{TAIL}\n")


def _structure_page(tmp_path, gold: str, body: str = BODY_HTML, layout=("share-bar",)):
    good_corpus(tmp_path, n=1)
    write_page(tmp_path, PAGE_ID, html=page_html().replace(f"<p>{ARTICLE}</p>", body), gold=gold,
               card=card_toml(layout=list(layout), must=("ferry terminal", "42 million dollars")))
    return [p for p in validate(load_corpus(tmp_path)) if p.page_id == PAGE_ID]


def test_a_gold_whose_marks_the_page_shows_validates(tmp_path):
    assert _structure_page(tmp_path, GOOD_GOLD) == []


@pytest.mark.parametrize("change, expected", [
    (("\n\n## Where the money goes\n\n", "\n\nWhere the money goes\n\n"), None),  # unmarking is always allowed
    ((LEAD, f"## {LEAD}"), "subhead 'The harbour board approved"),
    (("- A longer pier", "- A shorter pier"), "list item 'A shorter pier' is not the text of an <li>"),
    (("1. Design\n2. Build", "- Design\n- Build"), "list item 'Design' is in an <ol> on the page, marked '-'"),
    (("| Berths | $20 million |", "| Piers | $20 million |"), "table row 'Piers | $20 million' is not the cells"),
    (("| Item | Cost |", "| Item | Cost | When |"), "structure marks: block 6: ragged table rows"),
    ((f"\n\n{TAIL}", f"\n\n> {TAIL}"), "is not inside a <blockquote>"),
    (("- A longer pier", "A longer pier"), "structure marks: block 4: mixed lines"),
])
def test_a_mark_the_page_does_not_show_is_named(tmp_path, change, expected):
    problems = _structure_page(tmp_path, GOOD_GOLD.replace(*change))
    if expected is None:
        assert problems == []
        return
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.path.endswith(f"{PAGE_ID}.txt") and p.fails for p in problems)


def test_a_bold_line_inside_a_paragraph_is_not_a_heading(tmp_path):
    body = BODY_HTML.replace("<p><b>What happens next</b></p>", "<p><b>What happens next</b> is a vote.</p>")
    unmarked = GOOD_GOLD.replace("## What happens next", "What happens next is a vote.")
    assert _structure_page(tmp_path, unmarked, body=body) == []
    problems = _structure_page(tmp_path, GOOD_GOLD, body=body)
    assert any("subhead 'What happens next' is not a heading" in p.message for p in problems)


# --------------------------------------------------------------------------- inline state


STATE_BODY = ("The ferry board met on Tuesday and approved the new terminal for Port Alder.",
              "Work starts in spring; the harbour master said the old pier would close in March.")
STATE_SCRIPTS = {
    "next": '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"article":{"body":'
            + json.dumps(list(STATE_BODY)) + '}}}}</script>',
    "fusion": '<script>window.Fusion=window.Fusion||{};Fusion.arcSite="x";Fusion.globalContent='
              + json.dumps({"content_elements": [{"type": "text", "content": t} for t in STATE_BODY]})
              + ';Fusion.contentCache={};</script>',
    "nuxt": '<script>window.__NUXT__=(function(a,b){return {layout:"default",data:[{article:'
            + json.dumps({"paragraphs": [f"<p>{t}</p>" for t in STATE_BODY]})
            + '}],error:a,serverRendered:b}}(null,true));</script>',
    "initial-state": "<script>window.__INITIAL_STATE__ = " + json.dumps({"story": {"text": "\n\n".join(STATE_BODY)}})
                     + ";</script>",
    "json-parse": "<script>window._preloads = JSON.parse(" + json.dumps(json.dumps({"post": list(STATE_BODY)}))
                  + ")</script>",
}


@pytest.mark.parametrize("kind", sorted(STATE_SCRIPTS))
def test_state_strings_read_each_kind_of_inline_state(kind):
    root = parse_html(f"<html><body><p>Teaser.</p>{STATE_SCRIPTS[kind]}</body></html>")
    text = "\n".join(state_strings(root))
    assert all(paragraph in text for paragraph in STATE_BODY), text


def test_state_strings_skip_json_ld_and_external_scripts():
    root = parse_html('<html><body><script type="application/ld+json">{"articleBody": "x y"}</script>'
                      '<script src="/app.js">{"a": "from src"}</script></body></html>')
    assert state_strings(root) == []


def test_state_scan_is_linear_where_a_retry_at_every_brace_would_be_quadratic(monkeypatch):
    """Nested objects that fail at the very end: each character is read a bounded number of times."""
    text = '{"k": ' * 3000 + "undefined" + "}" * 3000 + ';var s = {"title": "kept"};'
    harvest, read = _Harvest(), []
    decode = harvest.decoder.raw_decode

    def counting(s, idx=0):
        try:
            value, end = decode(s, idx)
        except json.JSONDecodeError as exc:
            read.append(exc.pos - idx)
            raise
        read.append(end - idx)
        return value, end

    monkeypatch.setattr(harvest.decoder, "raw_decode", counting)
    harvest.scan(text)
    assert "kept" in harvest.strings
    assert sum(read) <= 2 * len(text), (sum(read), len(text))


def test_state_blob_body_counts_for_coverage_only_on_pages_tagged_so(tmp_path):
    gold = "\n\n".join(STATE_BODY) + "\n"
    html = page_html(body="Teaser.").replace("</body>", STATE_SCRIPTS["fusion"] + "</body>")
    good_corpus(tmp_path, n=1)
    must = ("ferry board met", "old pier would close")
    write_page(tmp_path, "example-2019-blob", html=html, gold=gold,
               card=card_toml(layout=["share-bar", "state-blob-body"], must=must))
    write_page(tmp_path, "example-2019-untagged", html=html, gold=gold, card=card_toml(must=must))
    found = validate(load_corpus(tmp_path))
    assert not [p for p in found if p.page_id == "example-2019-blob"], found
    assert any("gold coverage" in p.message for p in found if p.page_id == "example-2019-untagged")


def test_marks_of_a_body_kept_in_state_are_checked_as_text_with_the_reason(tmp_path):
    blocks = [STATE_BODY[0], "Where the money goes", "Pier\tCost\nNorth\t$2 million", "<ul><li>Design</li>"
              "<li>Build <b>it</b></li></ul>", STATE_BODY[1]]
    state = ('<script id="__NEXT_DATA__" type="application/json">' + json.dumps({"blocks": blocks}) + "</script>")
    html = page_html(body="Teaser.").replace("</body>", state + "</body>")
    good_corpus(tmp_path, n=1)
    write_page(tmp_path, "example-2019-blob", html=html,
               gold=f"{STATE_BODY[0]}\n\n## Where the money goes\n\n| Pier | Cost |\n|---|---|\n| North | $2 million |"
                    f"\n\n- Design\n- Build it\n\n## The new terminal\n\n{STATE_BODY[1]}\n",
               card=card_toml(layout=["share-bar", "state-blob-body"], must=("ferry board met", "old pier")))
    found = [p for p in validate(load_corpus(tmp_path)) if p.page_id == "example-2019-blob"]
    notes = [p for p in found if p.severity == "note"]
    errors = [p for p in found if p.fails]
    assert len(notes) == 1 and "5 marked unit(s) checked as text only" in notes[0].message
    assert "inline JSON state" in notes[0].message
    assert len(errors) == 1 and "subhead 'The new terminal' is not a heading" in errors[0].message


# --------------------------------------------------------------------------- bundled rules


def _authored(root, *, html: str | None = None, template: str | None = "wordpress", **card_fields):
    """One page in a corpus whose gold/CORPUS.toml says it was authored: the bundled corpus's rules apply."""
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / "gold" / "CORPUS.toml").write_text('kind = "authored"\ntitle = "test corpus"\n', encoding="utf-8")
    fields = {"template": template, **card_fields} if template is not None else card_fields
    write_page(root, "example-2019-authored", card=card_toml(**fields), html=html)
    return [p for p in validate(load_corpus(root)) if p.page_id == "example-2019-authored"]


def test_the_authored_test_page_passes_the_bundled_rules(tmp_path):
    assert _authored(tmp_path) == []


@pytest.mark.parametrize("fields, expected", [
    ({"template": None}, "card lacks the field 'template'"),
    ({"template": "wix"}, "template 'wix' is not a family of gold/GUIDELINES.md"),
    ({"chrome": ("E-mail to a friend", "Share this on:")}, "2 chrome string(s): list at least 3"),
    ({"must": ("ferry terminal",)}, "1 must_include passage(s): list at least 2"),
    ({"layout": []}, "shows the share tool 'Share this on' but the card lacks the layout tag 'share-bar'"),
])
def test_bundled_card_rules(tmp_path, fields, expected):
    problems = _authored(tmp_path, **fields)
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.path.endswith("example-2019-authored.toml") for p in problems)


@pytest.mark.parametrize("page_text, tag_needed", [
    ("<p class='bio'>Jan Koski can be reached at jkoski@example.org.</p>", "author-bio"),
    ("<p><i>Tom Halvorsen covers banking and finance for the Courier.</i></p>", "author-bio"),
    ("<div>Phil Helsel is a reporter for NBC News.</div>", "author-bio"),
    ("<div class='author'><h4>Über den Autor</h4><p>Katrin Vollmer schreibt über Verkehr.</p></div>", "author-bio"),
    ("<div class='tools'><a href='/p'>Drucken</a> | <a href='/m'>Versenden</a></div>", "share-bar"),
    ("<div>הדפס | שלח לחבר | הגב</div>", "share-bar"),
    ("<p>Readers can share this article with friends who print the newsletter.</p>", None),
    ("<p>The union covers workers at the plant for the first time.</p>", None),
])
def test_the_lint_finds_layout_tags_from_the_page(tmp_path, page_text, tag_needed):
    html = ("<html><head><meta charset='utf-8'></head><body><div class='story'>"
            f"<p>{ARTICLE}</p></div>{page_text}<div class='rail'><h3>Most Popular</h3>"
            "<p>Weather</p><p>Contact us</p></div></body></html>")
    chrome = ("Most Popular", "Weather", "Contact us")
    problems = _authored(tmp_path, layout=[], html=html, chrome=chrome)
    if tag_needed is None:
        assert problems == []
    else:
        assert [p.message for p in problems if "lacks the layout tag" in p.message] == [
            next(p.message for p in problems if f"lacks the layout tag '{tag_needed}'" in p.message)]
        assert _authored(tmp_path, layout=[tag_needed], html=html, chrome=chrome) == []


def test_imported_datasets_are_not_held_to_the_bundled_rules(tmp_path):
    write_page(tmp_path, "example-2019-imported", card=card_toml(chrome=(), must=(), layout=[]))
    assert validate(load_corpus(tmp_path)) == []


def test_range_warnings_do_not_fail_validation(tmp_path, capsys):
    _authored(tmp_path)
    found = validate(load_corpus(tmp_path))
    warnings = [p for p in found if p.severity == "warning"]
    assert warnings and not [p for p in found if p.fails]
    assert any(w.message.startswith("page size, KB: median") for w in warnings), warnings
    assert all(w.path.endswith("pages") and "AEB" in w.message for w in warnings)
    code = main(["validate", "--corpus", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "1 pages OK" in out and "warning(s)" in out and "warnings do not fail validation" in err
