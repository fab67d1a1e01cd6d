"""`boilerbench import KIND PATH DEST`: every dataset kind into the bundled format, read back the same."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.cli_runner import run_cli as run
from benchmark.commands.import_ import bundled_gold, card_toml
from benchmark.corpus.bundled import PAGE_ID_RE, load_corpus, parse_card
from benchmark.corpus.validation import validate
from benchmark.corpus.datasets import load_dataset
from benchmark.records import Card
from benchmark.score.textnorm import tokenize
from tests.corpus.test_datasets import (
    BODY_A,
    SNIPPET_ENTRIES,
    write_aeb,
    write_cleaneval,
    write_plain,
    write_readability,
    write_snippets,
)


def imported(tmp_path, capsys, kind: str, source: Path):
    dest = tmp_path / "dest"
    code, out, err = run(["import", kind, source, dest], capsys)
    assert code == 0, err
    return dest, out


def test_aeb_import_reads_back_as_the_same_corpus(tmp_path, capsys):
    source = write_aeb(tmp_path / "aeb")
    dest, out = imported(tmp_path, capsys, "aeb", source)
    assert "Imported 2 page(s)" in out and f"validate --corpus {dest}" in out
    dataset = load_dataset(f"aeb:{source}")
    bundled = load_corpus(dest)
    assert [p.page_id for p in bundled.pages] == [p.page_id for p in dataset.pages]  # ids already safe
    for theirs, ours in zip(dataset.pages, bundled.pages):
        assert ours.raw == theirs.raw and ours.html == theirs.html and ours.encoding == theirs.encoding
        for field in ("url", "site", "language", "published", "layout", "chrome", "must_include", "source"):
            assert getattr(ours.card, field) == getattr(theirs.card, field), field
        extra = dict(ours.card.extra)
        assert extra["dataset"] == "aeb" and extra["dataset_id"] == theirs.page_id
        assert tokenize(bundled.golds[ours.page_id].text) == tokenize(dataset.golds[theirs.page_id].text)
    # the gold is in the bundled layout: one block per paragraph
    assert (dest / "gold" / "a1b2.txt").read_text(encoding="utf-8") == BODY_A.replace("\n", "\n\n") + "\n"
    manifest = json.loads((dest / "import.json").read_text())
    assert manifest["dataset"]["kind"] == "aeb" and manifest["dataset"]["digest"] == dataset.digest
    assert manifest["pages"] == {"a1b2": "a1b2", "c3d4": "c3d4"}


def test_validate_on_an_imported_aeb_lists_only_real_gaps(tmp_path, capsys):
    dest, _ = imported(tmp_path, capsys, "aeb", write_aeb(tmp_path / "aeb"))
    problems = validate(load_corpus(dest))
    # the French page states no date anywhere: its card says `published = "unknown"` openly
    assert problems == []
    assert (dest / "gold" / "c3d4.toml").read_text(encoding="utf-8").count('published = "unknown"') == 1
    assert "no date on the page or in its URL" in (dest / "gold" / "c3d4.toml").read_text()
    code, out, _ = run(["validate", "--corpus", dest], capsys)
    assert code == 0 and "2 pages OK" in out


def test_snippet_import_maps_urls_to_safe_ids_and_snippets_into_the_card(tmp_path, capsys):
    dest, out = imported(tmp_path, capsys, "snippets", write_snippets(tmp_path / "set"))
    assert "2 id(s) made safe" in out
    bundled = load_corpus(dest)
    assert len(bundled.pages) == 2 and all(PAGE_ID_RE.match(p.page_id) for p in bundled.pages)
    by_url = {dict(p.card.extra)["dataset_id"]: p for p in bundled.pages}
    assert set(by_url) == set(SNIPPET_ENTRIES)
    for url, entry in SNIPPET_ENTRIES.items():
        card = by_url[url].card
        assert card.must_include == tuple(entry["with"]) and card.chrome == tuple(entry["without"])
        assert card.url == url
        assert bundled.golds[by_url[url].page_id].text == ""  # no body gold yet: for an annotator to write
    assert by_url["https://www.example.org/news/ferry?id=1"].page_id.startswith("example-org-news-ferry-id-1-")
    # the raw bytes are kept (an iso-8859-1 page stays iso-8859-1)
    german = by_url["https://www.example.de/Politik/Stadtrat_tagt"]
    assert german.raw == (tmp_path / "set" / "cache" / "de" / "stadtrat.html").read_bytes()
    messages = {p.message.split(":")[0].split(" '")[0] for p in validate(bundled)}
    assert messages <= {"gold is empty", "must_include passage", "card lacks the field"}, messages


def test_cleaneval_readability_and_plain_imports(tmp_path, capsys):
    for kind, writer, expected in [
        ("cleaneval", write_cleaneval, {"7", "12"}),
        ("readability", write_readability, {"002", "ferry-case"}),
        ("plain", write_plain, {"ferry", "Capitol_2013"}),
    ]:
        source = writer(tmp_path / kind)
        dest = tmp_path / f"{kind}-dest"
        code, _, err = run(["import", kind, source, dest], capsys)
        assert code == 0, (kind, err)
        bundled = load_corpus(dest)
        assert {dict(p.card.extra)["dataset_id"] for p in bundled.pages} == expected, kind
        # fixture pages state no date (except one Readability case): cards say "unknown", validate is content
        assert bundled.problems == (), (kind, bundled.problems)
        dataset = load_dataset(f"{kind}:{source}")
        for page in bundled.pages:
            original = dict(page.card.extra)["dataset_id"]
            assert tokenize(bundled.golds[page.page_id].text) == tokenize(dataset.golds[original].text)
    plain_ids = {p.page_id for p in load_corpus(tmp_path / "plain-dest").pages}
    assert "ferry" in plain_ids and any(i.startswith("capitol-2013-") for i in plain_ids)
    cleaneval_page = (tmp_path / "cleaneval-dest" / "pages" / "7.html").read_bytes()
    assert not cleaneval_page.lstrip().startswith(b"<text")  # CleanEval's wrapper is not page content
    card = load_corpus(tmp_path / "readability-dest").pages[1].card
    assert card.language == "en-GB" and card.published.isoformat() == "2020-03-04"


def test_refuses_a_non_empty_destination_unless_forced(tmp_path, capsys):
    source = write_aeb(tmp_path / "aeb")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    code, _, err = run(["import", "aeb", source, dest], capsys)
    assert code == 2 and "not empty" in err and "--force" in err
    assert not (dest / "pages").exists()
    code, _, err = run(["import", "aeb", source, dest, "--force"], capsys)
    assert code == 0, err
    assert (dest / "notes.txt").read_text() == "mine" and len(list((dest / "pages").iterdir())) == 2


def test_bad_import_arguments_exit_2(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    empty_aeb = tmp_path / "empty-aeb"
    (empty_aeb / "html").mkdir(parents=True)
    (empty_aeb / "ground-truth.json").write_text("{broken")
    for args, expected in [
        (["import", "nosuch", tmp_path, tmp_path / "d1"], "unknown"),
        (["import", "aeb", tmp_path / "nope", tmp_path / "d2"], "no such file or folder"),
        (["import", "aeb", write_aeb(tmp_path / "aeb"), tmp_path / "file"], "is a file"),
        (["import", "aeb", empty_aeb, tmp_path / "d3"], "no page"),
    ]:
        code, _, err = run(args, capsys)
        assert code == 2 and expected in err, (args, err)
        assert "Traceback" not in err
    assert "ground-truth.json" in err  # the broken file is named


def test_card_toml_round_trips_awkward_strings():
    card = Card(url='https://x.org/a"b\\c?q=1', site="x.org", language="de",
                published=None, source="line one\nline two\ttab \x7f del \x01 ctl",
                chrome=("Teilen \"jetzt\"", "日本語 — ok", "back\\slash"), must_include=("ÀÉÎ",),
                extra=(("published_from", "url"),))
    text = card_toml(card, kind="snippets", dataset_id="https://x.org/a\"b")
    parsed, problems = parse_card(text.encode("utf-8"), "x.toml")
    assert problems == [] and parsed.published is None
    assert dataclasses.replace(parsed, extra=()) == dataclasses.replace(card, extra=())
    assert dict(parsed.extra) == {"published_from": "url", "dataset": "snippets", "dataset_id": 'https://x.org/a"b'}


@pytest.mark.parametrize("text, expected", [
    ("one\ntwo\n\nthree", "one\ntwo\n\nthree\n"),  # text with blank lines keeps its own blocks
    ("one\ntwo\nthree", "one\n\ntwo\n\nthree\n"),  # one paragraph per line (AEB): a block each
    ("para one\ncontinued\n\n\n\npara two\n", "para one\ncontinued\n\npara two\n"),
    ("\ufeffa\r\nb\r\n", "a\n\nb\n"),
    ("  \n\n", ""),
])
def test_bundled_gold_layout(text, expected):
    assert bundled_gold(text) == expected
    assert tokenize(bundled_gold(text)) == tokenize(text)
