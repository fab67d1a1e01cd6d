"""What the hostile-input tests share: small datasets written in the test, the CLI in or out of process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from benchmark.cli import main
from tests.fakes import alive
from tests.hostile import hostile_fakes

#: the checkout (tests run the CLI from here, so plugins in tests/ are importable)
REPO = Path(__file__).resolve().parents[2]


def plugin_name(function: str) -> str:
    """The `module:function` name of a hostile plugin, as given to --extractors."""
    return f"{hostile_fakes.__name__}:{function}"


def plain_dataset(folder: Path, pages: Mapping[str, str]) -> Path:
    """A plain dataset (<id>.html + <id>.txt): each page's body is its one paragraph, the gold that text."""
    folder.mkdir(parents=True, exist_ok=True)
    for page_id, body in pages.items():
        (folder / f"{page_id}.html").write_text(f"<html><head><meta charset='utf-8'></head><body><p>{body}</p>"
                                                "</body></html>", encoding="utf-8")
        (folder / f"{page_id}.txt").write_text(body, encoding="utf-8")
    return folder


def run_cli(args: Iterable[Any], capsys) -> tuple[int, str, str]:
    """The CLI in this process: exit code, stdout, stderr."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI run in a child process: this checkout importable (plugins in tests/ too)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *(p for p in sys.path if p)])
    env.update(extra)
    return env


def cli_process(args: Iterable[Any], **extra_env: str) -> subprocess.Popen[str]:
    """`python -m benchmark ARGS` in a child process of its own group, output captured."""
    return subprocess.Popen([sys.executable, "-m", "benchmark", *(str(a) for a in args)], cwd=REPO,
                            env=child_env(**extra_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def only_run(out: Path) -> Path:
    """The one run folder under out."""
    (run_dir,) = [p for p in out.iterdir() if p.is_dir() and p.name != "latest"]
    return run_dir


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def left_pids(pid_dir: Path) -> list[int]:
    return [int(path.read_text()) for path in pid_dir.glob("*.pid")]


def survivors(pids: Iterable[int], seconds: float = 5.0) -> list[int]:
    """The pids still alive after waiting up to `seconds` for them to go (they are killed after the test)."""
    pids = list(pids)
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def kill_all(pids: Iterable[int]) -> None:
    """Clean up after a failing process test, so one failure does not leave sleepers behind."""
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
