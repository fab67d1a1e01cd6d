"""Memory and output figures for issue 14's big probes: a 200 MB extractor output and a 200 MB predictions file.

Prints, per probe and per checkout, the peak RSS of the `boilerbench` process
(measured by the kernel for the child: wait4's ru_maxrss) and the sizes of
what the run wrote. Give `--against DIR` (another checkout, e.g. a worktree
of main) to measure it side by side in the same run.

    python tools/bench_hostile.py [--output-mb 200] [--predictions-mb 200] [--against ../main]

Nothing is downloaded; everything is generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PLUGIN = '''
import os


def huge_output(html):
    """Returns "word " * n on the page that asks for it (the 200 MB probe), else the page."""
    if "HOSTILE-TRIGGER" in html:
        return "word " * (int(os.environ["BENCH_HOSTILE_CHARS"]) // 5)
    return "a calm page"
'''


def _dataset(folder: Path, pages: int, trigger: bool) -> Path:
    folder.mkdir(parents=True)
    for i in range(pages):
        body = "HOSTILE-TRIGGER" if trigger and i == 0 else f"Page {i} says the ferry runs at noon."
        (folder / f"page-{i}.html").write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
        (folder / f"page-{i}.txt").write_text(f"Page {i} says the ferry runs at noon.", encoding="utf-8")
    return folder


def _measure(code: Path, args: list[str], env: dict[str, str], scratch: Path) -> tuple[int, float, float]:
    """(exit code, peak RSS in MB, seconds) of `python -m benchmark ARGS` run from the checkout `code`."""
    environment = dict(os.environ, **env)
    environment["PYTHONPATH"] = os.pathsep.join([str(code), str(scratch)])
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "benchmark", *args], cwd=scratch, env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss / 1024, time.perf_counter() - started


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB" if path.exists() else "-"


def bench_output(code: Path, scratch: Path, megabytes: int) -> None:
    data = _dataset(scratch / f"output-data-{code.name}", 3, trigger=True)
    out = scratch / f"output-out-{code.name}"
    status, rss, seconds = _measure(code, ["run", "--dataset", f"plain:{data}", "--extractors",
                                           "bench_hostile_plugin:huge_output", "--jobs", "1", "--no-cache",
                                           "--quiet", "--out", str(out)],
                                    {"BENCH_HOSTILE_CHARS": str(megabytes * 1_000_000)}, scratch)
    runs = [p for p in out.iterdir() if p.is_dir()] if out.exists() else []
    run = runs[0] if runs else out
    line = json.loads((run / "extractions.jsonl").read_text().splitlines()[0]) if runs else {}
    print(f"  {code}: exit {status}, harness peak RSS {rss:,.0f} MB, {seconds:.1f} s; extractions.jsonl "
          f"{_size(run / 'extractions.jsonl')}, report.html {_size(run / 'report.html')}; first pair: "
          f"{line.get('outcome')} {line.get('error', '')[:60]!r}")


def bench_predictions(code: Path, scratch: Path, megabytes: int) -> None:
    pages = 200
    data = _dataset(scratch / f"pred-data-{code.name}", pages, trigger=False)
    predictions = scratch / "predictions.jsonl"
    if not predictions.exists():
        text = "word " * (megabytes * 1_000_000 // pages // 5)
        with predictions.open("w", encoding="utf-8") as handle:
            for i in range(pages):
                handle.write(json.dumps({"page_id": f"page-{i}", "text": text}) + "\n")
    status, rss, seconds = _measure(code, ["score", "--dataset", f"plain:{data}", "--predictions", str(predictions),
                                           "--format", "json", "--bootstrap", "0"], {}, scratch)
    print(f"  {code}: exit {status}, peak RSS {rss:,.0f} MB for {_size(predictions)} of JSON lines, {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-mb", type=int, default=200, help="size of the hostile output (default 200)")
    parser.add_argument("--against-output-mb", type=int, default=None,
                        help="size for the --against checkout (default: the same; the probe grew main to 12 GB)")
    parser.add_argument("--predictions-mb", type=int, default=200, help="size of the JSON-lines file (default 200)")
    parser.add_argument("--against", type=Path, default=None, help="another checkout to measure side by side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        scratch = Path(tmp)
        (scratch / "bench_hostile_plugin.py").write_text(PLUGIN, encoding="utf-8")
        checkouts = [(REPO, args.output_mb)]
        if args.against is not None:
            checkouts.append((args.against.resolve(), args.against_output_mb or args.output_mb))
        print("probe 1: a plugin returning a huge string on one page of three")
        for code, megabytes in checkouts:
            print(f"  ({megabytes} MB output)")
            bench_output(code, scratch, megabytes)
        print(f"probe 8: boilerbench score on {args.predictions_mb} MB of JSON-lines predictions (200 pages)")
        for code, _ in checkouts:
            bench_predictions(code, scratch, args.predictions_mb)


if __name__ == "__main__":
    main()
