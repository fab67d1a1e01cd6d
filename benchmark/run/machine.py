"""The machine a run is timed on: its load average at start and end, whether it was busy; the harness's own
peak memory and CPU time."""

from __future__ import annotations

import os
import sys
from typing import Any


def machine_load() -> list[float] | None:
    """1, 5 and 15 minute load averages: timings taken on a busy machine are slower, and the report says so."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (OSError, AttributeError):  # not on Windows
        return None


def is_busy(load: dict[str, Any], jobs: int) -> bool:
    """Whether other work took CPU time from this run's timings, as pyperf would warn.

    Busy: the 1-minute load average at the start, or at the end less this
    run's own workers, reached the number of CPUs.
    """
    cpus = os.cpu_count() or 1
    start, end = load.get("start"), load.get("end")
    others = [start[0]] if start else []
    if end:
        others.append(end[0] - min(jobs, cpus))
    return bool(others) and max(others) >= cpus


def peak_rss_mb() -> float | None:
    """This process's peak resident memory: the harness alone, workers are other processes."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / 1024 / (1024 if sys.platform == "darwin" else 1), 1)


def cpu_seconds() -> float | None:
    """User + system seconds of the harness process so far (its workers are other processes)."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)
