"""Issue 6's targets, measured with whole commands side by side in one run (not a timed test).

Usage: python tools/bench_cli.py [--aeb ../shared/datasets/aeb] [--pages 200] [--memory-pages 1000]
                                 [--extractor trafilatura]

Builds a plain-folder corpus (<id>.html + <id>.txt) of AEB pages replicated to
the sizes asked, each copy made distinct by a trailing comment so the cache
cannot cheat, then times, wall clock, interpreter start and imports included:

1. a bare loop: one Python process that imports the library and calls it on
   every page, writing the texts to a JSON-lines file;
2. `boilerbench run --jobs 1 --no-cache --no-report` with that one extractor;
   the ratio 2/1 is the harness overhead (target <= 1.10);
3. the same with --jobs 2; the ratio 2/3 is the parallel speed-up (target >= 1.8);
4. `--jobs 2` with an empty cache (cold), then again (warm); target >= 20x;
5. the harness's own peak RSS on --memory-pages pages (run.json records it;
   target < 500 MB); workers are other processes and are reported apart.
Also the cost of rendering the reports, which --no-report leaves out of 2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "datasets" / "aeb"

BARE_LOOP = """
import json, sys, time
from pathlib import Path
import trafilatura
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
with out.open("w", encoding="utf-8") as sink:
    for path in sorted(folder.glob("*.html")):
        html = path.read_bytes().decode("utf-8", errors="replace")
        started = time.perf_counter()
        text = trafilatura.extract(html, include_comments=False, include_tables=True, output_format="txt")
        sink.write(json.dumps({"page_id": path.stem, "text": text or "",
                               "ms": (time.perf_counter() - started) * 1000}) + "\\n")
"""


def build_corpus(aeb: Path, count: int, folder: Path) -> None:
    """count distinct pages: AEB's (or the bundled corpus's), copies told apart by a comment."""
    sources: list[tuple[bytes, str]] = []
    truth_path = aeb / "ground-truth.json"
    if truth_path.is_file():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for item_id in sorted(truth):
            raw = gzip.decompress((aeb / "html" / f"{item_id}.html.gz").read_bytes())
            sources.append((raw, truth[item_id]["articleBody"]))
    else:
        for page in sorted((REPO / "pages").glob("*.html")):
            sources.append((page.read_bytes(), (REPO / "gold" / f"{page.stem}.txt").read_text(encoding="utf-8")))
    folder.mkdir(parents=True)
    for i in range(count):
        raw, gold = sources[i % len(sources)]
        (folder / f"p{i:05d}.html").write_bytes(raw + f"\n<!-- copy {i} -->\n".encode())
        (folder / f"p{i:05d}.txt").write_text(gold, encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole command; its output is kept only on failure."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def newest_run(out: Path) -> dict:
    run_dir = max(out.iterdir(), key=lambda p: p.stat().st_mtime)
    return json.loads((run_dir / "run.json").read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--memory-pages", type=int, default=1000)
    parser.add_argument("--extractor", default="trafilatura")
    parser.add_argument("--repeat", type=int, default=2, help="best of N for each timing")
    args = parser.parse_args()
    if args.extractor != "trafilatura":
        raise SystemExit("the bare loop is written for trafilatura; pass --extractor trafilatura")

    work = Path(tempfile.mkdtemp(prefix="bb-bench-"))
    small, large = work / "small", work / "large"
    build_corpus(args.aeb, args.pages, small)
    build_corpus(args.aeb, args.memory_pages, large)
    env = dict(os.environ, PYTHONHASHSEED="0")
    cli = [sys.executable, "-m", "benchmark", "run", "--dataset", f"plain:{small}", "--extractors",
           args.extractor, "--quiet", "--out", str(work / "runs")]

    def best(command: list[str]) -> float:
        return min(timed(command, env) for _ in range(args.repeat))

    bare = best([sys.executable, "-c", BARE_LOOP, str(small), str(work / "bare.jsonl")])
    jobs1 = best([*cli, "--jobs", "1", "--no-cache", "--no-report"])
    jobs2 = best([*cli, "--jobs", "2", "--no-cache", "--no-report"])
    with_reports = best([*cli, "--jobs", "1", "--no-cache"])
    cache = ["--jobs", "2", "--no-report", "--cache-dir", str(work / "cache")]
    cold = timed([*cli, *cache], env)
    warm = min(timed([*cli, *cache], env) for _ in range(args.repeat))

    timed([sys.executable, "-m", "benchmark", "run", "--dataset", f"plain:{large}", "--extractors",
           args.extractor, "--quiet", "--out", str(work / "mem"), "--jobs", "2", "--no-cache", "--no-report"], env)
    memory = newest_run(work / "mem")
    worker_peak = memory["extractors"][args.extractor].get("peak_rss_mb")

    n = args.pages
    print(f"{args.extractor} on {n} pages ({'AEB' if (args.aeb / 'ground-truth.json').is_file() else 'bundled'} "
          f"replicated), {os.cpu_count()} CPUs, best of {args.repeat}; whole commands, start-up included\n")
    print(f"{'measure':<44}{'seconds':>10}{'ratio':>9}{'target':>10}")
    print(f"{'bare loop (one process, import included)':<44}{bare:>10.2f}")
    print(f"{'boilerbench run --jobs 1 --no-report':<44}{jobs1:>10.2f}{jobs1 / bare:>9.2f}{'<= 1.10':>10}")
    print(f"{'boilerbench run --jobs 2 --no-report':<44}{jobs2:>10.2f}{jobs1 / jobs2:>9.2f}{'>= 1.8':>10}"
          "   (speed-up over --jobs 1)")
    print(f"{'cold run with cache (--jobs 2)':<44}{cold:>10.2f}")
    print(f"{'warm re-run from the cache':<44}{warm:>10.2f}{cold / warm:>9.1f}{'>= 20':>10}   (cold / warm)")
    print(f"{'boilerbench run --jobs 1 with both reports':<44}{with_reports:>10.2f}{with_reports / bare:>9.2f}"
          "             (report rendering included)")
    print(f"\nharness peak RSS on {args.memory_pages} pages: {memory['harness_peak_rss_mb']} MB (target < 500); "
          f"worker peak {worker_peak} MB")
    print(f"(scratch: {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
