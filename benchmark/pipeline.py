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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from benchmark.records import Corpus, Extraction, ExtractorSpec

if TYPE_CHECKING:
    from benchmark.corpus.facts import PageFacts
    from benchmark.results import ExtractionLog, RunResult
    from benchmark.run.runner import Runner
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
    runner: Runner | None = None,
    load_timeout: float | None = None,
) -> RunResult:
    """Run every spec on every page, score, summarise and write results/<run_id>/.

    `python` (a `benchmark.run.interpreter.WorkerPython`) runs the workers in
    another interpreter, such as one release's venv for `boilerbench matrix`.
    `runner` is one the caller started early (`Runner.start`, so workers import
    their libraries while the corpus is read); it is closed here.
    """
    from benchmark.corpus.facts import PageFacts
    from benchmark.results import RunWriter
    from benchmark.run.runner import DEFAULT_MAX_OUTPUT_BYTES, Runner
    from benchmark.score.scoring import RunScorer

    max_output_bytes = DEFAULT_MAX_OUTPUT_BYTES if max_output_bytes is None else max_output_bytes
    if runner is None:
        limits = {} if memory_mb is None else {"memory_mb": memory_mb}
        runner = Runner(specs, jobs=jobs, timeout=timeout, cache=cache, executor=executor, scheduler=scheduler,
                        load_timeout=load_timeout, python=python, max_output_bytes=max_output_bytes, **limits)
    # the run folder opens first (run.json "running", golds.jsonl), so even a run killed at once says what it was
    writer = RunWriter(out_root, corpus, specs, jobs=jobs, timeout=timeout, seed=seed, n_boot=n_boot,
                       memory_mb=memory_mb, run_id=run_id, max_output_bytes=max_output_bytes)
    facts = PageFacts(corpus, specs, cache)  # corpus: pages.csv rows, as each page's first result lands
    memo = None
    if cache is not None:
        from benchmark.score.memo import ScoreMemo

        memo = ScoreMemo(cache, runner.key_of)
    scorer = RunScorer(corpus, memo=memo)  # score: one PageScore per extraction, as it lands
    fingerprint = None  # what the next run compares with, to know it would repeat this one (run/unchanged.py)
    if cache is not None:
        from benchmark.run.unchanged import Fingerprint

        fingerprint = Fingerprint(corpus, specs, writer.meta["options"])
    clock = time.perf_counter()
    with runner, writer.extraction_log() as log:
        # run: one Extraction per (spec, page)
        extractions = runner.run(corpus.pages, corpus.golds, meanwhile=lambda: _warm_up(scorer))
        if fingerprint is not None:
            extractions = _fingerprinted(extractions, fingerprint, runner)
        interrupted = _consume(extractions, log, scorer, facts, on_extraction)
        extractor_runs = runner.extractor_runs()
        isolation = runner.isolation
    elapsed = time.perf_counter() - clock

    tables_clock = time.perf_counter()
    scores = scorer.table()
    summary = _summarize(scores, extractor_runs, seed=seed, n_boot=n_boot)
    phases = {"extract_s": round(elapsed, 3), "score_s": round(scorer.seconds, 3),
              "scores_replayed": memo.replayed if memo is not None else 0}
    result = writer.finish(pages=facts.frame(), scores=scores, summary=summary, extractor_runs=extractor_runs,
                           elapsed=elapsed, interrupted=interrupted, isolation=isolation, phases=phases,
                           tables_started=tables_clock,
                           inputs_fingerprint=fingerprint.hexdigest() if fingerprint is not None else None)
    if reports:
        from benchmark.report.render import write_reports

        write_reports(result)
    return result


def _summarize(scores: Any, extractor_runs: Sequence[Any], *, seed: int, n_boot: int) -> Any:
    from benchmark.stats.summary import summarize

    return summarize(scores, {run.name: run.version for run in extractor_runs}, seed=seed, n_boot=n_boot)


def _warm_up(scorer: RunScorer) -> None:
    """The harness's own start-up, done while the workers run their first pages: the scorer, then pandas."""
    scorer.warm()
    _import_tables_library_meanwhile()


def _import_tables_library_meanwhile() -> None:
    """Import pandas in a thread while the workers extract: the tables need it at the end, the loop does not.

    The loop mostly waits in select(), so the import costs it little; done
    after the run instead, it would add its whole time to every run. Started
    once the scorer is warm: the two at once held up the first results
    (measured: the worker idle 30-57 ms at the start instead of 8-14 ms).
    """
    import sys
    import threading

    if "pandas" not in sys.modules:
        threading.Thread(target=_import_pandas, name="boilerbench-import-pandas", daemon=True).start()


def _import_pandas() -> None:
    try:
        import pandas  # noqa: F401
    except Exception:  # noqa: BLE001 - the main thread's own import will say what is wrong
        pass


def _fingerprinted(extractions: Iterable[Extraction], fingerprint: Any, runner: Runner) -> Iterator[Extraction]:
    """Each extraction into the run's inputs fingerprint, with the cache key it was run under."""
    for extraction in extractions:
        fingerprint.add_extraction(extraction, runner.key_of(extraction))
        yield extraction


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
