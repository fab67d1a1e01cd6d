"""Truth tables of the structure score: each figure on outputs whose structure is known by construction."""

from __future__ import annotations

import pytest

from benchmark.records import Card, Extraction, Gold, Outcome
from benchmark.score.metrics import score_extraction
from benchmark.score.structure import structure_score

GOLD = """The council met on Tuesday to discuss the harbour plan and its cost to residents.

## What the plan covers

The plan covers three piers and a new ferry terminal near the old customs house.

- Rebuild the north pier by 2027
- Dredge the channel to six metres
- Open the ferry terminal in spring

> We cannot wait another decade for this harbour to be safe.

| Item | Cost |
|---|---|
| North pier | 12 million |
| Dredging | 4 million |

### Who pays

Residents will pay a levy of forty dollars a year until the loans are repaid.
"""


def score(output: str) -> dict:
    return structure_score(GOLD, output).as_fields()


def without_block(text: str, start: str) -> str:
    """GOLD with the block that starts with `start` removed."""
    return "\n\n".join(b for b in text.strip().split("\n\n") if not b.startswith(start)) + "\n"


def replace_block(text: str, start: str, new: str) -> str:
    return "\n\n".join(new if b.startswith(start) else b for b in text.strip().split("\n\n")) + "\n"


def test_identical_structure_scores_one_on_every_figure():
    figures = score(GOLD)
    assert figures == {"heading_precision": 1.0, "heading_recall": 1.0, "heading_f1": 1.0, "list_f1": 1.0,
                       "table_f1": 1.0, "quote_f1": 1.0, "order": 1.0, "structure_f1": 1.0}


def test_a_dropped_table_loses_every_cell_and_nothing_else():
    figures = score(without_block(GOLD, "| Item"))
    assert figures["table_f1"] == 0.0
    assert figures["heading_f1"] == figures["list_f1"] == figures["quote_f1"] == figures["order"] == 1.0
    assert figures["structure_f1"] == pytest.approx(4 / 5)


def test_a_table_flattened_to_lines_counts_as_dropped():
    flat = replace_block(GOLD, "| Item", "Item Cost\nNorth pier 12 million\nDredging 4 million")
    figures = score(flat)
    assert figures["table_f1"] == 0.0 and figures["order"] == 1.0


def test_a_table_with_a_wrong_cell_keeps_the_others():
    figures = score(GOLD.replace("| Dredging | 4 million |", "| Dredging | 4 million dollars |"))
    # 6 gold cells, 6 output cells, 5 equal in their aligned row and column
    assert figures["table_f1"] == pytest.approx(5 / 6)


def test_table_rows_align_in_order_when_the_output_adds_a_row():
    extra_row = GOLD.replace("| North pier | 12 million |", "| Source: council | |\n| North pier | 12 million |")
    figures = score(extra_row)
    # the table counts (6 of its 7 non-empty cells are gold text); the rows align past the added one,
    # so all 6 gold cells match, out of 7 output cells
    assert figures["table_f1"] == pytest.approx(2 * 6 / (6 + 7))


def test_a_flattened_list_has_no_items():
    flattened = replace_block(GOLD, "- Rebuild", "Rebuild the north pier by 2027 Dredge the channel to six metres "
                                                "Open the ferry terminal in spring")
    figures = score(flattened)
    assert figures["list_f1"] == 0.0
    assert figures["heading_f1"] == figures["table_f1"] == figures["quote_f1"] == 1.0


def test_list_items_merged_two_into_one_match_only_the_third():
    merged = replace_block(GOLD, "- Rebuild", "- Rebuild the north pier by 2027 Dredge the channel to six metres\n"
                                              "- Open the ferry terminal in spring")
    figures = score(merged)
    assert figures["list_f1"] == pytest.approx(2 * 1 / (3 + 2))


def test_headings_demoted_to_paragraphs_lose_heading_recall_only():
    demoted = GOLD.replace("## What the plan covers", "What the plan covers").replace("### Who pays", "Who pays")
    figures = score(demoted)
    assert figures["heading_recall"] == 0.0 and figures["heading_f1"] == 0.0
    assert figures["heading_precision"] is None  # no heading in the output: nothing to be precise about
    assert figures["list_f1"] == figures["table_f1"] == figures["quote_f1"] == figures["order"] == 1.0
    assert figures["structure_f1"] == pytest.approx(4 / 5)


def test_a_paragraph_promoted_to_heading_costs_precision_but_chrome_headings_do_not():
    promoted = GOLD.replace("The plan covers three piers", "## The plan covers three piers").replace(
        " and a new ferry terminal near the old customs house.", "\n\nand a new ferry terminal near the old "
                                                                  "customs house.")
    assert score(promoted)["heading_precision"] == pytest.approx(2 / 3)
    with_chrome = "## Most read this week\n\n" + GOLD + "\n## Sign up for our newsletter\n"
    assert score(with_chrome)["heading_precision"] == 1.0  # not body text: the token metrics' business


def test_heading_level_is_not_compared():
    figures = score(GOLD.replace("## What the plan covers", "#### What the plan covers"))
    assert figures["heading_f1"] == 1.0


def test_a_quote_rendered_as_a_paragraph_loses_the_quote():
    figures = score(GOLD.replace("> We cannot", "We cannot"))
    assert figures["quote_f1"] == 0.0 and figures["order"] == 1.0


def test_shuffled_blocks_lower_the_order_score():
    blocks = GOLD.strip().split("\n\n")
    reversed_output = "\n\n".join(reversed(blocks)) + "\n"
    figures = score(reversed_output)
    assert figures["order"] == pytest.approx(1 / len(blocks))  # only one block can stay in order
    assert figures["heading_f1"] == figures["list_f1"] == figures["table_f1"] == 1.0


def test_components_the_page_has_none_of_are_undefined_not_perfect():
    plain_gold = "One paragraph of the article with enough words.\n\nAnother paragraph of the same article.\n"
    figures = structure_score(plain_gold, plain_gold).as_fields()
    assert figures["heading_f1"] is None and figures["list_f1"] is None and figures["table_f1"] is None
    assert figures["quote_f1"] is None
    assert figures["order"] == 1.0 and figures["structure_f1"] == 1.0


def _extraction(text: str, output: str, outcome: Outcome = Outcome.OK) -> Extraction:
    return Extraction(extractor="x", page_id="p", outcome=outcome, text=text, output=output)




def _gold_record() -> Gold:
    from benchmark.corpus.goldmarks import plain_text

    return Gold(page_id="p", path="p.txt", text=plain_text(GOLD), marked=GOLD)


def test_plain_text_outputs_get_no_structure_score_not_zero():
    gold = _gold_record()
    scored = score_extraction(_extraction(gold.text, "text"), gold, Card(url="", site="", language="en",
                                                                        published=None))
    assert scored.f1 == 1.0
    assert scored.structure_f1 is None and scored.table_f1 is None and scored.order is None


def test_markdown_output_of_the_gold_scores_one_on_tokens_and_structure():
    gold = _gold_record()
    scored = score_extraction(_extraction(GOLD, "markdown"), gold, None)
    assert scored.f1 == 1.0 and scored.lcs_f1 == 1.0  # the marks (#, -, >, |, |---|) are no tokens
    assert scored.structure_f1 == 1.0


def test_html_output_scores_the_same_as_its_markdown():
    gold = _gold_record()
    html = ("<p>The council met on Tuesday to discuss the harbour plan and its cost to residents.</p>"
            "<h2>What the plan covers</h2><p>The plan covers three piers and a new ferry terminal near the old "
            "customs house.</p><ul><li>Rebuild the north pier by 2027</li><li>Dredge the channel to six metres"
            "</li><li>Open the ferry terminal in spring</li></ul><blockquote><p>We cannot wait another decade "
            "for this harbour to be safe.</p></blockquote><table><thead><tr><th>Item</th><th>Cost</th></tr>"
            "</thead><tbody><tr><td>North pier</td><td>12 million</td></tr><tr><td>Dredging</td><td>4 million"
            "</td></tr></tbody></table><h3>Who pays</h3><p>Residents will pay a levy of forty dollars a year "
            "until the loans are repaid.</p>")
    scored = score_extraction(_extraction(html, "html"), gold, None)
    assert scored.f1 == 1.0 and scored.structure_f1 == 1.0


def test_a_failed_or_empty_structured_extraction_scores_zero_structure():
    gold = _gold_record()
    for outcome, text in ((Outcome.ERROR, ""), (Outcome.TIMEOUT, ""), (Outcome.EMPTY, "")):
        assert score_extraction(_extraction(text, "markdown", outcome), gold, None).structure_f1 == 0.0


def test_a_gold_without_marks_gives_no_structure_score():
    gold = Gold(page_id="p", path="p.txt", text="Some text here.", marked=None)
    assert score_extraction(_extraction("Some text here.", "markdown"), gold, None).structure_f1 is None


def test_a_gold_that_carries_no_mark_at_all_gives_no_structure_score():
    unmarked = "What the plan covers\n\nThe plan covers three piers and a terminal.\n"
    gold = Gold(page_id="p", path="p.txt", text=unmarked, marked=unmarked)
    output = "## What the plan covers\n\nThe plan covers three piers and a terminal.\n"
    assert score_extraction(_extraction(output, "markdown"), gold, None).structure_f1 is None


def test_short_menu_items_count_only_where_they_are_a_whole_gold_item():
    menu = "- Harbour\n- Residents\n- Sport\n\n"  # single words that occur inside gold paragraphs
    assert score(menu + GOLD)["list_f1"] == 1.0
    short_gold = GOLD.replace("- Open the ferry terminal in spring", "- Spring")
    # a one-word gold item still matches itself, and a menu's one-word item is still not body
    assert structure_score(short_gold, short_gold).list_f1 == 1.0
    assert structure_score(short_gold, "- Sport\n\n" + short_gold).list_f1 == 1.0
