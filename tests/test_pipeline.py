"""One run end to end through run_benchmark: the facts it derives are the same whichever way they are found."""

import pandas as pd

from benchmark.corpus.bundled import load_corpus
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


def test_a_warm_rerun_parses_no_page_again(tmp_path, monkeypatch):
    """Page token counts live in the cache beside the extractions: a re-run reads them instead of parsing."""
    import benchmark.corpus.visible_text as visible_text_module
    from benchmark.run.cache import Cache

    corpus_dir = tmp_path / "corpus"
    for i in range(3):
        write_page(corpus_dir, f"example-2019-page-{i}", html=page_html(f"Page {i}. {ARTICLE}"))
    corpus = load_corpus(corpus_dir)
    parsed = []
    original = visible_text_module.visible_text
    monkeypatch.setattr(visible_text_module, "visible_text", lambda html, **kw: parsed.append(1) or original(html, **kw))
    with Cache(tmp_path / "cache.sqlite3") as cache:
        cold = run_benchmark(corpus, resolve(["gold"]), out_root=tmp_path / "a", jobs=1, n_boot=50, cache=cache,
                             reports=False)
        assert len(parsed) == 3
        warm = run_benchmark(corpus, resolve(["gold"]), out_root=tmp_path / "b", jobs=1, n_boot=50, cache=cache,
                             reports=False)
    assert len(parsed) == 3  # nothing parsed the second time
    pd.testing.assert_frame_equal(cold.pages, warm.pages)
