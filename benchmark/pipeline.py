"""One benchmark run end to end, one call per stage: corpus -> run -> score -> stats -> results -> report.

The CLI and the pytest regression gate both call `run_benchmark`, so there is
one path from pages to tables. Each extraction is logged, scored and its
page's facts taken as it arrives, while the workers go on extracting; texts
are not held in memory. Each stage can also start from the stored output of
the one before: `boilerbench score --run` re-scores, `boilerbench report`
re-renders, neither runs an extractor.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from benchmark.records import Corpus, Extraction, ExtractorSpec

if TYPE_CHECKING:
    from benchmark.corpus.facts import PageFacts
    from benchmark.results import ExtractionLog, RunResult
    from benchmark.score.scoring import RunScorer

#: the default bootstrap seed; stored with every run so intervals can be reproduced
DEFAULT_SEED = 20080406
DEFAULT_BOOTSTRAP = 1000


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
    python: Any = None,
    max_output_bytes: int | None = None,
) -> RunResult:
    """Run every spec on every page, score, summarise and write results/<run_id>/.

    `python` (a `benchmark.run.interpreter.WorkerPython`) runs the workers in
    another interpreter, such as one release's venv for `boilerbench matrix`.
    """
    from benchmark.corpus.facts import PageFacts
    from benchmark.report.render import write_reports
    from benchmark.results import RunWriter
    from benchmark.run.runner import DEFAULT_MAX_OUTPUT_BYTES, Runner
    from benchmark.score.scoring import RunScorer
    from benchmark.stats.summary import summarize

    max_output_bytes = DEFAULT_MAX_OUTPUT_BYTES if max_output_bytes is None else max_output_bytes
    # the run folder opens first (run.json "running", golds.jsonl), so even a run killed at once says what it was
    writer = RunWriter(out_root, corpus, specs, jobs=jobs, timeout=timeout, seed=seed, n_boot=n_boot,
                       memory_mb=memory_mb, run_id=run_id, max_output_bytes=max_output_bytes)
    facts = PageFacts(corpus, specs, cache)  # corpus: pages.csv rows, as each page's first result lands
    scorer = RunScorer(corpus)  # score: one PageScore per extraction, as it lands
    limits = {} if memory_mb is None else {"memory_mb": memory_mb}
    clock = time.perf_counter()
    with Runner(specs, jobs=jobs, timeout=timeout, cache=cache, executor=executor, scheduler=scheduler,
                python=python, max_output_bytes=max_output_bytes, **limits) as runner, \
            writer.extraction_log() as log:
        extractions = runner.run(corpus.pages, corpus.golds)  # run: one Extraction per (spec, page)
        interrupted = _consume(extractions, log, scorer, facts, on_extraction)
        extractor_runs = runner.extractor_runs()
        isolation = runner.isolation
    elapsed = time.perf_counter() - clock

    scores = scorer.table()
    summary = summarize(scores, {run.name: run.version for run in extractor_runs}, seed=seed, n_boot=n_boot)
    result = writer.finish(pages=facts.frame(), scores=scores, summary=summary, extractor_runs=extractor_runs,
                           elapsed=elapsed, interrupted=interrupted, isolation=isolation)
    if reports:
        write_reports(result)
    return result


def _consume(extractions: Iterable[Extraction], log: ExtractionLog, scorer: RunScorer, facts: PageFacts,
             on_extraction: Callable[[Extraction], None] | None) -> bool:
    """Log, score and take page facts from each extraction as it lands; True when Ctrl-C stopped the run."""
    try:
        for extraction in extractions:
            log.append(extraction)
            facts.add(extraction, scorer.add(extraction))
            if on_extraction is not None:
                on_extraction(extraction)
    except KeyboardInterrupt:
        return True
    return False
