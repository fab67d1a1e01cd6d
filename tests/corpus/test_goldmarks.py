"""Structure marks in the gold: how they parse, when they are malformed, and that they never move a score."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.corpus.bundled import read_gold
from benchmark.corpus.goldmarks import Block, check_marks, escape_literal, parse_gold, plain_text
from benchmark.records import Gold

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, expected", [
    ("One paragraph.", [Block("p", ("One paragraph.",))]),
    ("Verse line one\nverse line two", [Block("p", ("Verse line one", "verse line two"))]),
    ("## Where the money goes", [Block("h2", ("Where the money goes",))]),
    ("### Under a subhead", [Block("h3", ("Under a subhead",))]),
    ("#### Deepest", [Block("h4", ("Deepest",))]),
    ("##### Too deep", [Block("p", ("##### Too deep",))]),
    ("#hashtag leads", [Block("p", ("#hashtag leads",))]),
    ("- rye\n- oats", [Block("ul", ("rye", "oats"))]),
    ("- 1) Grundsteuer\n- 2) Müll", [Block("ul", ("1) Grundsteuer", "2) Müll"))]),
    ("3. third\n4. fourth", [Block("ol", ("third", "fourth"), start=3)]),
    ("> We ask the council\n>\n> to look again.", [Block("quote", ("We ask the council", "", "to look again."))]),
    ("| Ward | Votes |\n|---|---|\n| North | 1,112 |",
     [Block("table", rows=(("Ward", "Votes"), ("North", "1,112")), header_rows=1)]),
    ("| North | 1,112 |\n| South | 498 |", [Block("table", rows=(("North", "1,112"), ("South", "498")))]),
    ("| a \\| b |  |", [Block("table", rows=(("a | b", ""),))]),
    ("\\- Na takie miejsce czekamy - mówi wójt.", [Block("p", ("- Na takie miejsce czekamy - mówi wójt.",))]),
    ("\\\\server\\share is the path", [Block("p", ("\\server\\share is the path",))]),
    ("\\1. Juli war heiß", [Block("p", ("1. Juli war heiß",))]),
    ("- an item\nand a line", [Block("p", ("- an item", "and a line"))]),
    ("## Subhead\nand a line", [Block("p", ("## Subhead", "and a line"))]),
    ("A.\n\n## B\n\n- c\n- d", [Block("p", ("A.",)), Block("h2", ("B",)), Block("ul", ("c", "d"))]),
    ("A.\r\n\r\n\r\nB.\n", [Block("p", ("A.",)), Block("p", ("B.",))]),
])
def test_parse_truth_table(text, expected):
    assert list(parse_gold(text)) == expected


def test_plain_text_is_what_the_metrics_read():
    marked = ("Lead paragraph.\n\n## Where the money goes\n\n- roads\n- bridges\n\n2. second\n3. third\n\n"
              "> A letter.\n\n| Item | Cost |\n|---|---|\n| Roads | $68.4 million |\n\n\\- Dialogue.\n")
    assert plain_text(marked) == ("Lead paragraph.\n\nWhere the money goes\n\nroads\nbridges\n\nsecond\nthird\n\n"
                                  "A letter.\n\nItem\tCost\nRoads\t$68.4 million\n\n- Dialogue.\n")
    assert plain_text("") == "" and plain_text("\n\n") == ""


@pytest.mark.parametrize("text, fragment", [
    ("- an item\nand an unmarked line", "mixed lines"),
    ("- an item\n1. another kind", "mixed lines"),
    ("> quoted\nnot quoted", "mixed lines"),
    ("| a | b |\nplain", "mixed lines"),
    ("## Subhead\nwith a second line", "a subhead shares its block"),
    ("| a | b |\n| c |", "ragged table rows (2, 1 cells)"),
    ("| a | b |\n|---|\n| c | d |", "ragged table rows"),
    ("|---|---|\n| a | b |", "separator is its first line"),
    ("| a | b |\n|---|---|\n| c | d |\n|---|---|\n| e | f |", "2 |---| separators"),
    ("##### Five deep", "deeper than ####"),
    ("# The headline", "the headline, which is not body"),
    ("- one\n- ", "empty item"),
    ("1. one\n2.", "empty item"),
    ("##", "empty item"),
])
def test_malformed_marks_are_named(text, fragment):
    problems = check_marks("First paragraph.\n\n" + text)
    assert problems and all(p.startswith("block 2: ") for p in problems), problems
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize("text", [
    "Plain paragraph.\n\nAnother, with a - dash and 1. a number inside.",
    "## Subhead\n\n### Sub-subhead\n\n#### Deepest",
    "- a\n- b\n\n1. one\n2. two\n\n> quote\n>\n> more",
    "| Ward | Votes |\n|---|---|\n| North | 1,112 |\n| South |  |",
    "| no | header |\n| just | rows |",
    "\\- escaped dialogue\n\\## escaped hashes\n\\| escaped bar |\n\\# not a headline",
    "Verse line\nsecond verse line\n\nAddress line\n12 High Street",
])
def test_well_formed_marks_pass(text):
    assert check_marks(text) == []


@pytest.mark.parametrize("text", [
    "- starts like an item\n1. starts like a number\n> like a quote\n## like a subhead\n| like | a row |",
    "\\already a backslash\n# one hash\n##### five\n-\n2.",
    "Plain line\n\nTwo blocks",
])
def test_escape_literal_reads_back_as_the_same_text(text):
    escaped = "\n\n".join(escape_literal(block) for block in text.split("\n\n"))
    assert plain_text(escaped) == text + "\n"
    assert check_marks(escaped) == []


def test_read_gold_keeps_the_file_and_gives_the_metrics_plain_text(tmp_path):
    path = tmp_path / "example-2019-x.txt"
    path.write_text("## Sub\n\n- a\n- b\n", encoding="utf-8")
    gold, problems = read_gold(path, root=tmp_path)
    assert problems == [] and gold.marked == "## Sub\n\n- a\n- b\n" and gold.text == "Sub\n\na\nb\n"
    unmarked, _ = read_gold(path, root=tmp_path, marks=False)  # a plain folder of texts: no structure, text as it is
    assert unmarked.marked is None and unmarked.text == "## Sub\n\n- a\n- b\n"


# --------------------------------------------------------------------------- scores do not move


def _with_marks(text: str) -> str:
    """The same gold with structure marks added, as an annotator adds them: no token added, none removed.

    Short blocks become subheads, multi-line blocks list items (the first
    ordered, numbered as the markup would draw them), tab-separated lines
    table rows under a header separator, every fifth paragraph a quote, and a
    paragraph that starts like a mark gets its backslash.
    """
    out = []
    for number, block in enumerate(plain_text(text).rstrip("\n").split("\n\n")):
        lines = block.split("\n")
        if all("\t" in line for line in lines) and len({line.count("\t") for line in lines}) == 1:
            rows = ["| " + " | ".join(c.replace("|", "\\|") for c in line.split("\t")) + " |" for line in lines]
            width = len(lines[0].split("\t"))
            out.append("\n".join([rows[0], "|" + "---|" * width, *rows[1:]]))
        elif len(lines) > 1:
            out.append("\n".join(f"{i}. {line}" if number % 2 else f"- {line}" for i, line in enumerate(lines, 1)))
        elif len(block.split()) <= 8 and not block.startswith(("#", "-", ">", "|", "\\")) and block[:1].isalpha():
            out.append(f"## {block}")
        elif number % 5 == 4:
            out.append(f"> {block}")
        else:
            out.append(escape_literal(block))
    return "\n\n".join(out) + "\n"


def test_scores_of_real_extractors_do_not_move_when_the_gold_gains_marks(bundled_run, tmp_path):
    """Every extractor's real output on bundled pages, scored against a gold and the same gold with marks."""
    from benchmark.results import iter_extractions
    from benchmark.score.metrics import score_extraction

    corpus, result = bundled_run
    # the pages whose golds have the most blocks: the most marks to add
    page_ids = sorted(corpus.golds, key=lambda pid: -corpus.golds[pid].text.count("\n\n"))[:6]
    pages = {page.page_id: page for page in corpus.pages}
    marked_golds = {}
    for page_id in page_ids:
        marked = _with_marks(corpus.golds[page_id].text)
        assert marked.count("\n\n") == plain_text(corpus.golds[page_id].text).count("\n\n")
        path = tmp_path / f"{page_id}.txt"
        path.write_text(marked, encoding="utf-8")
        marked_golds[page_id], problems = read_gold(path, root=tmp_path)
        assert problems == [] and check_marks(marked) == [], page_id
        assert marked_golds[page_id].marked != marked_golds[page_id].text  # the marks are really there
    compared = 0
    for extraction in iter_extractions(result.run_dir):
        if extraction.page_id not in marked_golds or extraction.extractor == "gold":
            continue
        card = pages[extraction.page_id].card
        plain = Gold(extraction.page_id, "plain", plain_text(corpus.golds[extraction.page_id].text))
        before = score_extraction(extraction, plain, card)
        after = score_extraction(extraction, marked_golds[extraction.page_id], card)
        for metric in ("precision", "recall", "f1", "lcs_f1", "tp", "n_pred", "n_gold"):
            assert getattr(after, metric) == getattr(before, metric), (extraction.extractor, extraction.page_id,
                                                                       metric)
        compared += 1
    assert compared >= 6 * 4  # at least the four required extractors on each page
