"""One run end to end through run_benchmark: page facts come from the full-text baseline, never a harness parse."""

import pandas as pd

from benchmark.corpus.bundled import load_corpus
from benchmark.extractors.registry import resolve
from benchmark.pipeline import run_benchmark
from tests.corpus_builders import ARTICLE, page_html, write_page

COLUMNS = ["page_id", "gold_tokens", "page_tokens", "difficulty"]


def _corpus(tmp_path):
    corpus_dir = tmp_path / "corpus"
    for i, extra in enumerate(["", "<div class='comments'>" + "A reader comment here. " * 40 + "</div>"]):
        write_page(corpus_dir, f"example-2019-page-{i}", html=page_html(ARTICLE, extra_chrome=extra))
    return load_corpus(corpus_dir)


def test_page_difficulty_comes_from_the_full_text_baseline_now_or_from_the_cache(tmp_path, monkeypatch):
    """A run without full-text takes its counts from the cache; with none there, difficulty is left empty."""
    import benchmark.corpus.visible_text as visible_text_module
    from benchmark.run.cache import Cache

    corpus = _corpus(tmp_path)
    parsed = []
    original = visible_text_module.visible_text
    monkeypatch.setattr(visible_text_module, "visible_text",
                        lambda html, **kw: parsed.append(1) or original(html, **kw))
    alone = run_benchmark(corpus, resolve(["gold"]), out_root=tmp_path / "alone", jobs=1, n_boot=50, reports=False)
    assert alone.pages["page_tokens"].isna().all() and alone.pages["difficulty"].isna().all()
    assert (alone.pages["gold_tokens"] > 0).all()
    with Cache(tmp_path / "cache.sqlite3") as cache:
        with_full = run_benchmark(corpus, resolve(["full-text", "gold"]), out_root=tmp_path / "a", jobs=1,
                                  n_boot=50, cache=cache, reports=False)
        later = run_benchmark(corpus, resolve(["gold"]), out_root=tmp_path / "b", jobs=1, n_boot=50, cache=cache,
                              reports=False)
    assert not parsed, "the harness parses no page: the counts are the full-text baseline's output"
    pd.testing.assert_frame_equal(with_full.pages[COLUMNS], later.pages[COLUMNS])
    assert with_full.pages["difficulty"].between(0.01, 0.99).all()
    assert with_full.pages["difficulty"].iloc[1] < with_full.pages["difficulty"].iloc[0]  # more chrome: harder
    assert list((tmp_path / "a").glob("*/scores.csv")) and not list((tmp_path / "a").glob("*/report.md"))


def test_a_warm_rerun_gives_the_same_page_facts(tmp_path):
    from benchmark.run.cache import Cache

    corpus = _corpus(tmp_path)
    with Cache(tmp_path / "cache.sqlite3") as cache:
        cold = run_benchmark(corpus, resolve(["full-text", "gold"]), out_root=tmp_path / "a", jobs=1, n_boot=50,
                             cache=cache, reports=False)
        warm = run_benchmark(corpus, resolve(["full-text", "gold"]), out_root=tmp_path / "b", jobs=1, n_boot=50,
                             cache=cache, reports=False)
    pd.testing.assert_frame_equal(cold.pages, warm.pages)
