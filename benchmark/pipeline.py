"""One benchmark run end to end: corpus -> runner -> metrics -> stats -> results folder.

The CLI and the pytest regression gate both call `run_benchmark`, so there is
one path from pages to tables. Each extraction is logged and scored as it
arrives; texts are not held in memory.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from benchmark import __version__
from benchmark.records import (SCHEMA_VERSION, Corpus, Extraction, ExtractorRun, ExtractorSpec, Gold, Outcome,
                               Page, PageScore)

#: the default bootstrap seed; stored with every run so intervals can be reproduced
DEFAULT_SEED = 20080406
DEFAULT_BOOTSTRAP = 1000


@dataclass(frozen=True)
class RunResult:
    """Where a run was written and what it found."""

    run_dir: Path
    meta: dict[str, Any]
    scores: Any  # pandas.DataFrame (scores.csv)
    summary: Any  # pandas.DataFrame (summary.csv)
    pages: Any  # pandas.DataFrame (pages.csv)
    interrupted: bool = False


#: the baseline whose output is the page's visible text: its token count is the page's, parsed once
FULL_TEXT = "full-text"


def page_row(page: Page, gold: Gold | None, page_tokens: int | None = None) -> dict[str, Any]:
    """Per-page facts the split tables group by: one row of pages.csv."""
    import json

    from benchmark.corpus.decoding import charset_family
    from benchmark.score.textnorm import tokenize
    from benchmark.corpus.visible_text import visible_text

    gold_tokens = len(tokenize(gold.text)) if gold is not None and gold.text else 0
    if page_tokens is None:
        page_tokens = len(tokenize(visible_text(page.html)))
    card = page.card
    return {
        "page_id": page.page_id,
        "site": card.site,
        "language": card.language.split("-")[0].lower() if card.language else "und",
        "published": card.published.isoformat() if card.published else "",
        "era": card.era,
        "encoding": page.encoding,
        "encoding_source": page.encoding_source,
        "charset_family": charset_family(dict(card.extra).get("charset") or page.encoding),
        "layout": json.dumps(list(card.layout)),
        "gold_tokens": gold_tokens,
        "page_tokens": page_tokens,
        # share of the page's visible tokens that are gold: low = hard
        "difficulty": round(min(1.0, gold_tokens / page_tokens), 4) if page_tokens else 0.0,
        "page_bytes": len(page.raw),
        "url": card.url,
    }


class _PageTokenMemo:
    """Page visible-token counts kept in the extraction cache, so a warm re-run parses no page again."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache if cache is not None and hasattr(cache, "get_page_tokens") else None
        if self.cache is not None:
            from benchmark.run.cache import page_facts_digest

            self.code = page_facts_digest()

    def get(self, page: Page) -> int | None:
        return self.cache.get_page_tokens(page.sha256, page.encoding, self.code) if self.cache else None

    def put(self, page: Page, tokens: int) -> None:
        if self.cache is not None:
            self.cache.put_page_tokens(page.sha256, page.encoding, self.code, tokens)


def pages_frame(corpus: Corpus, rows: dict[str, dict[str, Any]] | None = None):
    """pages.csv in corpus order; rows already computed (during the run) are reused."""
    import pandas as pd

    rows = rows if rows is not None else {}
    return pd.DataFrame([rows.get(page.page_id) or page_row(page, corpus.golds.get(page.page_id))
                         for page in corpus.pages])


def run_metadata(corpus: Corpus, specs: Sequence[ExtractorSpec], *, jobs: int, timeout: float, seed: int,
                 n_boot: int, run_id: str, started: dt.datetime, memory_mb: int | None = None) -> dict[str, Any]:
    """run.json: everything needed to know what was measured and to refuse bad comparisons."""
    from benchmark.score.lexicon import load_lexicon
    from benchmark.results import environment, library_versions

    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "status": "running",
        "harness_version": __version__,
        "corpus": {"name": corpus.name, "root": corpus.root, "digest": corpus.digest,
                   "pages": len(corpus.pages),
                   "skipped": sorted({p.page_id for p in corpus.problems if p.blocks_page and p.page_id})},
        "extractors_requested": [spec.name for spec in specs],
        "options": {"jobs": jobs, "timeout_s": timeout, "seed": seed, "bootstrap_resamples": n_boot,
                    "memory_mb": memory_mb},
        "lexicon_version": load_lexicon().version,
        "libraries": library_versions(),
        "environment": environment(),
        "started": started.isoformat(timespec="seconds"),
    }


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory: the harness alone, workers are other processes."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 / (1024 if sys.platform == "darwin" else 1), 1)


def _extractor_meta(runs: Sequence[ExtractorRun]) -> dict[str, Any]:
    return {
        run.name: {"kind": run.kind, "input": run.input, "version": run.version, "options": dict(run.options),
                   "options_digest": run.options_digest, "available": run.available,
                   "import_ms": run.import_ms, "peak_rss_mb": run.peak_rss_mb, "note": run.note}
        for run in runs
    }


def run_benchmark(
    corpus: Corpus,
    specs: Sequence[ExtractorSpec],
    *,
    out_root: Path,
    jobs: int,
    timeout: float = 30.0,
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_BOOTSTRAP,
    cache: Any = None,
    memory_mb: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    on_extraction: Callable[[Extraction], None] | None = None,
    run_id: str | None = None,
    reports: bool = True,
) -> RunResult:
    """Run every spec on every page, score, summarise and write results/<run_id>/."""
    from benchmark.score.lexicon import load_lexicon
    from benchmark.results import (ExtractionLog, create_run_dir, new_run_id, scores_frame, write_frame,
                                   write_golds, write_json)
    from benchmark.run.runner import Runner
    from benchmark.score.scoring import score_pair
    from benchmark.stats.summary import summarize

    started = dt.datetime.now(dt.timezone.utc)
    run_id = run_id or new_run_id(corpus.name, started)
    run_dir = create_run_dir(out_root, run_id)
    meta = run_metadata(corpus, specs, jobs=jobs, timeout=timeout, seed=seed, n_boot=n_boot, run_id=run_id,
                        started=started, memory_mb=memory_mb)
    write_json(run_dir / "run.json", meta)
    write_golds(run_dir / "golds.jsonl", corpus.golds.values())

    lexicon = load_lexicon()
    pages_by_id = {page.page_id: page for page in corpus.pages}
    # page facts are computed as each page's first result arrives, while the workers go on extracting;
    # when the full-text baseline runs, its output is the visible text, so the page is not parsed again
    page_rows: dict[str, dict[str, Any]] = {}
    full_text_runs = any(spec.name == FULL_TEXT for spec in specs)
    facts = _PageTokenMemo(cache)
    scores: list[PageScore] = []
    outcomes: Counter[str] = Counter()
    interrupted = False
    clock = time.perf_counter()
    runner_kwargs: dict[str, Any] = {"jobs": jobs, "timeout": timeout, "cache": cache, "executor": executor,
                                     "scheduler": scheduler}
    if memory_mb is not None:
        runner_kwargs["memory_mb"] = memory_mb
    with Runner(specs, **runner_kwargs) as runner, ExtractionLog(run_dir / "extractions.jsonl") as log:
        try:
            for extraction in runner.run(corpus.pages, corpus.golds):
                log.append(extraction)
                gold = corpus.golds[extraction.page_id]
                page = pages_by_id[extraction.page_id]
                score = score_pair(extraction, gold, page.card, lexicon)
                scores.append(score)
                if extraction.extractor == FULL_TEXT and extraction.outcome in (Outcome.OK, Outcome.EMPTY):
                    page_rows[extraction.page_id] = page_row(page, gold, page_tokens=score.n_pred)
                elif not full_text_runs and extraction.page_id not in page_rows:
                    known = facts.get(page)
                    page_rows[extraction.page_id] = page_row(page, gold, page_tokens=known)
                    if known is None:
                        facts.put(page, page_rows[extraction.page_id]["page_tokens"])
                outcomes[str(extraction.outcome)] += 1
                if on_extraction is not None:
                    on_extraction(extraction)
        except KeyboardInterrupt:
            interrupted = True
        extractor_runs = runner.extractor_runs()
    elapsed = time.perf_counter() - clock

    pages = pages_frame(corpus, page_rows)
    write_frame(run_dir / "pages.csv", pages)
    score_table = scores_frame(scores).sort_values(["extractor", "page_id"], kind="stable")
    versions = {run.name: run.version for run in extractor_runs}
    summary = summarize(score_table, versions, seed=seed, n_boot=n_boot)
    write_frame(run_dir / "scores.csv", score_table)
    write_frame(run_dir / "summary.csv", summary)
    meta.update({
        "status": "interrupted" if interrupted else "complete",
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed, 3),
        "extractors": _extractor_meta(extractor_runs),
        "outcomes": dict(outcomes),
        "harness_peak_rss_mb": _peak_rss_mb(),
    })
    write_json(run_dir / "run.json", meta)
    result = RunResult(run_dir=run_dir, meta=meta, scores=score_table, summary=summary, pages=pages,
                       interrupted=interrupted)
    if reports:
        write_reports(result)
    return result


def write_reports(result: RunResult | Any) -> list[Path]:
    """report.md always; report.html where its renderer is available."""
    from benchmark.report.markdown import render_markdown
    from benchmark.results import atomic_write_text

    written = []
    markdown_path = result.run_dir / "report.md"
    atomic_write_text(markdown_path, render_markdown(result))
    written.append(markdown_path)
    try:
        from benchmark.report.html import render_html
    except ModuleNotFoundError:
        return written
    html_path = result.run_dir / "report.html"
    render_html(result, html_path)
    written.append(html_path)
    return written


def stored_result(run_dir: Path) -> RunResult:
    """A RunResult read back from disk, for re-rendering without running extractors."""
    import pandas as pd

    from benchmark.results import read_run

    stored = read_run(run_dir)
    pages_path = Path(run_dir) / "pages.csv"
    pages = pd.read_csv(pages_path, keep_default_na=False) if pages_path.exists() else pd.DataFrame()
    return RunResult(run_dir=Path(run_dir), meta=stored.meta, scores=stored.scores, summary=stored.summary,
                     pages=pages, interrupted=stored.meta.get("status") == "interrupted")

