"""One venv per combination of pinned releases, under the user cache, built once and reused.

A venv's folder is named by what decides its contents: the interpreter, the
pinned requirements, the companions the harness's adapters need and the
index options. It counts as built only once its manifest
(``boilerbench-env.json``, written last) says so; a half-built one (killed
mid-install) is wiped and built again. `uv` builds it when it is on PATH,
pip otherwise: the harness's own pip installs into the new venv
(``pip --python``), so the venv needs no pip of its own and gets a current
resolver. A combination that cannot be built (no wheel for this Python, a
resolver conflict, a release that is not there) gives a `ReleaseEnvironment`
with ``ok=False`` and the installer's own words, never an exception.

The harness itself is not installed into the venv: workers find it through
one link (`benchmark.run.interpreter`), so the venv holds only the releases.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

from benchmark.versions.combinations import Combination, ReleaseEnvironment
from benchmark.run.interpreter import WorkerPython, harness_link_dir
from benchmark.versions.index import IndexOptions, canonical

MANIFEST = "boilerbench-env.json"
#: bump when what goes into a venv changes, so older venvs are rebuilt rather than trusted
LAYOUT_VERSION = 1
#: seconds one install may take (a source build of lxml can take minutes)
INSTALL_TIMEOUT = 1800.0
#: packages the harness's adapters import beside the extractor itself (see extractors/adapters.py)
COMPANIONS: Mapping[str, tuple[str, ...]] = {
    "readability-lxml": ("html-text",),  # AEB's call turns readability's HTML into text with html_text
    # lxml >= 5.2 moved lxml.html.clean out, which these import; harmless beside an older lxml
    "newspaper3k": ("lxml_html_clean",),
    "justext": ("lxml_html_clean",),
}


def default_root() -> Path:
    """<user cache dir>/boilerbench/envs (XDG_CACHE_HOME on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("boilerbench", appauthor=False)) / "envs"


def installer_available(name: str) -> bool:
    return shutil.which(name) is not None


class EnvironmentBuilder:
    """Builds and reuses release venvs under `root` for one interpreter and one set of index options."""

    def __init__(self, root: Path | None = None, *, python: str | None = None,
                 index: IndexOptions = IndexOptions(), installer: str = "auto",
                 companions: Mapping[str, tuple[str, ...]] = COMPANIONS,
                 say: Callable[[str], None] = lambda _line: None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.python = python or sys.executable
        self.index = index
        if installer == "auto":
            installer = "uv" if installer_available("uv") else "pip"
        if installer not in ("uv", "pip"):
            raise ValueError(f"installer must be auto, uv or pip, got {installer!r}")
        self.installer = installer
        self.companions = {canonical(k): tuple(v) for k, v in companions.items()}
        self.say = say

    # ------------------------------------------------------------------ naming

    def requirements(self, combination: Combination) -> list[str]:
        """The pins, then the companions of pinned packages that are not pinned themselves."""
        pinned = {canonical(pin.package) for pin in combination.pins}
        extra = [c for pin in combination.pins for c in self.companions.get(canonical(pin.package), ())
                 if canonical(c) not in pinned]
        return [*combination.requirements, *dict.fromkeys(extra)]

    def identity(self, combination: Combination) -> dict[str, object]:
        """Everything that decides what the venv holds; its digest names the folder."""
        return {"layout": LAYOUT_VERSION, "python": str(Path(self.python).resolve()),
                "python_version": _python_version(self.python), "installer": self.installer,
                "requirements": self.requirements(combination), "index": self.index.pip_args()}

    def path_for(self, combination: Combination) -> Path:
        identity = json.dumps(self.identity(combination), sort_keys=True)
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]
        return self.root / f"{combination.slug[:80]}-{digest}"

    def worker_python(self, environment: ReleaseEnvironment) -> WorkerPython:
        """The interpreter that runs the harness's workers in this venv."""
        return WorkerPython(python=Path(environment.python), harness_path=harness_link_dir(self.root / "harness"))

    # ------------------------------------------------------------------ building

    def ensure(self, combination: Combination) -> ReleaseEnvironment:
        """The venv for `combination`: reused when its manifest says it is complete, else built now."""
        path = self.path_for(combination)
        self.root.mkdir(parents=True, exist_ok=True)
        with _Lock(path.with_name(path.name + ".lock")):
            manifest = _read_manifest(path)
            if manifest is not None and manifest.get("identity") == self.identity(combination) \
                    and Path(manifest.get("python", "")).exists():
                return ReleaseEnvironment(combination=combination, ok=True, path=str(path),
                                          python=manifest["python"], installer=manifest["installer"],
                                          installed=dict(manifest.get("installed", {})), reused=True)
            return self._build(combination, path)

    def _build(self, combination: Combination, path: Path) -> ReleaseEnvironment:
        if path.exists():
            shutil.rmtree(path)  # half-built (no manifest) or stale: start clean
        requirements = self.requirements(combination)
        fetch = "no network" if self.index.offline else "downloads"
        self.say(f"building {path.name}: {' '.join(requirements)} from {self.index.describe()} "
                 f"({fetch}, {self.installer})")
        started = time.monotonic()
        python = path / "bin" / "python"

        def failed(message: str) -> ReleaseEnvironment:
            shutil.rmtree(path, ignore_errors=True)
            return ReleaseEnvironment(combination=combination, ok=False, path=str(path), python="",
                                      installer=self.installer, message=message)

        create = ([_uv(), "venv", "--quiet", "--python", self.python, str(path)] if self.installer == "uv"
                  else [self.python, "-m", "venv", "--without-pip", str(path)])
        problem = _run(create, timeout=300.0)
        if problem:
            return failed(f"creating the venv failed: {problem}")
        if self.installer == "uv":
            install = [_uv(), "pip", "install", "--python", str(python), *self.index.pip_args(), *requirements]
        else:
            install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-input",
                       "--disable-pip-version-check", "--progress-bar", "off", *self.index.pip_args(),
                       *requirements]
        problem = _run(install, timeout=INSTALL_TIMEOUT)
        if problem:
            return failed(problem)
        installed = _installed(python)
        if installed is None:
            return failed(f"{python} does not start after installing {' '.join(requirements)}")
        wrong = [f"{pin.package} {installed.get(canonical(pin.package), 'missing')} (asked {pin.version})"
                 for pin in combination.pins if not _same_version(installed.get(canonical(pin.package)), pin.version)]
        if wrong:
            return failed("the installer did not install the pinned releases: " + ", ".join(wrong))
        manifest = {"identity": self.identity(combination), "python": str(python), "installer": self.installer,
                    "installed": installed, "built_s": round(time.monotonic() - started, 1),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        staging = path / f".{MANIFEST}.tmp"
        staging.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(staging, path / MANIFEST)  # written last: only now is the venv "built"
        return ReleaseEnvironment(combination=combination, ok=True, path=str(path), python=str(python),
                                  installer=self.installer, installed=installed)


# --------------------------------------------------------------------------- helpers


def _uv() -> str:
    return shutil.which("uv") or "uv"


def _python_version(python: str) -> str:
    """"3.11.7 CPython": the interpreter's own answer (another Python than the harness's may be asked for)."""
    if Path(python).resolve() == Path(sys.executable).resolve():
        import platform

        return f"{platform.python_version()} {platform.python_implementation()}"
    try:
        done = subprocess.run([python, "-c", "import platform; print(platform.python_version(), "
                                             "platform.python_implementation())"],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def _run(argv: Sequence[str], *, timeout: float) -> str:
    """Run an installer step; "" when it worked, else its own error lines (resolver messages kept)."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"{Path(argv[0]).name} took over {timeout:g} s and was stopped"
    except OSError as exc:
        return f"cannot run {argv[0]}: {exc}"
    if done.returncode == 0:
        return ""
    return installer_message(done.stderr or done.stdout, done.returncode)


def installer_message(output: str, returncode: int) -> str:
    """The lines of an installer's output that say why it failed (its ERROR lines and the conflict it found)."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    noise = ("WARNING: Location", "[notice]", "DEPRECATION")
    lines = [line for line in lines if not line.lstrip().startswith(noise)]
    start = next((i for i, line in enumerate(lines) if line.startswith(("ERROR", "error:", "  ×", "×"))), None)
    kept = lines[start:] if start is not None else lines[-8:]
    text = " | ".join(line.strip() for line in kept[:14])
    return text or f"the installer exited with code {returncode} and said nothing"


def _installed(python: Path) -> dict[str, str] | None:
    """Distribution (PEP 503 name) -> version in the venv, read by its own interpreter."""
    script = ("import json, importlib.metadata as m\n"
              "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}))")
    try:
        done = subprocess.run([str(python), "-s", "-c", script], capture_output=True, text=True, timeout=120,
                              check=False, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        found = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    if found is None:
        return None
    return {canonical(name): version for name, version in sorted(found.items())}


def _same_version(installed: str | None, pinned: str) -> bool:
    from packaging.version import InvalidVersion, Version

    if installed is None:
        return False
    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class _Lock:
    """An exclusive flock beside a venv, so two commands never build the same one at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Lock:
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
