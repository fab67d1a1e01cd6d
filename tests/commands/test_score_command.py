"""`boilerbench score`: predictions made elsewhere and stored runs, scored with every metric.

Expected figures come from plain re-statements of each definition written
here, not from the modules under test, so a wiring mistake (wrong text,
wrong gold, failures mishandled) shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from benchmark.cli import main
from tests.cli_runner import run_cli as run
from benchmark.records import Outcome
from benchmark.score.predictions import PredictionsError, check_ids, read_predictions
from tests.corpus.test_datasets import BODY_A, BODY_B, write_aeb, write_snippets
from tests.corpus_builders import good_corpus

GOLDS = {"a1b2": BODY_A, "c3d4": BODY_B}
PREDICTED = {
    # body plus a nav line, paragraph order kept
    "a1b2": "Home World\n" + BODY_A,
    # the first half of the French body only
    "c3d4": "Le conseil municipal a voté la fermeture du cinéma",
}


@pytest.fixture()
def aeb(tmp_path):
    return f"aeb:{write_aeb(tmp_path / 'aeb')}"


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- plain references


def ref_token_prf(gold: str, pred: str) -> tuple[float, float, float]:
    g, p = Counter(re.findall(r"\w+", gold.casefold())), Counter(re.findall(r"\w+", pred.casefold()))
    common = sum((g & p).values())
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def ref_aeb(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Scrapinghub's evaluate.py definition, written out plainly (n = 4)."""
    def shingles(text: str) -> Counter:
        tokens = re.findall(r"\w+", text or "")
        return Counter(tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3)) if tokens[i:i + 4])

    counts = []
    for true, pred in pairs:
        t, p = shingles(true), shingles(pred)
        tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
        s = tp + fp + fn
        counts.append((tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0))
    prec = [1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp) for tp, fp, fn in counts if tp + fp]
    rec = [1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn) for tp, fp, fn in counts if tp + fn]
    precision, recall = statistics.mean(prec), statistics.mean(rec)
    accuracy = statistics.mean(re.findall(r"\w+", t) == re.findall(r"\w+", p or "") for t, p in pairs)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall),
            "accuracy": accuracy}


# --------------------------------------------------------------------------- reading predictions


def test_aeb_layout_wrapped_or_not_and_null_bodies(tmp_path):
    wrapped = write_json(tmp_path / "w.json", {"version": "1.2", "output": {
        "a1b2": {"articleBody": "text"}, "c3d4": {"articleBody": None}}})
    extractions, version = read_predictions(wrapped, "x")
    assert version == "1.2"
    assert {e.page_id: (e.outcome, e.text) for e in extractions} == {
        "a1b2": (Outcome.OK, "text"), "c3d4": (Outcome.EMPTY, "")}
    bare = write_json(tmp_path / "b.json", {"a1b2": {"articleBody": "text"}, "c3d4": {}, "e5": "plain string"})
    extractions, version = read_predictions(bare, "x")
    assert version is None and [e.text for e in extractions] == ["text", "", "plain string"]


def test_jsonl_layout_keeps_our_own_outcomes(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [
        {"page_id": "a1b2", "text": "words", "extractor": "x"},
        {"page_id": "c3d4", "text": "", "outcome": "timeout", "error": "no result within 30 s", "extractor": "x"},
        {"page_id": "e5", "text": None},
    ])
    extractions, version = read_predictions(path, "mine")
    assert version is None and all(e.extractor == "mine" for e in extractions)
    assert [(e.outcome, e.error) for e in extractions] == [
        (Outcome.OK, ""), (Outcome.TIMEOUT, "no result within 30 s"), (Outcome.EMPTY, "")]


@pytest.mark.parametrize("content, expected", [
    ("", "empty"),
    ("{broken", "neither JSON"),
    ("[1, 2]", "top level is a JSON list"),
    ('{"a": 3}', "the value for 'a' is int"),
    ('{"a": {"articleBody": 3}}', "articleBody of 'a' is int"),
    ('{"page_id": "a", "text": "x"}\n{oops\n', ":2: not valid JSON"),
    ('{"page_id": "a", "text": "x"}\n{"page_id": "a", "text": "y"}\n', ":2: page 'a' again (first on line 1)"),
    ('{"page_id": "a", "text": "x"}\n{"text": "y"}\n', ':2: each line must be an object with a "page_id"'),
    ('{"page_id": "a", "text": 5}\n', ":1: text of 'a' is int"),
    ('{"page_id": "a", "text": "x", "outcome": "great"}\n', ":1: outcome 'great' is not one of"),
    ('{"page_id": "a", "text": "x", "extractor": "p"}\n{"page_id": "b", "text": "x", "extractor": "q"}\n',
     "several extractors (p, q)"),
])
def test_bad_prediction_files_name_the_file(tmp_path, content, expected):
    path = tmp_path / "pred.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PredictionsError) as info:
        read_predictions(path, "x")
    assert str(info.value).startswith(str(path)) and expected in str(info.value)


def test_non_utf8_predictions(tmp_path):
    path = tmp_path / "p.json"
    path.write_bytes(b'{"a": {"articleBody": "caf\xe9"}}')
    with pytest.raises(PredictionsError, match="not UTF-8"):
        read_predictions(path, "x")


def test_check_ids_names_missing_and_extra(tmp_path):
    extractions, _ = read_predictions(write_json(tmp_path / "p.json", {f"x{i}": "t" for i in range(15)}), "n")
    with pytest.raises(PredictionsError) as info:
        check_ids(tmp_path / "p.json", extractions, ["x0", "x1", "gone"], skipped={"x2": "page unreadable"})
    message = str(info.value)
    assert "1 page(s) of the dataset have no prediction: gone" in message
    assert "12 predicted id(s) are not in the dataset: x10, x11" in message and "and 2 more" in message
    assert "x2," not in message  # a page the dataset lists but could not read is not "extra"


# --------------------------------------------------------------------------- score --dataset


def test_aeb_metric_on_an_aeb_file_matches_their_definition(tmp_path, capsys, aeb):
    path = write_json(tmp_path / "pred.json", {"version": "0.9", "output": {
        k: {"articleBody": v} for k, v in PREDICTED.items()}})
    code, out, err = run(["score", "--dataset", aeb, "--predictions", path, "--metric", "aeb", "--format", "json"],
                         capsys)
    assert code == 0, err
    result = json.loads(out)
    expected = ref_aeb([(GOLDS[k], PREDICTED[k]) for k in sorted(GOLDS)])
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-12), key
    assert result["n_pages"] == 2 and result["metric"] == "aeb" and result["version"] == "0.9"
    assert result["f1_std"] >= 0 and result["extractor"] == "pred"


def test_token_metric_is_the_default_with_a_seeded_interval(tmp_path, capsys, aeb):
    path = write_jsonl(tmp_path / "pred.jsonl", [{"page_id": k, "text": v} for k, v in PREDICTED.items()])
    args = ["score", "--dataset", aeb, "--predictions", path, "--format", "json"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    result = json.loads(out)
    refs = [ref_token_prf(GOLDS[k], PREDICTED[k]) for k in sorted(GOLDS)]
    assert result["metric"] == "token" and result["n_pages"] == 2
    for i, key in enumerate(("precision", "recall", "f1")):
        assert result[key] == pytest.approx(statistics.mean(r[i] for r in refs), abs=1e-12)
    assert result["f1_ci_low"] <= result["f1"] <= result["f1_ci_high"]
    assert "accuracy" not in result  # the token metric has none
    assert json.loads(run(args, capsys)[1])["f1_ci_low"] == result["f1_ci_low"]  # same seed, same interval
    other = json.loads(run(args + ["--seed", "7", "--bootstrap", "50"], capsys)[1])
    assert other["seed"] == 7 and other["n_bootstrap"] == 50 and other["f1"] == result["f1"]


def test_empty_prediction_is_a_miss_for_token_and_an_empty_text_for_aeb(tmp_path, capsys, aeb):
    path = write_json(tmp_path / "p.json", {"a1b2": {"articleBody": BODY_A}, "c3d4": {"articleBody": None}})
    token = json.loads(run(["score", "--dataset", aeb, "--predictions", path, "--format", "json"], capsys)[1])
    assert token["f1"] == pytest.approx(0.5) and token["outcomes"] == {"empty": 1, "ok": 1}
    aeb_result = json.loads(run(["score", "--dataset", aeb, "--predictions", path, "--metric", "aeb",
                                 "--format", "json"], capsys)[1])
    # page 2 defines no precision (nothing predicted): precision 1 over page 1, recall (1 + 0) / 2
    assert (aeb_result["precision"], aeb_result["recall"], aeb_result["accuracy"]) == (1.0, 0.5, 0.5)


def test_lcs_metric_punishes_shuffled_order(tmp_path, capsys, aeb):
    first, second = BODY_A.split("\n")
    path = write_json(tmp_path / "p.json", {"a1b2": second + "\n" + first, "c3d4": BODY_B})
    args = ["score", "--dataset", aeb, "--predictions", path, "--format", "json"]
    token = json.loads(run(args, capsys)[1])
    lcs = json.loads(run(args + ["--metric", "lcs"], capsys)[1])
    assert token["f1"] == pytest.approx(1.0)
    n1, n2 = len(re.findall(r"\w+", first)), len(re.findall(r"\w+", second))
    page_one = max(n1, n2) / (n1 + n2)  # the LCS keeps the longer sentence only
    assert lcs["f1"] == pytest.approx((page_one + 1.0) / 2, abs=1e-12)
    assert lcs["precision"] == lcs["recall"] == lcs["f1"]


def test_rouge_metric_matches_the_rouge_score_package(tmp_path, capsys, aeb):
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    from rouge_score import tokenizers

    class Whitespace(tokenizers.Tokenizer):
        def tokenize(self, text):
            return text.split()

    scorer = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False, split_summaries=False,
                                      tokenizer=Whitespace())
    path = write_json(tmp_path / "p.json", PREDICTED)
    result = json.loads(run(["score", "--dataset", aeb, "--predictions", path, "--metric", "rouge",
                             "--format", "json"], capsys)[1])
    refs = [scorer.score(GOLDS[k], PREDICTED[k])["rougeLsum"] for k in sorted(GOLDS)]
    assert result["f1"] == pytest.approx(statistics.mean(r.fmeasure for r in refs), abs=1e-12)
    assert result["precision"] == pytest.approx(statistics.mean(r.precision for r in refs), abs=1e-12)
    assert result["recall"] == pytest.approx(statistics.mean(r.recall for r in refs), abs=1e-12)


def test_snippet_dataset_defaults_to_the_snippet_metric(tmp_path, capsys):
    spec = f"snippets:{write_snippets(tmp_path / 'set')}"
    path = write_json(tmp_path / "p.json", {
        # finds both with-snippets and the "Home" without-snippet
        "https://www.example.org/news/ferry?id=1": "Home\n" + BODY_A,
        # finds nothing
        "https://www.example.de/Politik/Stadtrat_tagt": "Impressu m",
    })
    code, out, err = run(["score", "--dataset", spec, "--predictions", path, "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["metric"] == "snippet"
    assert (result["tp"], result["fn"], result["fp"], result["tn"]) == (2, 1, 1, 2)
    assert result["precision"] == pytest.approx(2 / 3) and result["recall"] == pytest.approx(2 / 3)
    assert result["accuracy"] == pytest.approx(4 / 6) and result["f1"] == pytest.approx(4 / 6)
    code, _, err = run(["score", "--dataset", spec, "--predictions", path, "--metric", "token"], capsys)
    assert code == 2 and "no body gold" in err and "--metric snippet" in err


def test_snippet_metric_on_a_dataset_without_snippets_is_an_error(tmp_path, capsys, aeb):
    path = write_json(tmp_path / "p.json", PREDICTED)
    code, _, err = run(["score", "--dataset", aeb, "--predictions", path, "--metric", "snippet"], capsys)
    assert code == 2 and "no snippet gold" in err


def test_missing_and_extra_ids_exit_2_naming_them(tmp_path, capsys, aeb):
    path = write_json(tmp_path / "p.json", {"a1b2": "x", "zz99": "y"})
    code, out, err = run(["score", "--dataset", aeb, "--predictions", path], capsys)
    assert code == 2 and out == ""
    assert "c3d4" in err and "Add them" in err and "zz99" in err and "Remove them" in err
    assert str(path) in err and "Traceback" not in err


def test_bad_arguments_exit_2(tmp_path, capsys, aeb):
    pred = write_json(tmp_path / "p.json", PREDICTED)
    for args, expected in [
        (["score"], "--dataset KIND:PATH and --predictions FILE"),
        (["score", "--dataset", aeb], "--predictions FILE"),
        (["score", "--dataset", aeb, "--predictions", tmp_path / "none.json"], "no such file"),
        (["score", "--dataset", "nosuch:x", "--predictions", pred], "unknown"),
        (["score", "--dataset", f"aeb:{tmp_path / 'nope'}", "--predictions", pred], "no such file or folder"),
        (["score", "--run", tmp_path, "--dataset", aeb], "not both"),
        (["score", "--run", tmp_path / "nope"], "no such folder"),
    ]:
        code, _, err = run(args, capsys)
        assert code == 2 and expected in err, (args, err)


def test_table_and_csv_formats(tmp_path, capsys, aeb):
    path = write_json(tmp_path / "engine.json", PREDICTED)
    code, out, _ = run(["score", "--dataset", aeb, "--predictions", path, "--metric", "aeb"], capsys)
    assert code == 0 and "engine" in out and "accuracy" in out and "4-token shingles" in out
    code, out, _ = run(["score", "--dataset", aeb, "--predictions", path, "--format", "csv", "--name", "eng 1.0"],
                       capsys)
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["extractor"] == "eng 1.0" and row["n_pages"] == "2"
    assert float(row["f1_ci_low"]) <= float(row["f1"]) <= float(row["f1_ci_high"])


def test_unreadable_page_is_named_not_counted_as_extra(tmp_path, capsys):
    root = write_aeb(tmp_path / "aeb")
    (root / "html" / "c3d4.html.gz").write_bytes(b"not gzip")
    path = write_json(tmp_path / "p.json", PREDICTED)
    code, out, err = run(["score", "--dataset", f"aeb:{root}", "--predictions", path, "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["n_pages"] == 1 and "c3d4" in result["notes"][0]


# --------------------------------------------------------------------------- score --run


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    """A real run of both baselines on a small corpus (one worker start each)."""
    root = tmp_path_factory.mktemp("run")
    corpus = good_corpus(root / "corpus", n=3)
    assert main(["run", "--corpus", str(corpus), "--extractors", "full-text,gold", "--jobs", "1", "--out",
                 str(root / "out"), "--no-cache", "--quiet"]) == 0
    (run_dir,) = (root / "out").iterdir()
    return run_dir


def test_rescoring_a_run_with_token_reproduces_its_summary(baseline_run, capsys):
    code, out, err = run(["score", "--run", baseline_run, "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    summary = pd.read_csv(baseline_run / "summary.csv").set_index("extractor")
    rows = {row["extractor"]: row for row in result["extractors"]}
    assert set(rows) == {"full-text", "gold"} and result["metric"] == "token"
    meta = json.loads((baseline_run / "run.json").read_text())
    assert result["seed"] == meta["options"]["seed"]
    for name, row in rows.items():
        for ours, theirs in (("f1", "f1_mean"), ("precision", "precision_mean"), ("recall", "recall_mean"),
                             ("f1_ci_low", "f1_ci_low"), ("f1_ci_high", "f1_ci_high")):
            assert row[ours] == pytest.approx(summary.loc[name, theirs], abs=1e-12), (name, ours)
        assert row["version"] == summary.loc[name, "version"]
    assert result["extractors"][0]["extractor"] == "gold"  # best first


def test_rescoring_a_run_with_other_metrics(baseline_run, capsys):
    summary = pd.read_csv(baseline_run / "summary.csv").set_index("extractor")
    for metric in ("aeb", "lcs", "rouge"):
        code, out, err = run(["score", "--run", baseline_run, "--metric", metric, "--format", "json"], capsys)
        assert code == 0, err
        rows = {row["extractor"]: row for row in json.loads(out)["extractors"]}
        if metric == "lcs":  # the run's own lcs_f1 column, re-computed
            for name, row in rows.items():
                assert row["f1"] == pytest.approx(summary.loc[name, "lcs_f1_mean"], abs=1e-12)
        assert rows["gold"]["f1"] == pytest.approx(1.0), metric
        assert rows["full-text"]["recall"] == pytest.approx(1.0), metric
        assert rows["full-text"]["precision"] < 0.8, metric
    code, out, _ = run(["score", "--run", baseline_run, "--metric", "aeb"], capsys)
    assert code == 0 and "full-text" in out and "gold" in out and "accuracy" in out


def write_run(run_dir: Path, extractions, golds) -> Path:
    run_dir.mkdir(parents=True)
    write_json(run_dir / "run.json", {"schema_version": 1, "run_id": "hand-made", "options": {"seed": 3,
               "bootstrap_resamples": 20}, "extractors": {"a": {"version": "1.0"}}})
    write_jsonl(run_dir / "extractions.jsonl", extractions)
    write_jsonl(run_dir / "golds.jsonl", golds)
    return run_dir


def test_rescoring_a_partial_run_with_an_unavailable_extractor(tmp_path, capsys):
    golds = [{"page_id": k, "text": v, "with": [], "without": []} for k, v in GOLDS.items()]
    extractions = [
        {"extractor": "a", "page_id": "a1b2", "outcome": "ok", "text": BODY_A},
        {"extractor": "a", "page_id": "c3d4", "outcome": "error", "text": "", "error": "ValueError: x"},
        {"extractor": "b", "page_id": "a1b2", "outcome": "ok", "text": BODY_A},
        {"extractor": "c", "page_id": "a1b2", "outcome": "unavailable", "text": ""},
        {"extractor": "c", "page_id": "c3d4", "outcome": "unavailable", "text": ""},
    ]
    run_dir = write_run(tmp_path / "r", extractions, golds)
    (run_dir / "extractions.jsonl").open("a").write('{"extractor": "a", "page_id": "c3')  # killed mid-line
    code, out, err = run(["score", "--run", run_dir, "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    rows = {row["extractor"]: row for row in result["extractors"]}
    assert set(rows) == {"a", "b"}  # the unavailable one is a note, never a row of zeros
    assert rows["a"]["f1"] == pytest.approx(0.5) and rows["a"]["failures"] == 1 and rows["a"]["version"] == "1.0"
    assert rows["b"]["n_pages"] == 1 and rows["b"]["f1"] == 1.0
    notes = " ".join(result["notes"])
    assert "c was not installed" in notes and "b has no output for 1 page" in notes
    assert result["seed"] == 3 and result["n_bootstrap"] == 20


def test_rescoring_what_is_no_run(tmp_path, capsys):
    code, _, err = run(["score", "--run", tmp_path], capsys)
    assert code == 2 and "run.json" in err and "not found" in err
    run_dir = write_run(tmp_path / "r", [], [])
    (run_dir / "golds.jsonl").unlink()
    code, _, err = run(["score", "--run", run_dir], capsys)
    assert code == 2 and "golds.jsonl" in err and "missing" in err
    write_json(run_dir / "run.json", {"schema_version": 99})
    code, _, err = run(["score", "--run", run_dir], capsys)
    assert code == 2 and "schema version 99" in err
    run_dir = write_run(tmp_path / "r2", [], [{"no_page_id": 1}])
    code, _, err = run(["score", "--run", run_dir], capsys)
    assert code == 2 and "golds.jsonl:1" in err and "damaged" in err


def test_snippet_run_defaults_to_snippet_metric(tmp_path, capsys):
    golds = [{"page_id": "u1", "text": None, "with": ["alpha beta"], "without": ["gamma"]}]
    extractions = [{"extractor": "a", "page_id": "u1", "outcome": "ok", "text": "alpha  beta gamma"}]
    result = json.loads(run(["score", "--run", write_run(tmp_path / "r", extractions, golds), "--format", "json"],
                            capsys)[1])
    (row,) = result["extractors"]
    assert result["metric"] == "snippet" and (row["tp"], row["fn"], row["fp"], row["tn"]) == (1, 0, 1, 0)
