"""Markdown and HTML read into the gold's marks: each construct, and the same blocks from either source."""

from __future__ import annotations

from benchmark.corpus.goldmarks import parse_gold, plain_text
from benchmark.corpus.marking import html_to_marked, markdown_to_marked
from benchmark.score.output_kinds import scored_text
from benchmark.score.textnorm import tokenize


def kinds(marked: str) -> list[str]:
    return [block.kind for block in parse_gold(marked)]


def test_markdown_constructs_become_the_gold_marks():
    marked = markdown_to_marked(
        "# Title\n\nA *short* paragraph with a [link](http://x.example/) and ![a photo](p.jpg).\n\n"
        "### Sub\n\n* one\n* two\n    * nested\n\n3. first\n4. second\n\n> quoted **words**\n>\n> more\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert marked == ("## Title\n\nA short paragraph with a link and .\n\n### Sub\n\n- one\n- two\n- nested\n\n"
                      "1. first\n2. second\n\n> quoted words\n> more\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert kinds(marked) == ["h2", "p", "h3", "ul", "ol", "quote", "table"]


def test_markdown_with_raw_html_tables_reads_the_html():
    marked = markdown_to_marked("Intro line.\n\n<table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr>"
                                "</table>\n")
    table = parse_gold(marked)[1]
    assert table.kind == "table" and table.rows == (("x", "y"), ("1", "2")) and table.header_rows == 1


def test_html_constructs_become_the_gold_marks():
    marked = html_to_marked(
        "<html><head><title>No</title><style>p{}</style></head><body><div>Lead <b>bold</b>ly<br>next line</div>"
        "<h1>Head</h1><h5>Deep</h5><ol><li>a<ul><li>a1</li></ul></li><li><p>b</p></li></ol>"
        "<blockquote><p>q1</p><p>q2</p></blockquote><script>var x;</script>"
        "<table><tr><td>only</td><td>row<table><tr><td>inner</td></tr></table></td></tr></table>"
        "<p>- not a list item</p></body></html>")
    blocks = parse_gold(marked)
    assert [b.kind for b in blocks] == ["p", "h2", "h4", "ol", "quote", "table", "p"]
    assert blocks[0].lines == ("Lead boldly", "next line")
    assert blocks[3].lines == ("a", "a1", "b")  # the nested list's items follow their parent item
    assert blocks[4].lines == ("q1", "q2")
    assert blocks[5].rows == (("only", "row inner"),) and blocks[5].header_rows == 0
    assert blocks[6].lines == ("- not a list item",)  # escaped, so it stays text


def test_cells_with_bars_survive_the_round_trip():
    marked = html_to_marked("<table><tr><td>a | b</td><td>c</td></tr></table>")
    assert parse_gold(marked)[0].rows == (("a | b", "c"),)


def test_empty_and_unparsable_input_give_no_blocks():
    assert html_to_marked("") == "" and markdown_to_marked("   \n") == ""
    assert html_to_marked("<script>only code</script>") == ""


def test_markdown_and_html_plain_text_have_the_gold_tokens_and_no_mark_tokens():
    gold = "## Sub\n\n1. first step\n2. second step\n\n| Year | Ferry |\n|---|---|\n| 2024 | 12 |\n"
    markdown = "## Sub\n\n1. first step\n2. second step\n\n| Year | Ferry |\n|---|---|\n| 2024 | 12 |\n"
    html = ("<h2>Sub</h2><ol><li>first step</li><li>second step</li></ol><table><tr><th>Year</th><th>Ferry</th>"
            "</tr><tr><td>2024</td><td>12</td></tr></table>")
    expected = tokenize(plain_text(gold))
    assert "1" not in expected and "2" not in expected  # list numbers are marks, not text
    assert tokenize(scored_text(markdown, "markdown")) == expected
    assert tokenize(scored_text(html, "html")) == expected
    assert tokenize(scored_text(markdown, "text")) != expected  # plain text keeps what it says
