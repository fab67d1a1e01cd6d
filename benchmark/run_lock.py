"""A run folder's lock: a live run holds it, so a folder left "running" by a killed run can be told apart.

`RunWriter` (results.py) takes the lock on its folder before run.json exists
and keeps it until the run is finished; an flock goes with its process
however that ends (SIGKILL, power-off of a container), so nothing has to
clean up. A later run into the same results folder marks every folder that
still says "running" but whose lock it can take as "interrupted", so
`report`, `gate` and readers see what happened instead of a run that never
ends. POSIX only (fcntl.flock); elsewhere nothing is locked and nothing is
marked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path


def lock_folder(folder: Path, *, wait: bool) -> int | None:
    """An fd holding an exclusive flock on folder (released when closed, or when the process dies), or None."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, so no run is ever taken for stale
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def mark_stale_runs(out_root: Path, by: str) -> list[Path]:
    """Mark "running" run folders under out_root whose run is gone (killed) as "interrupted"; which ones.

    A run holds a lock on its folder from before its run.json exists until it
    finishes; the lock goes with the process, however it ends. A folder that
    says "running" and whose lock can be taken has no run behind it.
    """
    marked = []
    try:
        candidates = sorted(p for p in out_root.iterdir() if p.is_dir() and (p / "run.json").is_file())
    except OSError:
        return marked
    for run_dir in candidates:
        try:
            meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(meta, dict) or meta.get("status") != "running":
            continue
        fd = lock_folder(run_dir, wait=False)
        if fd is None:  # its run is alive (or the lock cannot be taken here): leave it
            continue
        try:
            meta.update({"status": "interrupted",
                         "interrupted_note": f"the run stopped without finishing (killed?); found by run {by} "
                                             f"at {dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}"})
            from benchmark.results import atomic_write_text

            atomic_write_text(run_dir / "run.json", json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n")
            marked.append(run_dir)
        except OSError:
            pass
        finally:
            os.close(fd)
    return marked
