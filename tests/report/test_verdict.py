"""The report's first screen: what the pages are, the top group (a tie when it is one), picks, the dataset's metric."""

from __future__ import annotations

import numpy as np

from benchmark.stats.verdict import holm, top_group, win_tie_loss
from tests.report.run_builders import noisy, rendered, stored_run

N = 40


def _first_screen(markdown: str) -> str:
    """report.md up to the ranking table: what a reader sees first."""
    return markdown.split("## Ranking", 1)[0]


def test_a_clear_winner_is_named_best(tmp_path):
    run = stored_run(tmp_path / "run", {"alpha": noisy(0.9, N, seed=1), "beta": noisy(0.6, N, seed=2),
                                        "gamma": noisy(0.5, N, seed=3), "gold": [1.0] * N})
    markdown, doc = rendered(run)
    first = _first_screen(markdown)
    assert "**Best:** **alpha**" in first and "Tied" not in first
    assert "significantly ahead of every other article extractor" in first
    assert "the closest, beta, is 0.3" in first  # how far behind, as a positive distance
    assert "Holm-corrected over 2 comparisons" in first  # gold is a baseline, not a candidate
    assert "Best:" in doc.get_element_by_id("top-group").text_content()


def test_a_tie_is_called_a_tie_and_names_no_winner(tmp_path):
    base = noisy(0.85, N, seed=4, spread=0.1)
    # the same scores on other pages: equal means, page-by-page differences both ways
    run = stored_run(tmp_path / "run", {"alpha": base, "beta": base[::-1],
                                        "gamma": noisy(0.4, N, seed=6), "full-text": noisy(0.3, N, seed=7)})
    markdown, doc = rendered(run)
    first = _first_screen(markdown)
    assert "**Tied at the top:** **alpha** and **beta**" in first or "**Tied at the top:** **beta** and **alpha**" \
        in first
    assert "none can be called the winner" in first and "Best:" not in first
    assert "gamma" not in first.split("Mean token F1 of the top group")[0]
    top = doc.get_element_by_id("top-group").text_content()
    assert top.startswith("Tied at the top:") and "alpha" in top and "beta" in top
    # the ranking marks both members of the top group
    rows = {tr.get("data-extractor"): tr.get("class") for tr in doc.get_element_by_id("ranking-table")
            .findall(".//tbody/tr")}
    assert "top" in rows["alpha"] and "top" in rows["beta"] and "top" not in rows["gamma"]


def test_the_datasets_own_metric_is_shown_and_a_different_leader_said(tmp_path):
    alpha = noisy(0.95, N, seed=8, spread=0.02)
    beta = noisy(0.90, N, seed=9, spread=0.02)
    # under the dataset's metric beta is the better one
    aeb = {"alpha": ([0.80] * N, [0.85] * N), "beta": ([0.97] * N, [0.96] * N), "gold": ([1.0] * N, [1.0] * N)}
    provenance = {"kind": "real", "title": "Scrapinghub article-extraction-benchmark (AEB)", "years": "2019-2020",
                  "licence": "MIT", "languages_from": "identified", "metric": "aeb"}
    run = stored_run(tmp_path / "run", {"alpha": alpha, "beta": beta, "gold": [1.0] * N}, corpus="aeb",
                     provenance=provenance, aeb=aeb)
    markdown, doc = rendered(run)
    first = _first_screen(markdown)
    assert "The dataset's own metric (AEB F1):" in first
    assert "It ranks the leaders differently: under AEB F1 **beta** leads (0.965 vs 0.824 for alpha)" in first
    assert "AEB F1 [95% CI]" in doc.get_element_by_id("ranking-table").text_content()
    # the same F1 of means AEB's scorer takes
    cells = [td.text_content() for td in doc.xpath("//tr[@data-extractor='beta']/td")]
    assert any(c.startswith("0.965 [") for c in cells)


def test_provenance_opens_the_report_with_page_count_and_language_origin(tmp_path):
    languages = ["en"] * 30 + ["de"] * 12
    pages = [{}] * 30 + [{"language_declared": "en"}] * 2 + [{}] * 10  # two pages declare en, read as de
    alpha = noisy(0.9, 42, seed=10)
    beta = noisy(0.6, 30, seed=11) + noisy(0.97, 12, seed=12, spread=0.01)  # beta is best on German pages
    run = stored_run(tmp_path / "run", {"alpha": alpha, "beta": beta}, languages=languages, pages=pages,
                     provenance={"kind": "authored", "title": "boilerbench bundled corpus", "years": "1999-2026",
                                 "licence": "CC0-1.0", "languages_from": "identified"})
    markdown, doc = rendered(run)
    lines = [line for line in markdown.splitlines() if line.strip()]
    assert lines[1] == "## What the pages are"
    assert lines[2].startswith("**42 pages** from boilerbench bundled corpus (1999-2026, licence CC0-1.0)")
    assert "written for the benchmark after real templates" in lines[2] and "not how they do on the real web" \
        in lines[2]
    assert "identified from each page's text" in markdown and "differs from the identified one on 2 pages" in markdown
    about = doc.get_element_by_id("about").text_content()
    assert about.startswith("42 pages from boilerbench bundled corpus")
    # picks: per language group of at least 10 pages, with page counts and intervals
    assert "- German (de) pages: **beta**, F1 0.9" in markdown and ", 12 pages." in markdown
    assert "- English (en) pages: **alpha**" in markdown and ", 30 pages." in markdown
    assert "Fastest of the top group: **alpha**" in markdown
    assert "Most precise of the top group (pipelines that must not ingest chrome): **alpha**, precision" in markdown


def test_holm_adjusts_step_down_and_keeps_order():
    assert holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert holm([0.5]) == [0.5]
    assert np.isnan(holm([float("nan"), 0.02])[0]) and holm([float("nan"), 0.02])[1] == 0.02


def test_top_group_uses_holm_not_raw_p_values():
    """Two rivals each at raw p just under 0.05 against the best: Holm over two comparisons keeps one tied."""
    rng = np.random.default_rng(0)
    best = rng.uniform(0.5, 1.0, 60)
    near = best - 0.01 + rng.normal(0, 0.035, 60)
    group = top_group(np.vstack([best, near, best - 0.3]), ["a", "b", "c"], seed=1, n_boot=2000)
    comparison = {c.b: c for c in group.comparisons}
    assert group.best == "a" and "c" not in group.members
    assert comparison["b"].p_holm >= comparison["b"].p_value
    assert ("b" in group.members) == (comparison["b"].p_holm >= 0.05)


def test_win_tie_loss_counts_pages_with_a_tolerance():
    matrix = np.array([[0.90, 0.50, 0.70, np.nan], [0.895, 0.60, 0.50, 0.2]])
    counts = win_tie_loss(matrix)
    assert counts[0, 1].tolist() == [1, 1, 1]  # 0.70 vs 0.50 a win, 0.90 vs 0.895 a tie, 0.5 vs 0.6 a loss
    assert counts[1, 0].tolist() == [1, 1, 1] and counts[0, 0].tolist() == [0, 3, 0]
