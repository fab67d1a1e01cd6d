"""pages/ is the output of tools/corpus/build.py: a page edited by hand outside its source, or a fill
changed without re-weighing, is caught here rather than drifting silently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_pages_are_the_builds_output():
    result = subprocess.run([sys.executable, str(REPO / "tools" / "corpus" / "build.py"), "check"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def test_check_names_a_page_that_drifted(tmp_path):
    """The check can fail: a copy of the corpus with one weight region emptied is reported by name."""
    import shutil

    for folder in ("pages", "gold"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    page = tmp_path / "pages" / "cnn-2008-bush-putin-sochi.html"
    raw = page.read_bytes()
    start = raw.index(b"<!-- begin pixels -->") + len(b"<!-- begin head-scripts -->")
    end = raw.index(b"<!-- end pixels -->")
    page.write_bytes(raw[:start] + raw[end:])
    result = subprocess.run([sys.executable, str(REPO / "tools" / "corpus" / "build.py"), "check",
                             "cnn-2008-bush-putin-sochi", "--repo", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1 and "cnn-2008-bush-putin-sochi" in result.stderr
