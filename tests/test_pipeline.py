"""One run end to end through run_benchmark: the facts it derives are the same whichever way they are found."""

import pandas as pd

from benchmark.corpus import load_corpus
from benchmark.extractors.registry import resolve
from benchmark.pipeline import run_benchmark
from tests.corpus_builders import ARTICLE, page_html, write_page


def test_page_facts_are_the_same_with_or_without_the_full_text_baseline(tmp_path):
    corpus_dir = tmp_path / "corpus"
    for i, extra in enumerate(["", "<div class='comments'>" + "A reader comment here. " * 40 + "</div>"]):
        write_page(corpus_dir, f"example-2019-page-{i}", html=page_html(ARTICLE, extra_chrome=extra))
    corpus = load_corpus(corpus_dir)
    with_full = run_benchmark(corpus, resolve(["full-text", "gold"]), out_root=tmp_path / "a", jobs=1, n_boot=50,
                              reports=False)
    without = run_benchmark(corpus, resolve(["gold"]), out_root=tmp_path / "b", jobs=1, n_boot=50, reports=False)
    columns = ["page_id", "gold_tokens", "page_tokens", "difficulty"]
    pd.testing.assert_frame_equal(with_full.pages[columns], without.pages[columns])
    assert with_full.pages["difficulty"].between(0.01, 0.99).all()
    assert with_full.pages["difficulty"].iloc[1] < with_full.pages["difficulty"].iloc[0]  # more chrome: harder
    assert list((tmp_path / "a").glob("*/scores.csv")) and not list((tmp_path / "a").glob("*/report.md"))
