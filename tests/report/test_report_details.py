"""The details a careful reader checks: counts, splits, columns, names, commands, timings, files for papers."""

from __future__ import annotations

import json
import re

from tests.report.run_builders import noisy, rendered, stored_run

N = 12


def test_leaked_chrome_counts_pages_not_card_and_lexicon_hits(tmp_path):
    """A string found by the card and by the lexicon on one page is one page (newspaper3k's "Advertisement")."""
    both = {"chrome_leaked": json.dumps(["Advertisement"]), "lexicon_leaked": json.dumps(["Advertisement"])}
    extra = {("alpha", f"site{i % 7}-2020-story-{i:03d}"): both for i in range(3)}
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1)}, extra_scores=extra)
    markdown, _ = rendered(run)
    leaked = markdown.split("## Leaked chrome", 1)[1].split("##", 1)[0]
    assert "Advertisement (3)" in leaked and "Advertisement (6)" not in leaked


def test_the_page_view_explains_tokens_kept_against_bag_of_words_f1(tmp_path):
    """Pure chrome sharing common words with the gold: F1 above 0, no token kept in order; the card says why."""
    from benchmark.records import Extraction, Gold, Outcome
    from benchmark.score.metrics import score_extraction

    gold = ("The council approved the budget for the new harbour wall on Tuesday, and the work is to start in "
            "the spring of next year.")
    chrome = "Sign up to the newsletter and get the best of the week in your inbox. Read more on the site."
    page = "site0-2020-story-000"
    score = score_extraction(Extraction("alpha", page, Outcome.OK, text=chrome), Gold(page, "g", gold), None)
    assert score.f1 > 0  # "the", "and", "of" ... are shared
    extra = {("alpha", page): {"f1": score.f1, "precision": score.precision, "recall": score.recall,
                               "tp": score.tp, "n_pred": score.n_pred, "n_gold": score.n_gold}}
    run = stored_run(tmp_path / "run", {"alpha": [0.5] * 3}, texts={("alpha", page): chrome}, golds={page: gold},
                     extra_scores=extra)
    _, doc = rendered(run)
    diff = doc.get_element_by_id(f"page-{page}").xpath(".//details[@data-extractor='alpha']")[0]
    text = " ".join(diff.text_content().split())
    assert f"counts {score.tp} gold words found in any order" in text and "0 tokens kept" in text
    assert "Why F1 is not 0 with no token kept" in text


def _split_rows(doc, by):
    table = doc.get_element_by_id(f"split-{by}").getnext()
    header = [th.text_content() for th in table.findall(".//thead/tr/th")]
    return header, [(tr.get("class") or "", [td.text_content() for td in tr.findall("td")])
                    for tr in table.findall(".//tbody/tr")]


def test_split_tables_grey_small_groups_merge_identical_ones_and_follow_the_ranking(tmp_path):
    n = 9
    pages = [{"layout": json.dumps(["rtl"] if i < 2 else ["share-bar"] if i < 6 else ["paywall"]),
              "charset_family": "arabic-hebrew" if i < 2 else "unicode", "era": "2017-2026"} for i in range(n)]
    languages = ["ar", "he"] + ["en"] * 7
    run = stored_run(tmp_path / "run", {"beta": noisy(0.6, n, seed=2), "alpha": noisy(0.9, n, seed=1),
                                        "gold": [1.0] * n}, pages=pages, languages=languages)
    markdown, doc = rendered(run)
    header, rows = _split_rows(doc, "charset_family")
    assert header == ["charset_family", "pages", "alpha", "beta"]  # ranking order, gold left out
    labels = {cells[0]: css for css, cells in rows}
    merged = [label for label in labels if label.startswith("arabic-hebrew")]
    assert merged == ["arabic-hebrew = layout rtl (too few pages)"] and "too-few" in labels[merged[0]]
    _, language_rows = _split_rows(doc, "language")
    assert [c[0] for _, c in language_rows] == ["ar (too few pages)", "en = charset_family unicode",
                                                                  "he (too few pages)"]
    _, layout_rows = _split_rows(doc, "layout")
    assert [cells[0] for _, cells in layout_rows] == ["paywall", "share-bar"]  # rtl shown once, above
    assert doc.xpath("//h3[@id='split-era']") == []  # one group: left out
    md_split = markdown.split("### By charset family", 1)[1]
    assert "| charset_family | pages | alpha | beta |" in md_split
    assert "arabic-hebrew = layout rtl (too few pages)" in md_split


def test_columns_with_nothing_to_show_and_absent_baselines_are_left_out(tmp_path):
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1), "beta": noisy(0.7, N, seed=2)})
    markdown, doc = rendered(run)
    header = [th.text_content() for th in doc.get_element_by_id("ranking-table").findall(".//thead/tr/th")]
    assert "chrome leak" not in header and "must-include" not in header  # no card lists chrome: all "–"
    assert "| chrome leak" not in markdown
    assert "full-text returns" not in markdown and "gold returns the gold" not in markdown
    assert "Baselines:" not in doc.get_element_by_id("ranking").text_content()


def test_page_lists_show_domain_and_title_beside_the_id(tmp_path):
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1)})
    markdown, doc = rendered(run)
    row = doc.get_element_by_id("page-index").findall(".//tbody/tr")[0]
    assert row[0].text_content().startswith("site0.example — Story number 0")
    worst = markdown.split("## Worst pages", 1)[1].split("##", 1)[0]
    assert re.search(r"`site\d-2020-story-\d{3}` \(site\d\.example — Story number \d+\)", worst)


def test_reproduce_commands_for_dataset_out_extractors_and_corpus(tmp_path, monkeypatch):
    from benchmark.corpus.bundled import bundled_root
    from benchmark.report.reproduce import commands

    monkeypatch.chdir(tmp_path)
    base = {"run_id": "R1", "extractors_requested": ["trafilatura", "justext"],
            "options": {"seed": 7, "timeout_s": 30.0, "jobs": 2, "memory_mb": 4096}}
    dataset = commands({**base, "corpus": {"name": "aeb", "root": "/d/aeb", "source": "aeb:../shared/datasets/aeb"}},
                       tmp_path / "runs" / "R1")
    assert dataset["run"] == ("boilerbench run --dataset aeb:../shared/datasets/aeb --extractors trafilatura,justext "
                              "--seed 7 --timeout 30 --jobs 2 --memory-mb 4096 --out runs")
    assert dataset["report"] == "boilerbench report runs/R1"
    in_default = commands({**base, "corpus": {"name": "aeb", "root": "/d/aeb", "source": "aeb:/d/aeb"}},
                          tmp_path / "results" / "R1")
    assert "--out" not in in_default["run"] and in_default["report"] == "boilerbench report results/R1"
    own = commands({**base, "corpus": {"name": "mine", "root": str(tmp_path / "mine"), "source": ""}},
                   tmp_path / "mine" / "results" / "R1")
    assert own["run"].startswith("boilerbench run --corpus mine --extractors") and "--out" not in own["run"]
    if bundled_root() is not None:
        bundled = commands({**base, "corpus": {"name": "bundled", "root": str(bundled_root()), "source": ""}},
                           bundled_root() / "results" / "latest")
        assert "--corpus" not in bundled["run"] and "--dataset" not in bundled["run"] and "--out" not in bundled["run"]
        assert bundled["report"].endswith("results/R1")


def test_speed_section_says_what_came_from_the_cache_and_the_load(tmp_path):
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1), "beta": noisy(0.7, N, seed=2)},
                     cached=["beta"], meta={"load": {"start": [3.5, 2.0, 1.0], "end": [1.0, 1.0, 1.0]}})
    markdown, doc = rendered(run)
    note = doc.get_element_by_id("timing-note").text_content()
    assert f"{N} of {2 * N} pairs were replayed from the cache" in note
    assert "at the start 3.50, at the end 1.00 on 2 CPUs" in note and "the machine was busy" in note
    cells = {tr[0].text_content(): tr[-1].text_content() for tr in doc.get_element_by_id("speed-table")
             .findall(".//tbody/tr")}
    assert cells == {"alpha": f"0 of {N}", "beta": f"{N} of {N}"}
    assert "replayed from the cache" in markdown.split("## Speed", 1)[1]


def test_long_option_maps_are_collapsed_in_report_md(tmp_path):
    stoplists = {f"lang{i}": f"Stoplist_{i}" for i in range(150)}
    meta = {"extractors": {"alpha": {"kind": "article", "input": "text", "version": "1", "options":
                                     {"stoplist": "by-language", "languages": stoplists}, "options_digest": "x"}}}
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1)}, meta=meta)
    markdown, _ = rendered(run)
    assert max(len(line) for line in markdown.splitlines()) < 1000
    assert "options `stoplist=\"by-language\", languages=dict[150]`" in markdown
    assert "<details><summary>alpha: all options</summary>" in markdown and '"lang149": "Stoplist_149"' in markdown


def test_tables_have_captions_headers_sort_with_buttons_and_ids_are_unique(tmp_path):
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.8, N, seed=1), "beta": noisy(0.6, N, seed=2),
                                        "full-text": noisy(0.4, N, seed=3)})
    _, doc = rendered(run)
    tables = doc.xpath("//table")
    assert tables and all(t.find("caption") is not None and t.find("caption").text_content().strip()
                          for t in tables)
    heads = doc.get_element_by_id("page-index").findall(".//thead/tr/th")
    assert all(th.get("aria-sort") == "none" and th.find("button") is not None for th in heads)
    ids = [el.get("id") for el in doc.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert len(doc.xpath("//svg[contains(@class, 'chart')]")) == 4


def test_files_for_papers_and_every_pages_raw_outputs(tmp_path):
    run = stored_run(tmp_path / "run", {"al_pha&co": noisy(0.8, N, seed=1), "beta": noisy(0.5, N, seed=2)})
    _, doc = rendered(run)
    tex = (run / "table.tex").read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "\\textbf{al\\_pha\\&co}" in tex  # escaped, and bold: the top group
    assert re.search(r"0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]", tex)
    links = set(doc.get_element_by_id("data").xpath(".//a/@href"))
    assert {"summary.csv", "scores.csv", "extractions.jsonl", "table.tex", "outputs/"} <= links
    page = "site3-2020-story-003"
    card_links = doc.get_element_by_id(f"page-{page}").xpath(".//a/@href")
    assert f"outputs/{page}.jsonl" in card_links
    gold, *outputs = [json.loads(line) for line in (run / "outputs" / f"{page}.jsonl").read_text("utf-8").splitlines()]
    assert gold["page_id"] == page and gold["text"] == "gold text of the page"
    assert {o["extractor"]: o["text"] for o in outputs} == {"al_pha&co": "output of al_pha&co on page 3",
                                                            "beta": "output of beta on page 3"}
    assert len(list((run / "outputs").glob("*.jsonl"))) == N
    # written once: a re-render with unchanged outputs leaves the files alone
    before = (run / "outputs" / f"{page}.jsonl").stat().st_mtime_ns
    rendered(run)
    assert (run / "outputs" / f"{page}.jsonl").stat().st_mtime_ns == before
