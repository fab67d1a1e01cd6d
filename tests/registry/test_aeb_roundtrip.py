"""`datasets get aeb` from a loopback server, then `run --dataset aeb`: the same scores as reading AEB where it lies.

The server serves the real AEB files (../shared/datasets/aeb) as GitHub's
codeload would, and the shipped manifest checks them: what lands in the data
folder is the pinned commit's bytes, and the run over it is the run over the
shared copy, page for page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmark.cli import main
from benchmark.results import read_run
from tests.dataset_server import DatasetServer, read_folder

AEB = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "aeb"
EXTRACTORS = "full-text,gold"  # every page's visible text and its gold: both depend on every byte read


def test_get_aeb_then_run_by_name_scores_as_the_shared_copy(tmp_path, monkeypatch, capsys):
    if not (AEB / "ground-truth.json").is_file():
        pytest.skip(f"{AEB} is not here (the shared folder travels beside the checkout)")
    from benchmark.registry.catalog import registered_sets

    aeb = registered_sets()["aeb"]
    files = {path: data for path, data in read_folder(AEB).items() if path in {f.path for f in aeb.files}}
    monkeypatch.setenv("BOILERBENCH_DATA_DIR", str(tmp_path / "data"))
    with DatasetServer(files, aeb.repository, aeb.commit) as server:
        code = main(["datasets", "get", "aeb", "--method", "archive", "--quiet", *server.templates()])
    assert code == 0, capsys.readouterr().err
    runs = {}
    for label, spec in (("by-name", "aeb"), ("by-path", f"aeb:{AEB}")):
        code = main(["run", "--dataset", spec, "--extractors", EXTRACTORS, "--jobs", "2", "--no-cache", "--quiet",
                     "--no-report", "--out", str(tmp_path / label)])
        assert code == 0, capsys.readouterr().err
        (runs[label],) = (tmp_path / label).iterdir()
    by_name, by_path = (read_run(runs[label]) for label in ("by-name", "by-path"))
    assert by_name.meta["corpus"]["digest"] == by_path.meta["corpus"]["digest"]
    assert by_name.meta["corpus"]["pages"] == 181
    pd.testing.assert_frame_equal(by_name.scores.drop(columns=["ms"]), by_path.scores.drop(columns=["ms"]))
    assert set(by_name.scores["extractor"]) == set(EXTRACTORS.split(","))
