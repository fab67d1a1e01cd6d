"""matrix and bisect end to end, offline: tiny extractor releases built here as wheels, installed into real venvs.

The venvs live in one folder for the whole module, so the matrix and the
bisection share the environments they both need (built once, then reused).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from tests.release_wheels import PACKAGE, build_releases, story_corpus

VERSIONS = ["1.0", "1.1", "1.2", "2.0"]
REGRESS_FROM = "1.2"
WIDE_PAGE = "example-2020-ferry-wide"


@pytest.fixture(scope="module")
def setting(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("releases")
    return {"wheels": build_releases(root / "wheels", VERSIONS, REGRESS_FROM),
            "corpus": story_corpus(root / "corpus", WIDE_PAGE), "envs": root / "envs", "root": root}


def _common(setting: dict[str, Path]) -> list[str]:
    return ["--corpus", str(setting["corpus"]), "--extractor", f"{PACKAGE}:extract", "--no-index",
            "--find-links", str(setting["wheels"]), "--envs-dir", str(setting["envs"]), "--installer", "pip",
            "--jobs", "2", "--cache-dir", str(setting["root"] / "cache"), "--quiet"]


def test_matrix_finds_the_page_that_regressed(setting, capsys):
    out = setting["root"] / "matrix"
    code = main(["matrix", f"{PACKAGE}==1.2,1.0", *_common(setting), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    matrix = json.loads((out / "matrix.json").read_text(encoding="utf-8"))

    # one combination per release, oldest first, each run by the worker inside its own venv
    assert [cell["label"] for cell in matrix["cells"]] == [f"{PACKAGE} 1.0", f"{PACKAGE} 1.2"]
    for cell in matrix["cells"]:
        run_dir = out / cell["run_dir"]
        meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        version = cell["combination"][0][1]
        assert meta["extractors"][f"{PACKAGE}:extract"]["version"] == version
        printed = {json.loads(line)["stdout"].strip() for line in (run_dir / "extractions.jsonl").open()}
        assert printed == {cell["environment"]["path"]}  # sys.prefix of the worker: the release's venv

    figures = {f["slug"]: f for f in matrix["figures"]}
    assert figures[f"{PACKAGE}-1.0"]["f1"] == pytest.approx(1.0)
    assert figures[f"{PACKAGE}-1.2"]["f1"] < 1.0
    # exactly the regressed page flipped, with its F1 before and after
    assert [(f["page_id"], f["older"], f["newer"]) for f in matrix["flipped"]] == [
        (WIDE_PAGE, f"{PACKAGE}-1.0", f"{PACKAGE}-1.2")]
    flip = matrix["flipped"][0]
    assert flip["f1_older"] == pytest.approx(1.0) and flip["f1_newer"] < 0.6
    [step] = matrix["steps"]
    assert step["delta"] < 0 and step["pages"] == 4

    # the report: trend chart, flipped-pages table linking to the diff, the diff marks the missed text
    html = (out / "matrix.html").read_text(encoding="utf-8")
    assert 'href="#flip-0"' in html and 'id="flip-0"' in html and "<svg" in html
    assert '<del class="miss">' in html and "Residents who objected" in html
    assert f"[{WIDE_PAGE}](matrix.html#flip-0)" in (out / "matrix.md").read_text(encoding="utf-8")


def test_bisect_names_the_first_bad_release(setting, capsys):
    from benchmark.versions.combinations import Combination, Pin
    from benchmark.versions.environments import EnvironmentBuilder
    from benchmark.versions.index import IndexOptions

    index = IndexOptions(find_links=(str(setting["wheels"].resolve()),), no_index=True)
    built = EnvironmentBuilder(setting["envs"], index=index, installer="pip").ensure(
        Combination((Pin(PACKAGE, "1.0"),)))  # as the matrix test may already have
    assert built.ok
    out = setting["root"] / "bisect"
    code = main(["bisect", PACKAGE, "1.0", "2.0", "--page", WIDE_PAGE, *_common(setting), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"First bad release: {PACKAGE} {REGRESS_FROM} (last good: 1.1)" in printed
    assert f"{WIDE_PAGE}: 1.000 →" in printed
    matrix = json.loads((out / "matrix.json").read_text(encoding="utf-8"))
    assert matrix["bisect"]["first_bad"] == REGRESS_FROM and matrix["bisect"]["last_good"] == "1.1"
    # four releases, every one needed here (good, bad, then 1.1 and 1.2); a venv built before is reused
    reused = {cell["label"]: cell["environment"]["reused"] for cell in matrix["cells"]}
    assert len(reused) == 4 and reused[f"{PACKAGE} 1.0"] is True


def test_bisect_on_the_mean_finds_the_same_release(setting, capsys):
    code = main(["bisect", PACKAGE, "1.1", "2.0", *_common(setting), "--out", str(setting["root"] / "mean")])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"First bad release: {PACKAGE} {REGRESS_FROM} (last good: 1.1)" in printed


def test_bisect_without_a_drop_says_so(setting, capsys):
    code = main(["bisect", PACKAGE, "1.0", "1.1", *_common(setting), "--out", str(setting["root"] / "nodrop")])
    assert code == 1
    assert "No drop" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["matrix", "bbnosuch==1.0"], "unknown package 'bbnosuch'"),
    (["matrix", f"{PACKAGE}==1.0,3.7"], f"{PACKAGE} has no release 3.7; published: 1.0, 1.1, 1.2, 2.0"),
    (["matrix", f"{PACKAGE}==1.0", "--with", f"{PACKAGE}==1.1"], "named twice"),
    (["matrix", f"{PACKAGE}"], "is not PACKAGE==VERSION"),
    (["bisect", PACKAGE, "2.0", "1.0"], "GOOD 2.0 is not older than BAD 1.0"),
    (["bisect", PACKAGE, "1.0", "1.0"], "GOOD 1.0 is not older than BAD 1.0"),
    (["bisect", PACKAGE, "0.9", "1.0"], f"{PACKAGE} has no release 0.9"),
    (["bisect", "bbnosuch", "1.0", "2.0"], "unknown package 'bbnosuch'"),
])
def test_bad_input_is_refused_with_one_line(setting, capsys, argv, message):
    code = main([*argv, *_common(setting), "--out", str(setting["root"] / "refused")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (setting["root"] / "refused").exists()  # refused before anything was built or written


def test_an_environment_that_cannot_be_built_is_its_own_outcome(setting, capsys):
    from tests.release_wheels import build_wheel

    wheels = setting["root"] / "wheels-broken"
    wheels.mkdir()
    build_wheel(wheels, "1.0", regresses=False)
    build_wheel(wheels, "3.0", regresses=False, requires=("bbnowhere>=1",))  # nothing provides it
    out = setting["root"] / "broken"
    argv = ["matrix", f"{PACKAGE}==1.0,3.0", *_common(setting), "--out", str(out)]
    argv[argv.index(str(setting["wheels"]))] = str(wheels)
    code = main(argv)
    printed = capsys.readouterr().out
    assert code == 0, printed
    matrix = json.loads((out / "matrix.json").read_text(encoding="utf-8"))
    cells = {cell["label"]: cell for cell in matrix["cells"]}
    broken = cells[f"{PACKAGE} 3.0"]
    assert broken["environment"]["ok"] is False and broken["run_dir"] is None
    assert "bbnowhere" in broken["environment"]["message"]  # the resolver's own words
    assert cells[f"{PACKAGE} 1.0"]["environment"]["ok"] is True
    figures = {f["slug"]: f for f in matrix["figures"]}
    assert figures[f"{PACKAGE}-3.0"]["environment_failed"] and figures[f"{PACKAGE}-1.0"]["f1"] == pytest.approx(1.0)
    assert matrix["steps"] == [] and matrix["flipped"] == []
    assert "environment could not be built" in printed
    assert "(not built)" in (out / "matrix.html").read_text(encoding="utf-8")
