"""What `boilerbench run` prints: the comparison table in five formats, failures, timings and warnings.

The default table fits 100 columns (extractor, F1 with its interval,
precision, recall, chrome leak, median ms, failures); ``--format wide``
shows every column, ``csv`` and ``json`` the whole summary for programs,
``markdown`` the table as report.md has it. Every extractor with pairs other
than ok/empty gets one line after the table, so no failure hides in a mean.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

FORMATS = ("table", "wide", "csv", "json", "markdown")
#: formats whose stdout is for a program: every other line goes to stderr
MACHINE_FORMATS = ("csv", "json", "markdown")


def written_files(reports: bool) -> str:
    """The files a run folder holds for the closing line, with or without the reports."""
    return "report.md, report.html, summary.csv, scores.csv" if reports else "summary.csv, scores.csv"
#: the widest the default table may be
TABLE_WIDTH = 100
#: longest extractor name shown in the default table (longer ones are cut with "…"; --format wide shows them)
NAME_WIDTH = 28
#: characters of an extractor's stderr kept on its failure line
STDERR_TAIL = 160
CACHED_MARK = "*"


def _fmt(value: Any, digits: int = 3) -> str:
    from benchmark.report.markdown import fmt

    return fmt(value, digits)


def _name(name: str, width: int = NAME_WIDTH) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def default_table(summary: Any, from_cache: Mapping[str, int]) -> list[str]:
    """The ranking in at most TABLE_WIDTH columns; ms replayed from the cache marked with CACHED_MARK."""
    from benchmark.report.markdown import available

    return table_lines(available(summary).to_dict("records"), from_cache)


def _missing(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def table_lines(records: list[Mapping[str, Any]], from_cache: Mapping[str, int]) -> list[str]:
    """The default table from summary rows of extractors that ran (a frame's, or summary.csv's read plainly)."""
    header = ("extractor", "F1 [95% CI]", "P", "R", "chrome", "ms med", "failures")
    rows = []
    ranked = sorted(records, key=lambda rec: (_missing(rec["f1_mean"]),
                                              0.0 if _missing(rec["f1_mean"]) else -float(rec["f1_mean"])))
    for rec in ranked:
        ms = _fmt(rec["ms_median"], 1) + (CACHED_MARK if from_cache.get(rec["extractor"]) else "")
        rows.append((_name(str(rec["extractor"])),
                     f"{_fmt(rec['f1_mean'])} [{_fmt(rec['f1_ci_low'])}, {_fmt(rec['f1_ci_high'])}]",
                     _fmt(rec["precision_mean"]), _fmt(rec["recall_mean"]), _fmt(rec["chrome_leak_rate"]),
                     ms, str(int(float(rec["failures"])))))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * min(TABLE_WIDTH, len(lines[0])))
    return lines


def print_summary(summary: Any, fmt: str, from_cache: Mapping[str, int], echo: Callable[[str], None]) -> None:
    """The comparison table in the format asked for."""
    if fmt == "csv":
        echo(summary.to_csv(index=False, lineterminator="\n").rstrip("\n"))
    elif fmt == "json":
        echo(summary.to_json(orient="records", indent=2))
    elif fmt == "markdown":
        from benchmark.report.markdown import COMPARISON_HEADER, _table, comparison_rows

        echo("\n".join(_table(COMPARISON_HEADER, comparison_rows(summary))))
    elif fmt == "wide":
        _print_wide(summary, from_cache)
    else:
        for line in default_table(summary, from_cache):
            echo(line)
    if fmt in ("table", "wide") and any(from_cache.values()):
        echo(replayed_line(from_cache))


def replayed_line(from_cache: Mapping[str, int]) -> str:
    """What the CACHED_MARK after a timing means, with the pairs replayed per extractor."""
    counts = ", ".join(f"{name} {n}" for name, n in sorted(from_cache.items()) if n)
    return (f"{CACHED_MARK} timings replayed from the cache: measured when those pairs were computed, "
            f"not in this run ({counts} pairs)")


def _print_wide(summary: Any, from_cache: Mapping[str, int]) -> None:
    """Every column of the ranking, never cut (rich wraps to the terminal, or draws at full width in a pipe)."""
    from rich.console import Console
    from rich.table import Table

    from benchmark.report.markdown import COMPARISON_HEADER, comparison_rows

    console = Console()
    if not console.is_terminal:
        console = Console(width=400)
    table = Table(title="boilerbench — comparison (macro means over pages)", title_justify="left")
    for column in COMPARISON_HEADER:
        table.add_column(column, justify="left" if column in {"extractor", "version"} else "right",
                         overflow="fold")
    timed = COMPARISON_HEADER.index("ms median")
    for row in comparison_rows(summary):
        cells = [str(c) for c in row]
        if from_cache.get(cells[0]):
            cells[timed] += CACHED_MARK
        table.add_row(*cells)
    console.print(table)


@dataclass
class RunLog:
    """Per extractor, as pairs land: outcome counts, cached pairs, the first error and its stderr's tail."""

    outcomes: dict[str, Counter] = field(default_factory=dict)
    cached: Counter = field(default_factory=Counter)
    first_error: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name -> (page, error, stderr)

    def add(self, extraction: Any) -> None:
        name, outcome = extraction.extractor, str(extraction.outcome)
        self.outcomes.setdefault(name, Counter())[outcome] += 1
        if extraction.cached:
            self.cached[name] += 1
        if outcome not in ("ok", "empty") and name not in self.first_error:
            self.first_error[name] = (extraction.page_id, extraction.error, extraction.stderr or "")

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.outcomes.values())

    def failure_lines(self) -> list[str]:
        """One line per extractor with pairs other than ok/empty: counts, the first error, its stderr's tail."""
        lines = []
        for name in sorted(self.first_error):
            counts = self.outcomes[name]
            bad = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())
                            if outcome not in ("ok", "empty"))
            page, error, stderr = self.first_error[name]
            line = f"{name}: {bad} of {sum(counts.values())} pairs; first ({page}): {error or 'no message'}"
            tail = " ".join(stderr.split())[-STDERR_TAIL:]
            if tail:
                line += f"; stderr: …{tail}" if len(" ".join(stderr.split())) > STDERR_TAIL else f"; stderr: {tail}"
            lines.append(line)
        return lines


def closing_line(run_dir: Any, written: str, total_s: float, phases: Mapping[str, Any], report_s: float | None,
                 log: RunLog) -> str:
    """The whole command's time and its phases, and how many pairs came from the cache."""
    parts = [f"extract {phases.get('extract_s', 0.0):.1f} s",
             f"score {phases.get('score_s', 0.0):.1f} s (during extraction)",
             f"tables {phases.get('tables_s', 0.0):.1f} s"]
    if report_s is not None:
        parts.append(f"report {report_s:.1f} s")
    cached = sum(log.cached.values())
    replayed = phases.get("scores_replayed", 0)
    pairs = f"{log.total} pairs, {cached} from the cache" + (f" ({replayed} scores replayed)" if replayed else "")
    return f"Wrote {run_dir} ({written}) in {total_s:.1f} s: {', '.join(parts)}; {pairs}."


def load_warning(load: Mapping[str, Any] | None) -> str | None:
    """pyperf's warning, in our words: timings taken on a busy machine are not to be compared."""
    if not load or not load.get("busy"):
        return None
    start, end = (load.get("start") or [None])[0], (load.get("end") or [None])[0]
    import os

    return (f"warning: the machine was busy (load average {start} at the start, {end} at the end, on "
            f"{os.cpu_count()} CPUs): the ms columns include time other processes took; re-run on an idle "
            "machine before comparing speed")


def process_seconds() -> float:
    """Seconds since this process started (Linux /proc), so start-up and imports count in the closing line."""
    try:
        import os

        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rpartition(")")[2].split()
        started_ticks = int(fields[19])  # field 22 of stat(5): starttime, in clock ticks since boot
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.process_time()


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)


class Progress:
    """A progress bar fed one pair at a time: pairs done, cached and timed out, and the rate of computed pairs.

    The rate counts only pairs an extractor computed, over the time since the
    first was asked for: cached pairs are instant and would inflate it, and a
    worker waiting out a timeout is time the run really takes.
    """

    def __init__(self, console: Any, total: int, quiet: bool) -> None:
        self.console, self.total, self.quiet = console, total, quiet
        self._progress: Any = None
        self.computed = self.cached = self.timeouts = 0
        self.started = time.perf_counter()

    def __enter__(self) -> Callable[[Any], None]:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        if self.quiet:
            return lambda extraction: None
        self._progress = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=self.console,
                             transient=False)
        self._progress.__enter__()
        task = self._progress.add_task("extracting", total=self.total, rate="")

        def advance(extraction: Any) -> None:
            if extraction.cached:
                self.cached += 1
            else:
                self.computed += 1
            self.timeouts += str(extraction.outcome) == "timeout"
            self._progress.update(task, advance=1, rate=self.rate(), description=f"{extraction.extractor:>18}")

        return advance

    def rate(self) -> str:
        elapsed = time.perf_counter() - self.started
        parts = [f"{self.computed / elapsed:.1f} pairs/s computed" if self.computed and elapsed > 0 else ""]
        parts += [f"{self.cached} cached" if self.cached else "", f"{self.timeouts} timeouts" if self.timeouts else ""]
        return " · ".join(part for part in parts if part)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
