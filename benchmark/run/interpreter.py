"""Another Python (a venv built for one release of an extractor) that runs the harness's own workers.

The worker protocol, deadlines, memory cap, network refusal and cache are the
same as in a local run; only the interpreter differs. That interpreter sees
its own site-packages plus exactly one extra entry: a folder holding a single
link, ``benchmark``, to this harness's package. So it imports the harness's
worker and adapters (the same files the harness digests for the cache key)
and the extractor releases installed in its venv, and nothing from the
harness's environment, whether the harness is a checkout, an editable install
or a regular one in site-packages.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from benchmark.records import ExtractorSpec

#: environment variables of the harness that would leak its packages or settings into the other Python
_DROPPED_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")
#: seconds the other Python may take to report versions and digests (start-up plus metadata reads)
DESCRIBE_TIMEOUT = 120.0

_DESCRIBE_SCRIPT = (
    "import pickle, sys\n"
    "from benchmark.run.specs import describe_specs\n"
    "specs = pickle.load(sys.stdin.buffer)\n"
    "sys.stdout.buffer.write(pickle.dumps(describe_specs(specs)))\n"
)


class InterpreterError(RuntimeError):
    """The other Python could not answer: the message says which one and what it printed."""


def harness_link_dir(root: Path) -> Path:
    """A folder under `root` holding only a `benchmark` link to this harness's package (made once, kept right)."""
    import benchmark

    package = Path(benchmark.__file__).resolve().parent
    folder = Path(root) / hashlib.sha256(str(package).encode("utf-8")).hexdigest()[:16]
    link = folder / "benchmark"
    if not (link.is_symlink() and Path(os.readlink(link)) == package):
        folder.mkdir(parents=True, exist_ok=True)
        staging = folder / f".benchmark.{os.getpid()}"
        if staging.is_symlink():
            staging.unlink()
        staging.symlink_to(package, target_is_directory=True)
        os.replace(staging, link)  # atomic: a concurrent run sees the old link or the new one
    return folder


@dataclass(frozen=True)
class WorkerPython:
    """The interpreter that runs the workers, and the folder that makes the harness importable in it."""

    python: Path
    harness_path: Path  # from harness_link_dir

    def command(self, *args: str) -> list[str]:
        """argv starting this Python in isolated-site mode (no user site-packages)."""
        return [str(self.python), "-s", *args]

    def environ(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The worker's environment: the harness's, minus what would leak its packages, plus the harness link."""
        env = dict(os.environ if base is None else base)
        for name in _DROPPED_VARIABLES:
            env.pop(name, None)
        env["PYTHONPATH"] = str(self.harness_path)
        env["PYTHONNOUSERSITE"] = "1"
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def describe_specs(self, specs: Sequence[ExtractorSpec]) -> list:
        """`benchmark.run.specs.describe_specs` answered by this Python: its versions, its installed modules."""
        try:
            done = subprocess.run(self.command("-c", _DESCRIBE_SCRIPT), input=pickle.dumps(list(specs)),
                                  capture_output=True, env=self.environ(), timeout=DESCRIBE_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InterpreterError(f"{self.python}: cannot start it to read versions ({exc})") from None
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise InterpreterError(f"{self.python}: reading versions failed (exit {done.returncode}): "
                                   + " | ".join(tail))
        return pickle.loads(done.stdout)
