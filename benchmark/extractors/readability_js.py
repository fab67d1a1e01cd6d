"""Mozilla's Readability.js (with jsdom) under Node.js: the `readability-js` extractor.

The JavaScript side lives in ``tools/readability_js/`` of the checkout
(``package.json`` and ``package-lock.json`` pin ``@mozilla/readability`` and
``jsdom``; ``readability_server.js`` speaks the JSON-lines protocol of
external.py). One command sets it up, from anywhere::

    npm --prefix <checkout>/tools/readability_js ci --ignore-scripts

(``$BOILERBENCH_READABILITY_JS_DIR`` points at another copy of that folder.)
It runs as one long-lived process per worker, so Node.js and jsdom start once
per worker, not per page, and it answers what the AEB benchmark's
readability_js extractor prints: ``Readability(document).parse().textContent``.
The recorded version names Readability.js, jsdom and cssstyle (jsdom's CSS
engine), read from their installed package.json files without starting
Node.js.

Pins, measured on AEB (181 pages): jsdom 27.0.0 with cssstyle 5.3.1 (the
versions in the AEB benchmark's own lock file) give F1 0.947, its published
figure, and no errors. jsdom 27.4.0 pulls cssstyle 5.3.7, whose CSS parser
throws on four AEB pages ("Cannot create property 'border-width' on string
'inherit'", "')' is expected"): four errors, F1 0.936. Hence the exact jsdom
version and the npm ``overrides`` entry for cssstyle in package.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Mapping

from benchmark.records import ExtractorSpec, PageInput

DIR_ENV = "BOILERBENCH_READABILITY_JS_DIR"
SERVER = "readability_server.js"
#: the packages whose versions make up the recorded version
PACKAGES = ("@mozilla/readability", "jsdom", "cssstyle")


def tool_dir() -> Path:
    """The folder holding package.json, the lock file, the server script and (once set up) node_modules."""
    configured = os.environ.get(DIR_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "tools" / "readability_js"


def setup_command() -> str:
    """The one command that installs the pinned packages (needs the npm registry once)."""
    return f"npm --prefix {tool_dir()} ci --ignore-scripts"


def package_version(root: Path, package: str) -> str | None:
    """An installed npm package's version, read from its package.json (Node.js is not started)."""
    try:
        data = json.loads((root / "node_modules" / package / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def installed_versions() -> dict[str, str] | None:
    """{package: version} of the installed packages, or None when Node.js or a package is missing."""
    root = tool_dir()
    if shutil.which("node") is None or not (root / SERVER).is_file():
        return None
    versions = {package: package_version(root, package) for package in PACKAGES}
    if any(version is None for version in versions.values()):
        return None
    return versions  # type: ignore[return-value]


def installed_version() -> str | None:
    """The recorded version, "0.6.0+jsdom.27.0.0.cssstyle.5.3.1"; None when not set up."""
    versions = installed_versions()
    if versions is None:
        return None
    return f"{versions['@mozilla/readability']}+jsdom.{versions['jsdom']}.cssstyle.{versions['cssstyle']}"


def _server_sha256() -> str | None:
    """The server script's digest: an edit to it changes the options digest, hence the cache key."""
    try:
        return hashlib.sha256((tool_dir() / SERVER).read_bytes()).hexdigest()
    except OSError:
        return None


def _install_hint() -> str:
    """The setup command, or where to get the folder it needs when this installation has none."""
    if not (tool_dir() / "package.json").is_file():
        return (f"needs tools/readability_js/ of a boilerbench checkout (not found at {tool_dir()}): set "
                f"{DIR_ENV} to that folder, then run npm --prefix <that folder> ci --ignore-scripts "
                "(Node.js >= 20 and npm)")
    return f"{setup_command()}  (Node.js >= 20 and npm)"


def spec() -> ExtractorSpec:
    """The `readability-js` registration: listed whether set up or not, with its setup command."""
    return ExtractorSpec(
        name="readability-js", target="benchmark.extractors.readability_js:extract", kind="external",
        input="text", distribution="@mozilla/readability",
        options={"server": f"tools/readability_js/{SERVER}", "server_sha256": _server_sha256(),
                 "protocol": "jsonl-v1", "mode": "jsonl", "output": "textContent", "readability_options": {},
                 "network": "deny"},
        modules=(),
        install=_install_hint(),
        description="Mozilla Readability.js 0.6 on jsdom (Node.js), one long-lived JSON-lines process: "
                    "parse().textContent, as the AEB benchmark's readability_js")


def html_spec() -> ExtractorSpec:
    """`readability-js-html`: the same parse, its cleaned HTML (``content``), scored as HTML output."""
    base = spec()
    return ExtractorSpec(
        name="readability-js-html", target=base.target, kind=base.kind, input=base.input,
        distribution=base.distribution, options={**base.options, "output": "content"}, modules=(),
        install=base.install, output="html",
        description="Mozilla Readability.js 0.6 on jsdom: parse().content, the article's cleaned HTML")


def extract(page: PageInput, *, server: str, server_sha256: str | None, protocol: str = "jsonl-v1",
            mode: str = "jsonl", output: str = "textContent", readability_options: Mapping[str, Any] | None = None,
            network: str = "deny") -> str:
    """Send the page to the Readability.js server of this worker (started on first use)."""
    from benchmark.extractors.external import run_jsonl_request

    if protocol != "jsonl-v1" or mode != "jsonl" or output not in ("textContent", "content") or readability_options:
        raise ValueError("readability-js supports protocol jsonl-v1, output textContent or content and default "
                         "options only")
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node is not on PATH: install Node.js >= 20.19")
    script = tool_dir() / Path(server).name
    extra = {"output": output} if output != "textContent" else {}
    return run_jsonl_request([node, str(script)], page, extra, network=network, cwd=str(tool_dir()))


def setup(*, offline: bool = False, timeout: float = 900.0) -> None:
    """Run the setup command (``npm ci`` in tool_dir()); offline=True installs from npm's local cache only.

    Raises RuntimeError with npm's last output lines when it fails.
    """
    import subprocess

    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: install Node.js (with npm) >= 20")
    argv = [npm, "--prefix", str(tool_dir()), "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    if offline:
        argv.append("--offline")
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(argv)} took more than {timeout:g} s") from None
    if done.returncode != 0 or installed_version() is None:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
        raise RuntimeError(f"{' '.join(argv)} failed (status {done.returncode}): {tail}")
