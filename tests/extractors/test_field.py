"""The 2026 field's adapters, really run through the runner on two pages built here (one article, one empty).

Each test skips, naming the set-up command, where its extractor is not set up
(`.ci/run` sets all of them up); extractnet and dragnet no longer install on
Python 3.11, and the tests check that `list` and a run say so.
"""

from __future__ import annotations

import hashlib

import pytest

from benchmark.extractors import registry
from benchmark.records import Card, Outcome, Page
from benchmark.run.runner import Runner
from benchmark.score.output_kinds import extraction_text
from benchmark.score.textnorm import tokenize

PARAGRAPHS = [
    f"The harbour board met for the {n} time this year to decide how the new ferry terminal will be paid for, "
    f"and residents of the old town filled the hall, asking questions about noise, traffic and the levy."
    for n in ("first", "second", "third", "fourth", "fifth", "sixth")
]
ARTICLE = (
    "<h1>Harbour board approves ferry terminal</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    + "<h2>What the plan covers</h2>"
    + "<ul><li>Rebuild the north pier by 2027</li><li>Dredge the channel to six metres</li></ul>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    + "<blockquote><p>We cannot wait another decade for this harbour to be safe, the chair said.</p></blockquote>"
    + "<table><thead><tr><th>Item</th><th>Cost</th></tr></thead><tbody><tr><td>North pier</td>"
      "<td>12 million</td></tr><tr><td>Dredging</td><td>4 million</td></tr></tbody></table>"
)
CHROME = "Sign up for our newsletter today"
HTML = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour board approves ferry terminal"
    "</title></head><body><header><nav>" + " ".join(f"<a href='/section/{i}'>Section {i}</a>" for i in range(12))
    + f"</nav></header><main><article>{ARTICLE}</article></main><aside><h3>Most read</h3><ul>"
    + "".join(f"<li><a href='/story/{i}'>Another story number {i}</a></li>" for i in range(6))
    + f"</ul></aside><footer><p>{CHROME}</p><p>Copyright 2026 The Harbour Times</p></footer></body></html>"
)
BODY_TOKENS = tokenize(" ".join(PARAGRAPHS))

FIELD = ("trafilatura-markdown", "readability-js-html", "rs-trafilatura", "news-please", "article-extractor",
         "crawl4ai", "html-to-markdown", "markdownify", "html2text", "defuddle", "postlight-parser",
         "extractus-article")
FULL_TEXT = ("html-to-markdown", "markdownify", "html2text")
NOT_INSTALLABLE = ("extractnet", "dragnet")


def _page(page_id: str, html: str) -> Page:
    raw = html.encode("utf-8")
    card = Card(url=f"https://harbour.example/{page_id}", site="harbour", language="en", published=None)
    return Page(page_id=page_id, path=f"pages/{page_id}.html", raw=raw, encoding="utf-8", encoding_source="meta",
                sha256=hashlib.sha256(raw).hexdigest(), card=card)


@pytest.fixture(scope="module")
def field_run():
    """One run of every field extractor that is set up here, on the article and an empty page (jobs=2)."""
    specs = registry.known_specs()
    ready = [specs[name] for name in FIELD if registry.is_installed(specs[name])]
    pages = [_page("article", HTML), _page("blank", "<html><body><div></div></body></html>")]
    with Runner(ready, jobs=2, timeout=60) as runner:
        results = {(e.extractor, e.page_id): e for e in runner.run(pages, {})}
        runs = {run.name: run for run in runner.extractor_runs()}
    return results, runs


def _require(name: str) -> None:
    spec = registry.known_specs()[name]
    if not registry.is_installed(spec):
        pytest.skip(f"{name} is not set up here: {spec.install}")


@pytest.mark.parametrize("name", FIELD)
def test_each_field_extractor_returns_the_article_in_its_declared_kind(field_run, name):
    _require(name)
    results, runs = field_run
    extraction = results[name, "article"]
    assert extraction.outcome is Outcome.OK, extraction.error
    spec = registry.known_specs()[name]
    assert extraction.output == spec.output == runs[name].output
    found = tokenize(extraction_text(extraction))
    kept = sum(1 for token in set(BODY_TOKENS) if token in set(found)) / len(set(BODY_TOKENS))
    assert kept >= 0.9, f"{name} kept {kept:.2f} of the article's words"
    assert runs[name].version and runs[name].available
    if spec.output != "text":  # the raw output is kept: Markdown or HTML carries its marks
        assert any(mark in extraction.text for mark in ("<p", "<div", "#", "- ", "* ", "|", "\n\n"))


@pytest.mark.parametrize("name", FULL_TEXT)
def test_full_text_converters_keep_the_page_chrome(field_run, name):
    _require(name)
    results, _runs = field_run
    assert CHROME in " ".join(extraction_text(results[name, "article"]).split())


@pytest.mark.parametrize("name", FIELD)
def test_a_page_without_text_is_empty_or_an_error_never_invented_text(field_run, name):
    _require(name)
    results, _runs = field_run
    extraction = results[name, "blank"]
    assert extraction.outcome in (Outcome.EMPTY, Outcome.ERROR) or not tokenize(extraction_text(extraction))


@pytest.mark.parametrize("name", NOT_INSTALLABLE)
def test_extractors_that_no_longer_install_say_why_and_run_as_unavailable(name):
    spec = registry.known_specs()[name]
    assert "does not install on Python 3.11" in spec.install
    if registry.is_installed(spec):
        pytest.skip(f"{name} is installed here after all")
    with Runner([spec], jobs=1) as runner:
        (extraction,) = list(runner.run([_page("article", HTML)], {}))
    assert extraction.outcome is Outcome.UNAVAILABLE and "does not install" in extraction.error


def test_list_has_thirty_or_more_entries_with_their_output_kinds():
    from benchmark.commands.list_cmd import extractor_rows

    rows = extractor_rows()
    assert len(rows) >= 30
    outputs = {row["name"]: row["output"] for row in rows}
    assert outputs["trafilatura"] == "text" and outputs["trafilatura-markdown"] == "markdown"
    assert outputs["readability-js-html"] == "html" and outputs["defuddle"] == "markdown"
