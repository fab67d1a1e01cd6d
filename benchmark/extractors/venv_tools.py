"""Extractors that run in a virtual environment of their own, as one long-lived JSON-lines process.

For libraries that cannot share the harness's environment: news-please pulls
newspaper4k, which installs the module ``newspaper`` over newspaper3k's;
rs-trafilatura has wheels (trafipy's) only for Python >= 3.12. Each
has a venv under the user cache (``<cache>/boilerbench/venvs/<name>``, or the
interpreter named by its environment variable), a script in ``tools/`` that
needs only the standard library and the library, and a version read from the
venv's metadata without starting it. newspaper4k (optional.py) predates this
module and keeps its own functions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from benchmark.records import PageInput


@dataclass(frozen=True)
class VenvTool:
    """One library in its own venv: where its interpreter is, what to install there, which script it runs."""

    name: str  # the venv folder's name
    env_var: str  # names another interpreter that has the library
    distribution: str
    requirements: tuple[str, ...]  # pinned, as measured
    script: str  # file name under benchmark/extractors/tools/
    base_python: str = "python"  # what the venv is made with

    def python(self) -> Path:
        """The interpreter: $<env_var>, else the venv under the user cache."""
        configured = os.environ.get(self.env_var)
        if configured:
            return Path(configured)
        from platformdirs import user_cache_dir

        venv = Path(user_cache_dir("boilerbench")) / "venvs" / self.name
        return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    def install_command(self) -> str:
        """How to create the venv where the harness looks for it."""
        python = self.python()
        venv = python.parent.parent
        pins = " ".join(f'"{requirement}"' for requirement in self.requirements)
        return (f"{self.base_python} -m venv {venv} && {python} -m pip install {pins}  (its own venv; or set "
                f"{self.env_var} to a python that has it)")

    def version(self) -> str | None:
        """The library's version in the venv, read from its metadata; None when the venv lacks it."""
        from importlib.metadata import distributions

        python = self.python()
        if not python.exists():
            return None
        venv = python.parent.parent
        site_dirs = list(venv.glob("lib/python*/site-packages")) + list(venv.glob("Lib/site-packages"))
        for dist in distributions(path=[str(d) for d in site_dirs]):
            if (dist.metadata["Name"] or "").lower() == self.distribution.lower():
                return dist.version
        return None

    def script_path(self) -> Path:
        return Path(__file__).resolve().parent / "tools" / self.script

    def request(self, page: PageInput, extra: dict) -> str:
        """Send the page to this worker's long-lived process (started on first use)."""
        from benchmark.extractors.adapters import lxml_ready
        from benchmark.extractors.external import run_jsonl_request

        return run_jsonl_request([str(self.python()), str(self.script_path())], page, extra,
                                 html=lxml_ready(page.html))


NEWS_PLEASE = VenvTool(name="news-please", env_var="BOILERBENCH_NEWS_PLEASE_PYTHON", distribution="news-please",
                       requirements=("news-please==1.6.16", "newspaper4k[zh,ja,nlp]==0.9.6", "lxml==6.1.3"),
                       script="newsplease_jsonl.py")


RS_TRAFILATURA = VenvTool(name="rs-trafilatura", env_var="BOILERBENCH_RS_TRAFILATURA_PYTHON",
                          distribution="trafipy", requirements=("trafipy==0.1.0",),
                          script="rstrafilatura_jsonl.py", base_python="python3.12")
VENV_TOOLS = {"news-please": NEWS_PLEASE, "rs-trafilatura": RS_TRAFILATURA}


def installed_version(name: str) -> str | None:
    """The registry's probe: the library's version in the tool's venv, None when not set up."""
    return VENV_TOOLS[name].version()


def extract(page: PageInput, *, tool: str, **_options: object) -> str:
    """Send the page to the tool's process in its own venv; the options are recorded, the script applies them."""
    return VENV_TOOLS[tool].request(page, {})
