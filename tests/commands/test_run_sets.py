"""`run --dataset A --dataset B ...`: one run folder per set with the same extractors and options, then one page.

The last test is the issue's: the bundled corpus, AEB and the three samples in
one command (a seeded sample of each, so it stays quick), ending with the
several-runs page over the five runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.cli import main
from tests.corpus.test_datasets import write_aeb, write_plain
from tests.corpus_builders import good_corpus

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def cli(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir())


def test_each_set_gets_its_run_folder_with_the_same_options_and_one_page_over_them(tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, err = cli(["run", "--dataset", f"bundled:{good_corpus(tmp_path / 'corpus', n=3)}",
                             "--dataset", f"aeb:{write_aeb(tmp_path / 'aeb')}",
                             "--dataset", f"plain:{write_plain(tmp_path / 'plain')}",
                             "--extractors", "full-text,gold", "--jobs", 1, "--seed", 11, "--timeout", 7,
                             "--no-cache", "--quiet", "--out", out], capsys)
    assert code == 0, err
    runs = run_folders(out)
    metas = [json.loads((run / "run.json").read_text(encoding="utf-8")) for run in runs]
    assert sorted(meta["corpus"]["name"] for meta in metas) == ["aeb", "corpus", "plain"]
    assert {json.dumps([meta["options"]["seed"], meta["options"]["timeout_s"], sorted(meta["extractors"])])
            for meta in metas} == {json.dumps([11, 7.0, ["full-text", "gold"]])}
    (page,) = out.glob("*-sets-*.html")
    html = page.read_text(encoding="utf-8")
    for meta in metas:
        assert meta["run_id"] in html
    assert page.with_suffix(".md").is_file()
    assert f"Wrote {page}" in stdout


def test_a_set_that_is_not_there_stops_the_command_before_any_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BOILERBENCH_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    code, _, err = cli(["run", "--dataset", f"aeb:{write_aeb(tmp_path / 'aeb')}", "--dataset", "naeb",
                        "--extractors", "gold", "--no-cache", "--quiet", "--out", out], capsys)
    assert code == 2
    assert "dataset naeb is not downloaded" in err and "`boilerbench datasets get naeb`" in err
    assert not out.exists()
    code, _, err = cli(["run", "--dataset", "l3s-gn1", "--out", out], capsys)
    assert code == 2 and "`boilerbench datasets get l3s-gn1 --accept-licence`" in err


def test_corpus_and_dataset_together_or_a_set_twice_is_bad_usage(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "corpus", n=1)
    assert cli(["run", "--corpus", corpus, "--dataset", f"bundled:{corpus}"], capsys)[0] == 2
    code, _, err = cli(["run", "--dataset", f"bundled:{corpus}", "--dataset", f"bundled:{corpus}"], capsys)
    assert code == 2 and "given twice" in err


def test_sample_runs_n_pages_per_set_and_says_so(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = cli(["run", "--dataset", f"bundled:{good_corpus(tmp_path / 'corpus', n=5)}", "--sample", 2,
                        "--extractors", "gold", "--jobs", 1, "--no-cache", "--quiet", "--no-report", "--out", out],
                       capsys)
    assert code == 0, err
    (run,) = run_folders(out)
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert meta["corpus"]["pages"] == 2 and meta["corpus"]["name"] == "corpus-sample2"


def test_bundled_aeb_and_the_three_samples_in_one_command_write_the_several_runs_page(tmp_path, capsys):
    specs = [f"aeb:{SHARED / 'aeb'}", f"naeb:{SHARED / 'samples' / 'naeb'}", f"l3s-gn1:{SHARED / 'samples' / 'l3s-gn1'}",
             f"webmainbench:{SHARED / 'samples' / 'webmainbench'}"]
    if not all(Path(spec.split(":", 1)[1]).exists() for spec in specs):
        import pytest

        pytest.skip(f"{SHARED} is not here (the shared folder travels beside the checkout)")
    out = tmp_path / "out"
    args = ["run", "--dataset", "bundled", *[a for spec in specs for a in ("--dataset", spec)], "--sample", 4,
            "--extractors", "full-text,justext", "--jobs", 2, "--no-cache", "--quiet", "--out", out]
    code, _, err = cli(args, capsys)
    assert code == 0, err
    runs = run_folders(out)
    names = sorted(json.loads((run / "run.json").read_text(encoding="utf-8"))["corpus"]["name"] for run in runs)
    assert names == ["aeb-sample4", "bundled-sample4", "l3s-gn1-sample4", "naeb-sample4", "webmainbench"]
    (page,) = out.glob("*-sets-*.html")
    html = page.read_text(encoding="utf-8")
    for title in ("AEB", "NAEB", "L3S-GN1", "WebMainBench"):
        assert title in html
    assert "justext" in html and "tau" in html.lower()
