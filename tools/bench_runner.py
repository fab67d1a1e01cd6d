"""What isolation costs: harness overhead, parallel speed-up, cache effect and memory, on ~1,000 pages.

Usage: python tools/bench_runner.py [--aeb ../shared/datasets/aeb] [--pages 1000]
                                    [--extractor full-text] [--jobs 2]

Pages are AEB's, replicated up to --pages with a distinct comment appended to
each copy (so every copy has its own sha256 and the cache cannot cheat); the
bundled corpus stands in when AEB is absent. Measured, in this order (the
in-process loop last, so it cannot inflate the harness's peak memory):

1. Runner jobs=1, no cache, against a bare in-process loop over the same
   adapter (warmed up the same way): the harness overhead per page;
2. Runner jobs=N, no cache: the parallel speed-up over jobs=1;
3. Runner jobs=N with an empty cache (cold: compute and store), then again
   (warm: every pair from the cache);
4. the harness's peak RSS with the pages loaded and during the runs (it must
   not grow with the texts: they are yielded, not kept), and the workers' peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "datasets" / "aeb"


def _rss_mb() -> float:
    """Current resident memory of this process (Linux /proc; peak as a fallback elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_mb()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_pages(aeb: Path, count: int):
    """count pages: AEB's (or the bundled corpus), copies made distinct by an appended comment."""
    from benchmark.corpus.bundled import load_corpus, page_from_bytes

    if (aeb / "ground-truth.json").is_file():
        from benchmark.corpus.datasets.aeb import load

        corpus, source = load(aeb), f"AEB ({aeb})"
    else:
        corpus, source = load_corpus(REPO), "the bundled corpus (AEB not found)"
    originals = list(corpus.pages)
    if not originals:
        raise SystemExit(f"no pages found in {source}")
    pages = []
    for index in range(count):
        original = originals[index % len(originals)]
        copy_number = index // len(originals)
        if copy_number == 0:
            pages.append(original)
            continue
        raw = original.raw + f"\n<!-- boilerbench replica {copy_number} -->\n".encode("ascii")
        page, _html, _problems = page_from_bytes(f"{original.page_id}-r{copy_number}", original.path, raw, original.card)
        pages.append(page)
    return pages, f"{len(pages)} pages from {len(originals)} of {source}"


def bare_loop(spec, pages) -> tuple[float, float, float]:
    """(wall s, summed call ms, CPU s) of the adapter called in this process, after the same warm-up."""
    from benchmark.records import PageInput
    from benchmark.run.worker import resolve_target, warmup_page

    function = resolve_target(spec.target)
    options = dict(spec.options)
    function(warmup_page(spec.needs_gold), **options)
    calls_ms = 0.0
    cpu = time.process_time()
    started = time.perf_counter()
    for page in pages:
        page_input = PageInput(page_id=page.page_id, html=page.html, raw=page.raw, encoding=page.encoding,
                               url=page.card.url, language=page.card.language)
        call = time.perf_counter()
        try:
            function(page_input, **options)
        except Exception:  # noqa: BLE001 - the runner counts these as errors; timing is what matters here
            pass
        calls_ms += (time.perf_counter() - call) * 1000
    return time.perf_counter() - started, calls_ms, time.process_time() - cpu


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed_run(specs, pages, **kwargs) -> dict:
    """One Runner run: wall and CPU seconds (harness; workers, reaped at close), calls, cache hits, facts.

    CPU time is the steadier overhead figure on a shared machine: wall time
    also counts other people's processes.
    """
    from benchmark.run.runner import Runner

    outcomes: dict[str, int] = {}
    calls_ms = 0.0
    cached = 0
    harness_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with Runner(specs, **kwargs) as runner:
        for extraction in runner.run(pages, {}):
            outcomes[str(extraction.outcome)] = outcomes.get(str(extraction.outcome), 0) + 1
            cached += extraction.cached
            if extraction.ms is not None and not extraction.cached:
                calls_ms += extraction.ms
        wall = time.perf_counter() - started
        runs = runner.extractor_runs()
        facts = {"import_ms": runs[0].import_ms, "workers": runner.workers_started,
                 "worker_peak_mb": runner.peak_memory_mb[specs[0].name]}
    return {"wall": wall, "outcomes": outcomes, "calls_ms": calls_ms, "cached": cached,
            "harness_cpu": _cpu(resource.RUSAGE_SELF) - harness_cpu,
            "workers_cpu": _cpu(resource.RUSAGE_CHILDREN) - workers_cpu, **facts}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--extractor", default="full-text", help="a registry name (default: full-text)")
    parser.add_argument("--jobs", type=int, default=2, help="the parallel run's jobs (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)

    from benchmark.extractors.registry import is_installed, resolve
    from benchmark.run.cache import Cache

    (spec,) = resolve([args.extractor])
    if not is_installed(spec):
        raise SystemExit(f"{spec.name} is not installed: {spec.install}")
    rss_start = _rss_mb()
    pages, described = load_pages(args.aeb, args.pages)
    rss_loaded = _rss_mb()
    n = len(pages)
    print(f"{described}; extractor {spec.name}; {os.cpu_count()} CPUs\n")

    serial = timed_run([spec], pages, jobs=1, timeout=args.timeout)
    parallel = timed_run([spec], pages, jobs=args.jobs, timeout=args.timeout)
    with tempfile.TemporaryDirectory(prefix="boilerbench-bench-") as scratch:
        with Cache(Path(scratch) / "cache.sqlite3") as cache:
            cold = timed_run([spec], pages, jobs=args.jobs, timeout=args.timeout, cache=cache)
            warm = timed_run([spec], pages, jobs=args.jobs, timeout=args.timeout, cache=cache)
            cache_mb = cache.stats()["bytes"] / 1e6
    harness_peak = _peak_mb()
    bare_wall, bare_calls_ms, bare_cpu = bare_loop(spec, pages)

    def per_page(seconds: float) -> str:
        return f"{seconds * 1000 / n:7.2f} ms/page"

    serial_cpu = serial["harness_cpu"] + serial["workers_cpu"]
    print("1. harness overhead (jobs=1, no cache) against a bare in-process loop")
    print(f"   bare loop      wall {bare_wall:6.2f} s {per_page(bare_wall)}   CPU {bare_cpu:6.2f} s {per_page(bare_cpu)}")
    print(f"   runner jobs=1  wall {serial['wall']:6.2f} s {per_page(serial['wall'])}   CPU {serial_cpu:6.2f} s "
          f"{per_page(serial_cpu)}  (harness {per_page(serial['harness_cpu']).strip()})")
    print(f"   overhead       wall {per_page(serial['wall'] - bare_wall)}   CPU {per_page(serial_cpu - bare_cpu)}"
          "   (CPU is the steadier figure on a shared machine)")
    print(f"   extractor call {bare_calls_ms / n:.2f} ms/page in process, {serial['calls_ms'] / n:.2f} ms/page in "
          f"the worker; import + warm-up {serial['import_ms']} ms, reported apart; {serial['workers']} worker(s)")
    print(f"   outcomes            {serial['outcomes']}")
    print(f"\n2. parallel speed-up: jobs={args.jobs} {parallel['wall']:.2f} s against jobs=1 "
          f"{serial['wall']:.2f} s: x{serial['wall'] / parallel['wall']:.2f}")
    print(f"\n3. cache (jobs={args.jobs}): cold {cold['wall']:.2f} s (computes and stores {n} pairs), "
          f"warm {warm['wall']:.2f} s ({warm['cached']} of {n} from the cache, "
          f"{warm['workers']} workers started): x{cold['wall'] / warm['wall']:.1f}; cache file {cache_mb:.1f} MB")
    print("\n4. memory")
    print(f"   harness RSS at start {rss_start:.0f} MB, with the pages loaded {rss_loaded:.0f} MB, "
          f"peak over the four runs {harness_peak:.0f} MB (+{harness_peak - rss_loaded:.0f} MB over loaded)")
    print(f"   worker peak RSS {max(r['worker_peak_mb'] or 0 for r in (serial, parallel, cold)):.0f} MB "
          f"(interpreter + {spec.name} + one page at a time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
