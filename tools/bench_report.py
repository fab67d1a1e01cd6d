"""Issue 13's report target, measured with the whole command (not a timed test): `boilerbench report` on
1,000 pages x 6 extractors <= 3 s.

Usage: python tools/bench_report.py [--aeb ../shared/datasets/aeb] [--pages 1000] [--work DIR] [--repeat 3]
                                    [--compare-src DIR]

Builds a plain-folder corpus of AEB pages replicated to --pages (each copy
made distinct by a trailing comment, as tools/bench_cli.py does), runs the
default six extractors on it once (`boilerbench run --no-report`; kept in
--work, so a second measurement reuses it), then times `python -m benchmark
report RUN_DIR`, interpreter start-up and imports included:

- cold: the run folder as `run --no-report` left it (no report files, no outputs/);
- warm: a re-render of the same folder (outputs/ already written).

Wall-clock seconds depend on what else the machine runs, so each timing is
printed with the CPU seconds of the command (user + system) and the load.
With --compare-src DIR (a checkout of another commit, e.g. `git archive main
| tar -x -C DIR`), the same timings are taken with that code side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "datasets" / "aeb"
TARGET_S = 3.0
REPORT_FILES = ("report.md", "report.html", "table.tex", "report-pages", "outputs")


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole command; its output is kept only on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def clean(run_dir: Path) -> None:
    """The run folder as `run --no-report` leaves it."""
    for name in REPORT_FILES:
        path = run_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def prepared_run(work: Path, aeb: Path, pages: int) -> Path:
    """The replicated corpus and one run of the default extractors on it, made once per --work folder."""
    sys.path.insert(0, str(REPO / "tools"))
    from bench_cli import build_corpus

    corpus = work / f"aeb{pages}"
    if not corpus.is_dir():
        build_corpus(aeb, pages, corpus)
    runs = work / "runs"
    done = sorted(p for p in runs.glob("*") if (p / "summary.csv").is_file()) if runs.is_dir() else []
    if not done:
        command = [sys.executable, "-m", "benchmark", "run", "--dataset", f"plain:{corpus}", "--quiet",
                   "--no-report", "--out", str(runs), "--cache-dir", str(work / "cache")]
        print(f"running the default extractors on {pages} pages once (minutes): {' '.join(command)}", flush=True)
        timed(command, dict(os.environ), REPO)
        done = sorted(p for p in runs.glob("*") if (p / "summary.csv").is_file())
    return done[-1]


def measure(run_dir: Path, src: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Best-of-N cold and warm `report` timings with the code in `src`, on a private copy of the run."""
    copy = Path(tempfile.mkdtemp(prefix="bb-report-")) / run_dir.name
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns(*REPORT_FILES))
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    command = [sys.executable, "-m", "benchmark", "report", str(copy)]
    cold, warm = [], []
    for _ in range(repeat):
        clean(copy)
        cold.append(timed(command, env, src))
        warm.append(timed(command, env, src))
    shutil.rmtree(copy.parent, ignore_errors=True)
    return {"cold": min(cold), "warm": min(warm)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bb-bench-report")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for each timing")
    parser.add_argument("--compare-src", type=Path, default=None,
                        help="a checkout of other code to time side by side (e.g. main before this change)")
    args = parser.parse_args()
    if not (args.aeb / "ground-truth.json").is_file():
        raise SystemExit(f"{args.aeb}: no AEB dataset here (ground-truth.json); pass --aeb PATH")
    args.work.mkdir(parents=True, exist_ok=True)
    run_dir = prepared_run(args.work, args.aeb, args.pages)
    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    extractors = len(meta.get("extractors") or {})
    sources = [("this checkout", REPO)] + ([("--compare-src", args.compare_src.resolve())] if args.compare_src else [])
    results = {label: measure(run_dir, src, args.repeat) for label, src in sources}

    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\nboilerbench report on {args.pages} pages x {extractors} extractors (AEB replicated), "
          f"{os.cpu_count()} CPUs, load {load}; best of {args.repeat}; whole command, start-up included\n")
    print(f"{'code':<16}{'render':<8}{'wall s':>9}{'CPU s':>9}{'target':>10}")
    for label, timings in results.items():
        for kind, (wall, cpu) in timings.items():
            verdict = "ok" if wall <= TARGET_S else "over"
            print(f"{label:<16}{kind:<8}{wall:>9.2f}{cpu:>9.2f}{'<= 3.0':>10}  {verdict}")
    if len(results) == 2:
        ours, theirs = results["this checkout"], results["--compare-src"]
        print(f"\nspeed-up, cold: {theirs['cold'][0] / ours['cold'][0]:.1f}x wall, "
              f"{theirs['cold'][1] / ours['cold'][1]:.1f}x CPU")
    print(f"(run: {run_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
