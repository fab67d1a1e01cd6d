"""The regression gate: truth tables for compare, refusing re-pins, atomic and checked baseline files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from benchmark import gate, results
from benchmark.commands.gate import gate_command
from benchmark.records import SCHEMA_VERSION

DIGEST = "c0ffee" * 10
PAGES = ("cnn-2008-bush-putin-sochi", "bbc-2012-a", "lemonde-2019-b", "spiegel-2004-c")
VERSIONS = {"trafilatura": "2.3.1", "justext": "3.0.2"}
OPTIONS = {"trafilatura": "opt-t", "justext": "opt-j"}
BASE_F1 = {"trafilatura": [0.912, 0.9, 0.8, 0.7], "justext": [0.6, 0.5, 0.4, 0.3]}
BASE_LEAK = {"trafilatura": [0.0, 0.5, None, 0.0], "justext": [0.5, 0.5, None, 0.5]}


def _scores(f1: dict[str, list[float]] | None = None, leak: dict[str, list] | None = None,
            outcomes: dict[str, list[str]] | None = None, pages=PAGES) -> pd.DataFrame:
    f1, leak, outcomes = f1 or BASE_F1, leak or BASE_LEAK, outcomes or {}
    rows = []
    for name, values in f1.items():
        for i, (page, value) in enumerate(zip(pages, values)):
            chrome = leak.get(name, [None] * len(pages))[i]
            rows.append({"extractor": name, "page_id": page,
                         "outcome": outcomes.get(name, ["ok"] * len(pages))[i],
                         "precision": value, "recall": value, "f1": value, "lcs_f1": value,
                         "chrome_leak": float("nan") if chrome is None else chrome,
                         "must_include": float("nan"), "ms": 5.0, "tp": 1, "n_pred": 1, "n_gold": 1})
    return pd.DataFrame(rows)


def _baseline(scores: pd.DataFrame | None = None, digest: str = DIGEST) -> dict:
    """Pins exactly as `update` would write them, built independently of it."""
    scores = _scores() if scores is None else scores
    extractors = {}
    for name, group in scores.groupby("extractor"):
        leak = group["chrome_leak"].mean()
        extractors[name] = {"version": VERSIONS[name], "options_digest": OPTIONS[name],
                            "f1_mean": round(group["f1"].mean(), 6),
                            "chrome_leak_rate": None if leak != leak else round(leak, 6),
                            "pages": {p: round(v, 6) for p, v in zip(group["page_id"], group["f1"])}}
    return {"schema_version": 1, "corpus_digest": digest, "created": "2026-01-01T00:00:00Z",
            "extractors": extractors}


def _compare(scores: pd.DataFrame, *, baseline: dict | None = None, versions=None, digest=DIGEST,
             options=None, **kwargs) -> gate.GateVerdict:
    return gate.compare(baseline or _baseline(), None, scores, versions or VERSIONS, digest,
                        run_options_digests=OPTIONS if options is None else options, **kwargs)


def _status(verdict: gate.GateVerdict) -> dict[str, str]:
    return {v.extractor: v.status for v in verdict.extractors}


def _with(name: str, page: int, value: float, table=None) -> dict[str, list[float]]:
    table = {k: list(v) for k, v in (table or BASE_F1).items()}
    table[name][page] = value
    return table


# ------------------------------------------------------------------ compare truth table


def test_unchanged_run_passes():
    verdict = _compare(_scores())
    assert verdict.status == "pass" and verdict.passed
    assert _status(verdict) == {"justext": "pass", "trafilatura": "pass"}
    assert verdict.findings == ()


def test_page_drop_of_exactly_the_tolerance_passes():
    verdict = _compare(_scores(_with("trafilatura", 1, 0.88)))  # 0.9 -> 0.88; mean -0.005
    assert verdict.passed, [str(f) for f in verdict.findings]


def test_page_drop_just_beyond_the_tolerance_fails_naming_extractor_page_and_figures():
    # -0.021 on one page; another page gains 0.015 so the mean stays within its tolerance
    verdict = _compare(_scores(_with("trafilatura", 0, 0.891, _with("trafilatura", 3, 0.715))))
    assert verdict.status == "fail" and _status(verdict) == {"justext": "pass", "trafilatura": "fail"}
    (finding,) = verdict.findings
    assert (finding.kind, finding.page_id, finding.old, finding.new) == (
        "page-f1", "cnn-2008-bush-putin-sochi", 0.912, 0.891)
    assert finding.message == "trafilatura: page cnn-2008-bush-putin-sochi F1 0.912 -> 0.891 (-0.021 > 0.02)"


def test_failed_outcome_is_named_in_the_page_finding():
    verdict = _compare(_scores(_with("justext", 2, 0.0), outcomes={"justext": ["ok", "ok", "timeout", "ok"]}))
    page = [f for f in verdict.findings if f.kind == "page-f1"][0]
    assert "lemonde-2019-b F1 0.400 -> 0.000 (-0.400 > 0.02; outcome timeout)" in page.message


def test_mean_drop_spread_within_page_tolerance_fails_just_beyond_mean_tolerance():
    within = {"trafilatura": [v - 0.005 for v in BASE_F1["trafilatura"]], "justext": BASE_F1["justext"]}
    assert _compare(_scores(within)).passed  # every page -0.005, mean -0.005
    beyond = {"trafilatura": [v - 0.0051 for v in BASE_F1["trafilatura"]], "justext": BASE_F1["justext"]}
    verdict = _compare(_scores(beyond))
    assert _status(verdict)["trafilatura"] == "fail"
    (finding,) = verdict.findings
    assert finding.kind == "mean-f1"
    assert finding.message == "trafilatura: mean F1 0.8280 -> 0.8229 (-0.0051 > 0.005)"


def test_chrome_leak_must_not_rise_at_all_but_may_fall():
    leak = {k: list(v) for k, v in BASE_LEAK.items()}
    leak["justext"][0] = 0.75  # rate 0.5 -> 0.583333
    verdict = _compare(_scores(leak=leak))
    assert _status(verdict) == {"justext": "fail", "trafilatura": "pass"}
    (finding,) = verdict.findings
    assert finding.kind == "chrome-leak"
    assert finding.message == "justext: chrome leak rate 0.500 -> 0.583 (+0.083; it must not rise)"
    leak["justext"][0] = 0.0
    assert _compare(_scores(leak=leak)).passed


def test_improvements_are_reported_but_do_not_fail():
    verdict = _compare(_scores(_with("justext", 3, 0.9)))
    assert verdict.passed
    assert {f.severity for f in verdict.findings} == {"info"}
    assert any("page spiegel-2004-c F1 0.300 -> 0.900 (+0.600, improved)" in f.message for f in verdict.findings)


def test_other_corpus_digest_is_not_comparable_even_with_a_big_drop():
    verdict = _compare(_scores(_with("trafilatura", 0, 0.0)), digest="d1ff" * 16)
    assert verdict.status == "not-comparable" and not verdict.passed
    assert set(_status(verdict).values()) == {"not-comparable"}
    assert {f.kind for f in verdict.findings} == {"corpus"}
    # across_versions concerns extractor versions; another corpus stays not comparable
    assert _compare(_scores(), digest="d1ff" * 16, across_versions=True).status == "not-comparable"


def test_other_version_or_options_is_not_comparable_and_never_passes():
    verdict = _compare(_scores(), versions={**VERSIONS, "trafilatura": "2.4.0"})
    assert verdict.status == "not-comparable"
    assert _status(verdict) == {"justext": "pass", "trafilatura": "not-comparable"}
    (finding,) = verdict.findings
    assert "trafilatura: version 2.3.1 -> 2.4.0; not comparable" in finding.message
    verdict = _compare(_scores(), options={**OPTIONS, "justext": "other"})
    assert _status(verdict)["justext"] == "not-comparable"
    # an options digest the run did not record is unknown, not a change
    assert _compare(_scores(), options={}).passed


def test_across_versions_compares_and_labels_the_upgrade():
    versions = {**VERSIONS, "trafilatura": "2.4.0"}
    verdict = _compare(_scores(_with("trafilatura", 0, 0.85)), versions=versions, across_versions=True)
    assert verdict.status == "fail"
    messages = [f.message for f in verdict.findings]
    assert "trafilatura: version 2.3.1 -> 2.4.0 (compared across versions)" in messages
    assert "trafilatura: page cnn-2008-bush-putin-sochi F1 0.912 -> 0.850 (-0.062 > 0.02)" in messages
    assert _compare(_scores(), versions=versions, across_versions=True).passed


def test_a_pinned_extractor_missing_from_the_run_is_a_failure_to_check():
    """Floors that were not checked are not passed: 'PASS (2 pass, 4 missing)' hid four unchecked floors."""
    scores = _scores({"trafilatura": BASE_F1["trafilatura"], "newcomer": [0.1] * 4})
    verdict = _compare(scores, versions={**VERSIONS, "newcomer": "0.1"})
    assert _status(verdict) == {"justext": "missing", "newcomer": "new", "trafilatura": "pass"}
    assert verdict.status == "fail" and not verdict.passed
    assert "not checked" in verdict.extractors[0].findings[0].message
    assert _compare(scores, versions={**VERSIONS, "newcomer": "0.1"}, only=["trafilatura"]).passed


def test_unavailable_extractor_is_not_checked_so_the_gate_fails():
    scores = _scores(outcomes={"justext": ["unavailable"] * 4})
    verdict = _compare(scores)
    assert _status(verdict) == {"justext": "missing", "trafilatura": "pass"}
    assert verdict.status == "fail"
    assert "unavailable in this run" in verdict.extractors[0].findings[0].message


def test_partial_run_under_the_same_digest_is_not_comparable():
    scores = _scores({k: v[:3] for k, v in BASE_F1.items()}, pages=PAGES[:3])
    verdict = _compare(scores)
    assert verdict.status == "not-comparable"
    assert "not scored: spiegel-2004-c" in verdict.findings[0].message


def test_nothing_in_common_is_not_a_pass():
    verdict = _compare(_scores({"other": [1.0] * 4}), versions={"other": "1"})
    assert verdict.status == "fail" and verdict.notes  # every pinned floor went unchecked


def test_corrupted_baseline_dict_is_refused_clearly():
    bad = _baseline()
    bad["extractors"]["trafilatura"]["pages"]["bbc-2012-a"] = "high"
    with pytest.raises(gate.BaselineError, match=r"extractors.trafilatura.pages: F1 not a number .* bbc-2012-a"):
        _compare(_scores(), baseline=bad)


# ------------------------------------------------------------------ update


def _update(path: Path, scores: pd.DataFrame, **kwargs) -> gate.UpdateResult:
    kwargs.setdefault("run_options_digests", OPTIONS)
    return gate.update(path, None, scores, VERSIONS, kwargs.pop("digest", DIGEST), **kwargs)


def test_update_creates_the_baseline_that_compare_passes(tmp_path):
    path = tmp_path / "results" / "baseline.json"
    result = _update(path, _scores())
    stored = gate.load_baseline(path)
    assert stored == result.baseline
    assert stored["extractors"] == _baseline()["extractors"]
    assert gate.compare(stored, None, _scores(), VERSIONS, DIGEST, run_options_digests=OPTIONS).passed


def test_update_refuses_to_lower_a_page_floor_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    before = path.read_bytes()
    with pytest.raises(gate.UpdateRefused) as refused:
        _update(path, _scores(_with("trafilatura", 0, 0.85)))
    message = str(refused.value)
    assert "trafilatura: page cnn-2008-bush-putin-sochi F1 0.912 -> 0.850 (-0.062 > 0.02)" in message
    assert "--allow-regression" in message
    assert path.read_bytes() == before


def test_update_refuses_a_mean_drop_and_a_chrome_leak_rise(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    lower_mean = {"trafilatura": [v - 0.01 for v in BASE_F1["trafilatura"]], "justext": BASE_F1["justext"]}
    with pytest.raises(gate.UpdateRefused, match="trafilatura: mean F1 0.828 -> 0.818"):
        _update(path, _scores(lower_mean))
    leak = {**BASE_LEAK, "trafilatura": [0.5, 0.5, None, 0.0]}
    with pytest.raises(gate.UpdateRefused, match="trafilatura: chrome leak rate 0.167 -> 0.333"):
        _update(path, _scores(leak=leak))


def test_update_with_allow_regression_lowers_the_floor_and_says_so(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    result = _update(path, _scores(_with("trafilatura", 0, 0.85)), allow_regression=True)
    assert [(f.kind, f.page_id) for f in result.lowered] == [("mean-f1", None),
                                                             ("page-f1", "cnn-2008-bush-putin-sochi")]
    assert gate.load_baseline(path)["extractors"]["trafilatura"]["pages"]["cnn-2008-bush-putin-sochi"] == 0.85


def test_update_raises_floors_adds_extractors_and_only_restricts(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores({"trafilatura": BASE_F1["trafilatura"]}))
    better = _with("trafilatura", 3, 0.95)
    result = _update(path, _scores(better), only=["justext"])  # adds justext, leaves trafilatura's pins
    assert result.pinned == ("justext",) and result.kept == ("trafilatura",)
    stored = gate.load_baseline(path)["extractors"]
    assert set(stored) == {"justext", "trafilatura"} and stored["trafilatura"]["pages"]["spiegel-2004-c"] == 0.7
    _update(path, _scores(better))
    assert gate.load_baseline(path)["extractors"]["trafilatura"]["pages"]["spiegel-2004-c"] == 0.95
    with pytest.raises(gate.BaselineError, match="cannot pin nope: not scored in this run"):
        _update(path, _scores(), only=["nope"])


def test_update_refuses_a_partial_run(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    with pytest.raises(gate.BaselineError, match="partial run"):
        _update(path, _scores({k: v[:3] for k, v in BASE_F1.items()}, pages=PAGES[:3]), allow_regression=True)


def test_corpus_change_drops_unpinned_floors_only_when_allowed(tmp_path):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    with pytest.raises(gate.UpdateRefused, match="justext: its floors were pinned on corpus"):
        _update(path, _scores(), digest="new" * 8, only=["trafilatura"])
    result = _update(path, _scores(), digest="new" * 8, only=["trafilatura"], allow_regression=True)
    assert result.dropped == ("justext",)
    stored = gate.load_baseline(path)
    assert stored["corpus_digest"] == "new" * 8 and set(stored["extractors"]) == {"trafilatura"}


def test_atomic_write_leaves_no_temp_files_and_survives_a_failed_replace(tmp_path, monkeypatch):
    path = tmp_path / "baseline.json"
    _update(path, _scores())
    _update(path, _scores(_with("justext", 0, 0.7)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(results.os, "replace", broken_replace)  # the one atomic writer gate shares
    with pytest.raises(OSError, match="disk full"):
        _update(path, _scores(_with("justext", 0, 0.8)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]
    assert path.read_bytes() == before


@pytest.mark.parametrize("text, expected", [
    ('{"schema_version": 1, "corpus_digest": "x", ', "not valid JSON at line 1"),
    ("[]", "expected a JSON object"),
    ('{"schema_version": 2, "corpus_digest": "x", "created": "", "extractors": {}}', "schema_version 2"),
    ('{"schema_version": 1, "corpus_digest": "x", "created": "", "extractors": {"t": {"version": "1"}}}',
     "extractors.t.f1_mean"),
])
def test_corrupted_baseline_file_gives_a_clear_error(tmp_path, text, expected):
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(gate.BaselineError) as error:
        gate.load_baseline(path)
    message = str(error.value)
    assert str(path) in message and expected in message and "--update" in message


# ------------------------------------------------------------------ the command


def _write_run(run_dir: Path, scores: pd.DataFrame, *, versions=VERSIONS, digest=DIGEST, status="complete"):
    from benchmark.stats.summary import summarize

    run_dir.mkdir(parents=True)
    meta = {"schema_version": SCHEMA_VERSION, "status": status, "corpus": {"digest": digest},
            "extractors": {name: {"version": versions.get(name), "options_digest": OPTIONS.get(name),
                                  "available": True} for name in scores["extractor"].unique()}}
    (run_dir / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    scores.to_csv(run_dir / "scores.csv", index=False)
    summarize(scores, versions, seed=0, n_boot=20).to_csv(run_dir / "summary.csv", index=False)
    return run_dir


def _invoke(*args: str):
    return CliRunner().invoke(gate_command, [str(a) for a in args])


def test_command_pins_then_passes_then_fails_listing_every_finding(tmp_path):
    baseline = tmp_path / "baseline.json"
    first = _write_run(tmp_path / "run1", _scores())
    pinned = _invoke(first, "--baseline", baseline, "--update")
    assert pinned.exit_code == 0, pinned.output
    assert "pinned trafilatura 2.3.1" in pinned.output and baseline.exists()
    assert _invoke(first, "--baseline", baseline).exit_code == 0

    worse = _with("trafilatura", 0, 0.85, _with("justext", 1, 0.4))
    second = _write_run(tmp_path / "run2", _scores(worse))
    failed = _invoke(second, "--baseline", baseline)
    assert failed.exit_code == 1
    assert "trafilatura: page cnn-2008-bush-putin-sochi F1 0.912 -> 0.850 (-0.062 > 0.02)" in failed.output
    assert "justext: page bbc-2012-a F1 0.500 -> 0.400 (-0.100 > 0.02)" in failed.output
    assert "gate: FAIL" in failed.output

    refused = _invoke(second, "--baseline", baseline, "--update")
    assert refused.exit_code == 1 and "--allow-regression" in refused.output
    assert _invoke(second, "--baseline", baseline, "--update", "--allow-regression").exit_code == 0
    assert _invoke(second, "--baseline", baseline).exit_code == 0


def test_command_upgrade_is_not_comparable_unless_across_versions(tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _invoke(_write_run(tmp_path / "old", _scores()), "--baseline", baseline, "--update").exit_code == 0
    upgraded = _write_run(tmp_path / "new", _scores(), versions={**VERSIONS, "justext": "3.1"})
    result = _invoke(upgraded, "--baseline", baseline)
    assert result.exit_code == 1 and "not-comparable" in result.output and "--across-versions" in result.output
    across = _invoke(upgraded, "--baseline", baseline, "--across-versions")
    assert across.exit_code == 0 and "justext: version 3.0.2 -> 3.1 (compared across versions)" in across.output


def test_command_bad_usage_and_unreadable_files_exit_2(tmp_path):
    missing_run = _invoke(tmp_path / "nowhere", "--baseline", tmp_path / "b.json")
    assert missing_run.exit_code == 2 and "no such run folder" in missing_run.output
    run = _write_run(tmp_path / "run", _scores())
    no_baseline = _invoke(run, "--baseline", tmp_path / "b.json")
    assert no_baseline.exit_code == 2 and "--update" in no_baseline.output
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    corrupt = _invoke(run, "--baseline", tmp_path / "b.json")
    assert corrupt.exit_code == 2 and "not valid JSON" in corrupt.output
    assert _invoke(run, "--allow-regression").exit_code == 2
    partial = _write_run(tmp_path / "partial", _scores(), status="interrupted")
    interrupted = _invoke(partial, "--baseline", tmp_path / "new.json", "--update")
    assert interrupted.exit_code == 2 and "complete run" in interrupted.output


def test_command_fails_when_a_pinned_extractor_did_not_run_and_refuses_unknown_only_names(tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _invoke(_write_run(tmp_path / "both", _scores()), "--baseline", baseline, "--update").exit_code == 0
    subset = _write_run(tmp_path / "subset", _scores({"trafilatura": BASE_F1["trafilatura"]}))
    result = _invoke(subset, "--baseline", baseline)
    assert result.exit_code == 1, result.output
    assert "gate: FAIL (1 pass, 1 missing (not checked))" in result.output
    assert "justext: pinned in the baseline but not in this run, so its floors were not checked" in result.output
    assert _invoke(subset, "--baseline", baseline, "--only", "trafilatura").exit_code == 0

    typo = _invoke(subset, "--baseline", baseline, "--only", "trafilatira")
    assert typo.exit_code == 2
    assert "--only trafilatira: neither pinned in the baseline nor in the run" in typo.output
    assert "did you mean trafilatura?" in typo.output


def test_command_colours_pass_and_fail_only_on_a_terminal(tmp_path):
    baseline = tmp_path / "baseline.json"
    run = _write_run(tmp_path / "run", _scores())
    assert _invoke(run, "--baseline", baseline, "--update").exit_code == 0
    plain = CliRunner().invoke(gate_command, [str(run), "--baseline", str(baseline)])
    coloured = CliRunner().invoke(gate_command, [str(run), "--baseline", str(baseline)], color=True)
    assert "\x1b[" not in plain.output and "gate: PASS" in plain.output
    assert "\x1b[32m\x1b[1mPASS\x1b[0m" in coloured.output
