"""Our ROUGE-LSum must equal the rouge-score package (WCEB's setup) to 1e-9 while being fast."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from benchmark.score.rouge import RougeScore, rouge_lsum, rouge_tokenize, wceb_rouge_lsum

AEB = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "aeb"
TOL = 1e-9  # same integer hits and float operations: equality expected; 1e-9 per the spec


@pytest.fixture(scope="module")
def scorers() -> dict[str, object]:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    from rouge_score import tokenizers

    class Whitespace(tokenizers.Tokenizer):  # WCEB's tokenize_ws
        def tokenize(self, text: str) -> list[str]:
            text = text.strip()
            return re.split(r"\s+", text) if text else []

    return {
        "whitespace": rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False, split_summaries=False,
                                               tokenizer=Whitespace()),
        "rouge": rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False, split_summaries=False),
    }


def _assert_same(scorers: dict[str, object], target: str, prediction: str, tokenizer: str) -> None:
    ref = scorers[tokenizer].score(target, prediction)["rougeLsum"]  # type: ignore[attr-defined]
    ours = rouge_lsum(target, prediction, tokenizer=tokenizer)
    assert (ours.precision, ours.recall, ours.fmeasure) == pytest.approx(
        (ref.precision, ref.recall, ref.fmeasure), abs=TOL, rel=0
    ), (target, prediction)


@pytest.mark.parametrize("tokenizer", ["whitespace", "rouge"])
def test_matches_rouge_score_on_random_small_texts(scorers: dict[str, object], tokenizer: str) -> None:
    """Tiny alphabets make LCS ties common, which is where the backtrack's choice shows."""
    rnd = random.Random(7)
    words = ["a", "b", "c", "A", "b.", "c,", "d"]
    for _ in range(600):
        make = lambda: "\n".join(  # noqa: E731
            " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 9))) for _ in range(rnd.randint(0, 5))
        )
        _assert_same(scorers, make(), make(), tokenizer)


@pytest.mark.parametrize("tokenizer", ["whitespace", "rouge"])
@pytest.mark.parametrize(
    ("target", "prediction"),
    [
        ("", ""),
        ("a b c", ""),
        ("", "a b c"),
        ("\n\n", "a\n\n"),
        ("   \n  ", "a b"),
        ("The cat sat.\nOn the mat.", "On the mat.\nThe cat sat."),  # reordered lines
        ("a b a b a", "a\nb a\na b"),  # one gold line, many predicted lines: union + budgets
        ("Straße ÄÖÜ café", "strasse äöü cafe"),  # 'rouge' drops non-ASCII letters
        ("中文 新闻 内容\n日本語", "中文 新闻\n内容 日本語"),
        ("x\r\ny z", "x y\r\nz"),
        ("word " * 300, "word " * 150 + "\n" + "word " * 200),
        (" ".join(f"w{i % 97}" for i in range(700)), " ".join(f"w{i % 89}" for i in range(600))),  # array backtrack
    ],
)
def test_matches_rouge_score_on_edge_cases(
    scorers: dict[str, object], tokenizer: str, target: str, prediction: str
) -> None:
    _assert_same(scorers, target, prediction, tokenizer)


def test_matches_rouge_score_on_aeb_pages(scorers: dict[str, object]) -> None:
    if not (AEB / "ground-truth.json").is_file():
        pytest.skip(f"AEB data not found at {AEB}")
    data = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    golds = [item["articleBody"] for _, item in sorted(data.items())][:12]  # rouge-score is slow
    rnd = random.Random(11)
    for i, gold in enumerate(golds):
        lines = gold.split("\n")
        other = golds[(i + 5) % len(golds)]
        kept = rnd.sample(lines, max(1, len(lines) * 2 // 3))
        prediction = other[:600] + "\nShare this:\n" + "\n".join(kept) + "\n" + other[-400:]
        for tokenizer in ("whitespace", "rouge"):
            _assert_same(scorers, gold, prediction, tokenizer)


def test_tokenizers() -> None:
    assert rouge_tokenize("  The cat,  sat.\t") == ["The", "cat,", "sat."]
    assert rouge_tokenize("The cat's 2 Häuser", "rouge") == ["the", "cat", "s", "2", "h", "user"]
    with pytest.raises(ValueError, match="tokenizer"):
        rouge_tokenize("x", "nltk")


def test_custom_units_splitter() -> None:
    """`split` replaces lines as units, e.g. with nltk.sent_tokenize as WCEB uses."""
    sentences = lambda text: re.split(r"(?<=\.) ", text)  # noqa: E731
    one_line = rouge_lsum("b a. c d.", "c d. b a.")
    by_sentence = rouge_lsum("b a. c d.", "c d. b a.", split=sentences)
    assert by_sentence.fmeasure == 1.0 and one_line.fmeasure < 1.0


@pytest.mark.parametrize(
    ("target", "prediction", "expected"),
    [
        ("", "", RougeScore(1.0, 1.0, 1.0)),
        (" \n ", "some text", RougeScore(0.0, 1.0, 0.0)),  # empty gold: recall 1 (WCEB's override)
        ("gold", "", RougeScore(0.0, 0.0, 0.0)),
        ("a b", "a b", RougeScore(1.0, 1.0, 1.0)),
    ],
)
def test_wceb_empty_conventions(target: str, prediction: str, expected: RougeScore) -> None:
    assert wceb_rouge_lsum(target, prediction) == expected
