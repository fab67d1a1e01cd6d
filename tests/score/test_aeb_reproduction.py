"""The real AEB set: the importer reads it all, and AEB-mode scores reproduce that benchmark's own figures.

The figures below are what the article extraction benchmark's own scorer
(evaluate.py) gave for these library versions called the way that benchmark
calls them; the registry names are the adapters that call them that way:

* trafilatura 2.3.1, ``extract(html, include_comments=False)``: 0.960
* readability-lxml 0.9, ``Document(html).summary(html_partial=True)`` ->
  html_text: 0.955
* jusText 3.0.2, English stoplist and AEB's parameters (``justext-english``;
  our default ``justext`` picks the stoplist of the page's language): 0.804
* newspaper3k 0.2.8 with the page URL and newspaper's own language choice
  (``newspaper3k-default``; our ``newspaper3k`` sets the card's language): 0.894

One run of those four plus both baselines (jobs=2, no cache) is shared by the
whole module. The data lives beside the repository and is never copied into
it; without it every test here skips.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.corpus.datasets import load_dataset

AEB = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "aeb"
#: registry name -> (distribution, version measured, AEB F1 from that benchmark's scorer)
PUBLISHED = {
    "trafilatura": ("trafilatura", "2.3.1", 0.960),
    "readability-lxml": ("readability-lxml", "0.9", 0.955),
    "justext-english": ("jusText", "3.0.2", 0.804),
    "newspaper3k-default": ("newspaper3k", "0.2.8", 0.894),
}
TOLERANCE = 0.01


@pytest.fixture(scope="module")
def aeb_dir() -> Path:
    if not (AEB / "ground-truth.json").is_file():
        pytest.skip(f"the AEB data set is not at {AEB}")
    return AEB


@pytest.fixture(scope="module")
def aeb_run(aeb_dir, tmp_path_factory) -> Path:
    """`boilerbench run --dataset aeb:...` with the four AEB-call adapters and both baselines."""
    out = tmp_path_factory.mktemp("aeb-run")
    names = [*PUBLISHED, "full-text", "gold"]
    code = main(["run", "--dataset", f"aeb:{aeb_dir}", "--extractors", ",".join(names), "--jobs", "2",
                 "--out", str(out), "--no-cache", "--quiet"])
    assert code == 0
    (run_dir,) = out.iterdir()
    return run_dir


def cli_json(args: list[str]) -> dict:
    """Run a CLI command that prints one JSON object and return it."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(args)
    assert code == 0
    return json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def aeb_scores(aeb_run) -> dict[str, dict]:
    """`boilerbench score --run RUN --metric aeb --format json`, by extractor."""
    result = cli_json(["score", "--run", str(aeb_run), "--metric", "aeb", "--format", "json"])
    return {row["extractor"]: row for row in result["extractors"]}


def test_importer_reads_all_181_pages_as_the_benchmark_does(aeb_dir):
    corpus = load_dataset(f"aeb:{aeb_dir}")
    assert len(corpus.pages) == 181 and len(corpus.golds) == 181
    assert not [p for p in corpus.problems if p.blocks_page]
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    for page in corpus.pages:
        # that benchmark reads every page with gzip.open(path, "rt", encoding="utf8"): so do we
        assert page.html == gzip.decompress((aeb_dir / "html" / f"{page.page_id}.html.gz").read_bytes()).decode(
            "utf-8"), page.page_id
        assert corpus.golds[page.page_id].text == truth[page.page_id]["articleBody"]
        assert page.card.url == truth[page.page_id]["url"]


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_aeb_mode_reproduces_the_benchmarks_own_f1(name, aeb_run, aeb_scores):
    distribution, version, published = PUBLISHED[name]
    meta = json.loads((aeb_run / "run.json").read_text())["extractors"][name]
    if not meta["available"]:
        pytest.skip(f"{distribution} is not installed")
    if meta["version"] != version:
        pytest.skip(f"{distribution} {meta['version']} installed; the published figure is for {version}")
    row = aeb_scores[name]
    assert row["n_pages"] == 181
    assert abs(row["f1"] - published) <= TOLERANCE, (
        f"{name}: AEB F1 {row['f1']:.4f} (P {row['precision']:.4f}, R {row['recall']:.4f}); "
        f"that benchmark's scorer gave {published}")


def test_baselines_bound_the_scores(aeb_scores):
    gold, full = aeb_scores["gold"], aeb_scores["full-text"]
    assert (gold["precision"], gold["recall"], gold["f1"], gold["accuracy"]) == (1.0, 1.0, 1.0, 1.0)
    # all visible text: nearly every gold shingle, about half the output is body (AEB's html-text: R 0.994)
    assert full["recall"] > 0.98 and 0.4 < full["precision"] < 0.6 and full["accuracy"] == 0.0
    for name in PUBLISHED:
        if name in aeb_scores and aeb_scores[name]["outcomes"].get("unavailable") is None:
            assert aeb_scores[name]["precision"] > full["precision"], name


def test_run_on_the_dataset_writes_a_complete_run(aeb_run):
    meta = json.loads((aeb_run / "run.json").read_text())
    assert meta["status"] == "complete" and meta["corpus"]["name"] == "aeb" and meta["corpus"]["pages"] == 181
    assert meta["corpus"]["skipped"] == []
    lines = (aeb_run / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 181 * (len(PUBLISHED) + 2)
    assert (aeb_run / "report.md").is_file() and (aeb_run / "summary.csv").is_file()


def test_scoring_the_runs_outputs_as_an_aeb_prediction_file_gives_the_same_figures(aeb_dir, aeb_run, aeb_scores,
                                                                                    tmp_path):
    from benchmark.results import iter_extractions

    name = "trafilatura"
    output = {e.page_id: {"articleBody": e.text if str(e.outcome) == "ok" else None}
              for e in iter_extractions(aeb_run) if e.extractor == name}
    path = tmp_path / "trafilatura.json"
    path.write_text(json.dumps({"version": "2.3.1", "output": output}, ensure_ascii=False), encoding="utf-8")
    result = cli_json(["score", "--dataset", f"aeb:{aeb_dir}", "--predictions", str(path), "--metric", "aeb",
                       "--format", "json"])
    for key in ("precision", "recall", "f1", "accuracy"):
        assert result[key] == aeb_scores[name][key], key
    assert result["n_pages"] == 181 and result["version"] == "2.3.1"


def test_imported_aeb_validates(aeb_dir, tmp_path):
    from benchmark.corpus.bundled import load_corpus
    from benchmark.corpus.validation import validate

    dest = tmp_path / "aeb-bundled"
    assert main(["import", "aeb", str(aeb_dir), str(dest)]) == 0
    corpus = load_corpus(dest)
    assert len(corpus.pages) == 181
    problems = validate(corpus)
    # every gold is covered by its page's text; pages that state no date say `published = "unknown"`
    assert problems == [], problems[:3]
    undated = [p for p in corpus.pages if p.card.published is None]
    assert 0 < len(undated) < 181 * 0.2
