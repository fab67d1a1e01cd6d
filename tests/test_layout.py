"""The package's layout holds: one subpackage per stage, small modules, tests mirroring packages, the README's map matching."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "benchmark"
#: the package map lives in the README, which the repository owns; ../shared/DESIGN.md is read-only and
#: shared, so its fixed top-level layout cannot carry a map of our modules (CI reads an unedited copy)
README = REPO / "README.md"

#: "no module over about 400 lines" (issue 10): about, so a module a few lines over after a fix does not
#: force a split mid-change; one that keeps growing past this must be split along a seam
MAX_MODULE_LINES = 420
#: the stage packages the data flow names, in order
STAGES = ("corpus", "run", "score", "stats", "report")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _subpackages() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.glob("*/__init__.py"))


def _tool_modules() -> list[Path]:
    """The developer tools' own Python (the corpus build, the benches), not the npm packages' trees."""
    return sorted(p for p in (REPO / "tools").rglob("*.py") if "node_modules" not in p.parts)


def test_no_module_is_past_about_400_lines():
    too_long = {str(p.relative_to(REPO)): n for p in [*_modules(), *_tool_modules()]
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not too_long, f"split these along a seam: {too_long}"


def test_every_module_says_why_it_exists():
    undocumented = [str(p.relative_to(REPO)) for p in _modules()
                    if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not undocumented


@pytest.mark.parametrize("position,stage", list(enumerate(STAGES, start=1)))
def test_each_stage_package_names_its_stage(position, stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and doc.startswith(f"Stage {position}, "), doc
    assert " in" in doc and " out" in doc, "a stage's docstring says what it takes and what it gives"


def test_tests_mirror_the_packages():
    missing = [p.name for p in _subpackages() if not (REPO / "tests" / p.name).is_dir()]
    assert not missing, f"no tests/<package>/ for: {missing}"


def test_pipeline_reads_as_the_data_flow():
    """run_benchmark calls into each stage in order: load, run, score, summarise, write."""
    source = (PACKAGE / "pipeline.py").read_text(encoding="utf-8")
    imported = re.findall(r"from benchmark\.(\w+)", source)
    assert {"corpus", "run", "score", "stats"} <= set(imported), imported


def _layout_section() -> str:
    return README.read_text(encoding="utf-8").split("## Layout: the package", 1)[1].split("\n## ", 1)[0]


def test_readme_layout_names_every_module():
    """The README's layout section is the map a newcomer reads first; a module it does not name is a gap in it."""
    section = _layout_section()
    named = set(re.findall(r"[\w]+\.py", section)) | set(re.findall(r"\b([a-z_]+)/", section))
    missing = sorted({p.name for p in _modules() if p.name not in named and p.name != "__init__.py"}
                     | {p.name for p in _subpackages() if p.name not in named})
    assert not missing, f"the README's layout section does not name: {missing}"


def test_readme_layout_names_no_module_that_is_gone():
    stale = sorted(n for n in re.findall(r"(?<![/\w])(\w+\.py)\b", _layout_section())  # tests/x.py is not a module
                   if not any(p.name == n for p in _modules()))
    assert not stale, f"the README's layout section names modules that are gone: {stale}"
