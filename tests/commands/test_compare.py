"""`boilerbench compare`: two runs, paired over their shared pages, refused across corpora."""

import json

from benchmark.cli import main
from tests.corpus_builders import good_corpus, write_page


def _run(corpus, out):
    assert main(["run", "--corpus", str(corpus), "--extractors", "full-text,gold", "--jobs", "1", "--out",
                 str(out), "--no-cache", "--quiet"]) == 0
    (run_dir,) = out.iterdir()
    return run_dir


def test_same_corpus_is_compared_and_no_change_is_not_significant(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "corpus", n=4)
    a, b = _run(corpus, tmp_path / "a"), _run(corpus, tmp_path / "b")
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--format", "json"]) == 0
    rows = {row["extractor"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"full-text", "gold"}
    assert rows["gold"]["mean_diff"] == 0.0 and rows["gold"]["significant"] is False
    assert rows["full-text"]["pages"] == 4


def test_other_corpus_is_not_comparable(tmp_path, capsys):
    corpus = good_corpus(tmp_path / "corpus", n=2)
    a = _run(corpus, tmp_path / "a")
    write_page(corpus, "example-2019-extra")
    b = _run(corpus, tmp_path / "b")
    capsys.readouterr()
    assert main(["compare", str(b), str(a)]) == 2
    assert "not comparable" in capsys.readouterr().err
    assert main(["compare", str(b), str(a), "--allow-other-corpus", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(row["pages"] == 2 and row["pages_only_a"] == 1 for row in rows)
