"""A cache that is never stale: an extractor installed editable, edited and re-run gives new results.

The tiny extractor package is written here and installed editable into a
temp virtual environment, offline, the way pip installs a PEP 660 editable
wheel of the "pth" kind (what ``pip install -e ../myextractor`` leaves
behind): a ``.dist-info`` folder with METADATA, RECORD and a PEP 610
``direct_url.json`` saying ``dir_info.editable``, and a ``.pth`` file naming
the source folder. (pip itself would need a build backend from an index, or
``wheel`` beside setuptools for --no-build-isolation; neither is offline here.)
Its output depends on a data file, not on its Python source, so only the
distribution's source-tree digest can tell the two versions apart: its
version and its adapter code stay the same.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_builders import ARTICLE, page_html, write_page

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "tinyext.extract:extract"

PYPROJECT = """\
[project]
name = "tinyext"
version = "0.1"
"""

EXTRACT = """\
import re
from importlib.resources import files


def extract(html):
    label = files("tinyext").joinpath("label.txt").read_text().strip()
    return label + ": " + " ".join(re.sub(r"<[^>]+>", " ", html).split())
"""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def editable_venv(tmp_path_factory):
    """A temp venv that sees this environment's packages and has `tinyext` installed editable from a folder."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the editable checkout is a git work tree")
    root = tmp_path_factory.mktemp("stale")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = subprocess.run([str(_python(venv)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # this environment's site-packages, processed as a site dir (its .pth files too): pip, setuptools, boilerbench
    lines = [f"import site; site.addsitedir({path!r})" for path in site.getsitepackages()]
    Path(purelib, "zz_boilerbench_test_parent.pth").write_text("\n".join(lines) + "\n")

    source = root / "tinyext-src"
    (source / "tinyext").mkdir(parents=True)
    (source / "pyproject.toml").write_text(PYPROJECT)
    (source / "tinyext" / "__init__.py").write_text("")
    (source / "tinyext" / "extract.py").write_text(EXTRACT)
    (source / "tinyext" / "label.txt").write_text("first\n")
    _install_editable(Path(purelib), source, "tinyext", "0.1")
    return venv, source


def _install_editable(purelib: Path, source: Path, name: str, version: str) -> None:
    """What pip leaves for a PEP 660 "pth" editable install of `source`."""
    dist_info = purelib / f"{name}-{version}.dist-info"
    dist_info.mkdir()
    files = {
        "METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        "INSTALLER": "pip\n",
        "top_level.txt": f"{name}\n",
        "direct_url.json": json.dumps({"url": source.resolve().as_uri(), "dir_info": {"editable": True}}),
    }
    for filename, text in files.items():
        (dist_info / filename).write_text(text)
    pth = purelib / f"__editable__.{name}-{version}.pth"
    pth.write_text(f"{source.resolve()}\n")
    record = [f"{dist_info.name}/{filename},," for filename in [*files, "RECORD"]] + [f"{pth.name},,"]
    (dist_info / "RECORD").write_text("\n".join(record) + "\n")


def _run(venv: Path, corpus: Path, out: Path, cache: Path, cwd: Path) -> list[dict]:
    done = subprocess.run([str(_python(venv)), "-m", "benchmark", "run", "--corpus", str(corpus), "--extractors",
                           PLUGIN, "--jobs", "1", "--quiet", "--no-report", "--cache-dir", str(cache), "--out",
                           str(out)], capture_output=True, text=True, timeout=300, cwd=cwd)
    assert done.returncode == 0, done.stderr
    (run_dir,) = out.iterdir()
    return [json.loads(line) for line in (run_dir / "extractions.jsonl").read_text().splitlines()]


def _texts(records: list[dict]) -> set[str]:
    return {record["text"].split(":", 1)[0] for record in records}


def test_editing_an_editable_install_is_never_served_from_the_cache(editable_venv, tmp_path):
    venv, source = editable_venv
    corpus = tmp_path / "corpus"
    for i in range(2):
        write_page(corpus, f"example-2019-page-{i}", html=page_html(f"Page {i}. {ARTICLE}"))
    cache = tmp_path / "cache"
    label = source / "tinyext" / "label.txt"
    label.write_text("first\n")

    first = _run(venv, corpus, tmp_path / "a", cache, tmp_path)
    assert _texts(first) == {"first"} and not any(r["cached"] for r in first)
    again = _run(venv, corpus, tmp_path / "b", cache, tmp_path)
    assert all(r["cached"] for r in again), "nothing changed: the second run is served from the cache"

    label.write_text("second\n")  # the maintainer edits the package's data; version and adapter code unchanged
    edited = _run(venv, corpus, tmp_path / "c", cache, tmp_path)
    assert _texts(edited) == {"second"}, "an edited editable install must not be served the old results"
    assert not any(r["cached"] for r in edited)


def test_a_git_checkout_is_keyed_by_commit_and_uncommitted_diff(editable_venv, tmp_path):
    venv, source = editable_venv
    git = ["git", "-C", str(source), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    label = source / "tinyext" / "label.txt"
    label.write_text("committed\n")
    if not (source / ".git").exists():
        subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    corpus = tmp_path / "corpus"
    write_page(corpus, "example-2019-page-0", html=page_html(ARTICLE))
    cache = tmp_path / "cache"

    assert _texts(_run(venv, corpus, tmp_path / "a", cache, tmp_path)) == {"committed"}
    label.write_text("uncommitted\n")  # a diff against the commit
    changed = _run(venv, corpus, tmp_path / "b", cache, tmp_path)
    assert _texts(changed) == {"uncommitted"} and not any(r["cached"] for r in changed)
    (source / "tinyext" / "notes.txt").write_text("an untracked file\n")  # untracked files count too
    untracked = _run(venv, corpus, tmp_path / "c", cache, tmp_path)
    assert not any(r["cached"] for r in untracked)
    replay = _run(venv, corpus, tmp_path / "d", cache, tmp_path)
    assert all(r["cached"] for r in replay), "the same tree again: served from the cache"
