"""The report's structure section and per-page structure diff, from a real run on pages with marked golds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmark.extractors import registry
from tests.corpus_builders import card_toml, write_page

PARAGRAPHS = [f"The harbour board met for the {n} time this year to decide how the new ferry terminal will be "
              f"paid for, and residents filled the hall with questions about noise and traffic."
              for n in ("first", "second", "third", "fourth")]
GOLD = (f"{PARAGRAPHS[0]}\n\n## What the plan covers\n\n{PARAGRAPHS[1]}\n\n- Rebuild the north pier by 2027\n"
        f"- Dredge the channel to six metres\n\n{PARAGRAPHS[2]}\n\n| Item | Cost |\n|---|---|\n"
        f"| North pier | 12 million |\n| Dredging | 4 million |\n\n{PARAGRAPHS[3]}\n")
BODY = (f"<p>{PARAGRAPHS[0]}</p><h2>What the plan covers</h2><p>{PARAGRAPHS[1]}</p><ul><li>Rebuild the north "
        f"pier by 2027</li><li>Dredge the channel to six metres</li></ul><p>{PARAGRAPHS[2]}</p><table><thead><tr>"
        f"<th>Item</th><th>Cost</th></tr></thead><tbody><tr><td>North pier</td><td>12 million</td></tr><tr>"
        f"<td>Dredging</td><td>4 million</td></tr></tbody></table><p>{PARAGRAPHS[3]}</p>")
HTML = ("<html><head><meta charset='utf-8'><title>Ferry</title></head><body><nav>"
        + " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(10))
        + f"</nav><article><h1>Harbour board approves ferry terminal</h1>{BODY}</article>"
          "<footer><p>Most Popular</p></footer></body></html>")
NAMES = ["trafilatura", "markdownify", "trafilatura-markdown"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from benchmark.corpus.bundled import load_corpus
    from benchmark.pipeline import run_benchmark

    specs = registry.known_specs()
    missing = [name for name in NAMES if not registry.is_installed(specs[name])]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} ({specs[missing[0]].install})")
    tmp = tmp_path_factory.mktemp("structure-report")
    root = tmp / "corpus"
    for i in range(2):
        write_page(root, f"example-2024-ferry-{i}", html=HTML, gold=GOLD,
                   card=card_toml(chrome=("Most Popular",), must=("ferry terminal",)))
    corpus = load_corpus(root, name="marked")
    return run_benchmark(corpus, registry.resolve(NAMES), out_root=tmp / "results", jobs=1, timeout=60,
                         n_boot=100, cache=None)


def test_scores_csv_has_structure_for_structured_outputs_only(run):
    scores = run.scores.set_index(["extractor", "page_id"])
    page = "example-2024-ferry-0"
    assert scores.loc[("markdownify", page), "structure_f1"] == pytest.approx(1.0)  # the converter keeps it all
    assert 0 <= scores.loc[("trafilatura-markdown", page), "structure_f1"] <= 1
    assert scores.loc[("trafilatura", page)][["structure_f1", "table_f1", "order"]].isna().all()


def test_report_md_has_the_structure_table_and_names_plain_text_outputs(run):
    text = (Path(run.run_dir) / "report.md").read_text(encoding="utf-8")
    section = text.split("## Structure (Markdown and HTML outputs)", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    assert "markdownify" in rows and "trafilatura-markdown" in rows and "trafilatura" not in rows
    assert "| markdownify | 2 | 1.000 [1.000, 1.000] |" in rows["markdownify"]
    assert "2 of 2" in rows["markdownify"]  # keeps tables on both pages with a gold table
    assert "Plain-text outputs, no structure to score: trafilatura." in section


def test_report_html_shows_the_section_and_each_page_structure_diff(run):
    html = (Path(run.run_dir) / "report.html").read_text(encoding="utf-8")
    assert '<section id="structure">' in html and 'id="structure-table"' in html
    diffs = re.findall(r'<table class="structure-diff">.*?</table>', html, re.S)
    assert diffs, "no per-page structure diff"
    assert any("What the plan covers" in d and "kept" in d and "6 of 6 cells" in d for d in diffs)
    assert html.index('id="structure"') < html.index('id="pages"')
