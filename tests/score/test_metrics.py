"""Truth tables for the per-page metrics and score_extraction's outcome handling."""

from __future__ import annotations

import pytest

from benchmark.records import Card, Extraction, Gold, Outcome, PageScore
from benchmark.score.lexicon import Lexicon
from benchmark.score.metrics import (
    chrome_leak,
    find_passages,
    lcs_overlap,
    lexicon_leak,
    must_include,
    prf,
    score_extraction,
    token_overlap,
)
from benchmark.score.textnorm import tokenize

NO_LEXICON = Lexicon(version="none", phrases=())


def _card(chrome: tuple[str, ...] = (), must: tuple[str, ...] = ()) -> Card:
    return Card(url="http://x.test/a", site="x", language="en", published=None, chrome=chrome, must_include=must)


def _gold(text: str | None) -> Gold:
    return Gold(page_id="p", path="gold/p.txt", text=text)


def _ext(text: str = "", outcome: Outcome = Outcome.OK, ms: float | None = 12.5) -> Extraction:
    return Extraction(extractor="x", page_id="p", outcome=outcome, text=text, ms=ms)


@pytest.mark.parametrize(
    ("common", "n_pred", "n_gold", "expected"),
    [
        (0, 0, 0, (1.0, 1.0, 1.0)),  # both empty: nothing to find, nothing wrongly found
        (0, 0, 5, (0.0, 0.0, 0.0)),  # prediction empty, gold not
        (0, 5, 0, (0.0, 1.0, 0.0)),  # gold empty, prediction not: recall vacuous
        (0, 3, 4, (0.0, 0.0, 0.0)),  # disjoint: F1 is 0, not 0/0
        (2, 4, 2, (0.5, 1.0, 2 / 3)),
        (3, 3, 6, (1.0, 0.5, 2 / 3)),
    ],
)
def test_prf_conventions(common: int, n_pred: int, n_gold: int, expected: tuple[float, float, float]) -> None:
    assert prf(common, n_pred, n_gold) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("pred", "gold", "bag", "lcs"),
    [
        ("a b c d", "a b c d", 4, 4),
        ("d c b a", "a b c d", 4, 1),  # reordered: multiset blind, LCS not
        ("a a a", "a b a", 2, 2),  # multiset: repeated tokens count only as often as in both
        ("a b x c", "a b c", 3, 3),
        ("", "a b", 0, 0),
        ("a b", "", 0, 0),
    ],
)
def test_overlap_counts(pred: str, gold: str, bag: int, lcs: int) -> None:
    p, g = pred.split(), gold.split()
    assert token_overlap(p, g).common == bag
    assert lcs_overlap(p, g).common == lcs
    assert (token_overlap(p, g).n_pred, token_overlap(p, g).n_gold) == (len(p), len(g))


def test_reordered_paragraphs_keep_token_f1_but_lose_lcs_f1() -> None:
    gold = "First paragraph about the summit.\n\nSecond paragraph on the pipeline deal."
    shuffled = "Second paragraph on the pipeline deal. First paragraph about the summit."
    score = score_extraction(_ext(shuffled), _gold(gold), None, NO_LEXICON)
    assert score.f1 == 1.0
    assert score.lcs_f1 < 1.0


@pytest.mark.parametrize(
    ("text", "passages", "found"),
    [
        ("The strategic\nframework was", ["strategic framework"], ("strategic framework",)),
        ("The Strategic framework", ["strategic framework"], ()),  # case-sensitive
        ("ﬁve\u00a0items", ["five items"], ("five items",)),  # NFKC + whitespace on both sides
        ("the **strategic** framework", ["strategic framework"], ("strategic framework",)),
        ("abc", ["", "  "], ()),  # empty passages are never found
        ("E-mail to a friend | Print", ["Print", "Share"], ("Print",)),
    ],
)
def test_find_passages(text: str, passages: list[str], found: tuple[str, ...]) -> None:
    assert find_passages(text, passages) == found


@pytest.mark.parametrize(
    ("output", "chrome", "share", "leaked"),
    [
        ("Body. E-mail to a friend", ("E-mail to a friend", "Decrease font"), 0.5, ("E-mail to a friend",)),
        ("Body only.", ("E-mail to a friend", "Decrease font"), 0.0, ()),
        ("Decrease\nfont E-mail  to a friend", ("E-mail to a friend", "Decrease font"), 1.0,
         ("E-mail to a friend", "Decrease font")),
        ("body", (), None, ()),  # card lists no chrome: not measurable, not zero
    ],
)
def test_chrome_leak(output: str, chrome: tuple[str, ...], share: float | None, leaked: tuple[str, ...]) -> None:
    assert chrome_leak(output, _card(chrome=chrome)) == (share, leaked)


def test_chrome_leak_without_card_is_none() -> None:
    assert chrome_leak("anything", None) == (None, ())


@pytest.mark.parametrize(
    ("output", "must", "share", "missing"),
    [
        ("a strategic framework and a deal", ("strategic framework", "a deal"), 1.0, ()),
        ("a strategic framework", ("strategic framework", "a deal"), 0.5, ("a deal",)),
        ("nothing", ("strategic framework",), 0.0, ("strategic framework",)),
        ("nothing", (), None, ()),
    ],
)
def test_must_include(output: str, must: tuple[str, ...], share: float | None, missing: tuple[str, ...]) -> None:
    assert must_include(output, _card(must=must)) == (share, missing)


@pytest.mark.parametrize(
    ("output", "gold", "leaked"),
    [
        ("Body text. ADVERTISEMENT More body.", "Body text. More body.", ("Advertisement",)),
        # a phrase the gold itself contains is body, not chrome
        ("The advertisement campaign ran.", "The advertisement campaign ran.", ()),
        # word boundaries: no match inside a longer word
        ("Die Anzeigen stiegen.", "Die Anzeigen stiegen.", ()),
        ("Text - Anzeige - mehr", "Text mehr", ("Anzeige",)),
        # CJK phrases match without spaces around them
        ("新闻正文相关新闻更多", "新闻正文", ("相关新闻",)),
    ],
)
def test_lexicon_leak(output: str, gold: str, leaked: tuple[str, ...]) -> None:
    lexicon = Lexicon(version="t", phrases=("Advertisement", "Anzeige", "相关新闻"))
    assert lexicon_leak(output, gold, lexicon) == leaked


GOLD = "The strategic framework was signed in Sochi.\n\nBoth leaders praised it."
CARD = _card(chrome=("E-mail to a friend", "Decrease font"), must=("strategic framework",))


def test_score_ok_page_fills_every_field() -> None:
    out = "E-mail to a friend\nThe strategic framework was signed in Sochi. Both leaders praised it. Advertisement"
    score = score_extraction(_ext(out, ms=7.0), _gold(GOLD), CARD, Lexicon("t", ("Advertisement", "Most Read")))
    assert isinstance(score, PageScore)
    n_gold = len(tokenize(GOLD))
    n_pred = len(tokenize(out))
    assert (score.tp, score.n_gold, score.n_pred) == (n_gold, n_gold, n_pred)
    assert score.recall == 1.0
    assert score.precision == pytest.approx(n_gold / n_pred)
    assert score.chrome_leak == 0.5 and score.chrome_leaked == ("E-mail to a friend",)
    assert score.lexicon_leaked == ("Advertisement",)
    assert score.must_include == 1.0 and score.must_missing == ()
    assert score.ms == 7.0 and score.outcome is Outcome.OK


def test_gold_text_scores_perfectly() -> None:
    score = score_extraction(_ext(GOLD), _gold(GOLD), CARD)
    assert (score.precision, score.recall, score.f1, score.lcs_f1) == (1.0, 1.0, 1.0, 1.0)
    assert score.chrome_leak == 0.0 and score.lexicon_leaked == ()


@pytest.mark.parametrize("outcome", [Outcome.ERROR, Outcome.TIMEOUT, Outcome.CRASH, Outcome.UNAVAILABLE])
@pytest.mark.parametrize("gold_text", [GOLD, ""])
def test_failed_outcomes_are_full_misses(outcome: Outcome, gold_text: str) -> None:
    # even stray text on a failed pair is ignored, and an empty gold does not rescue it
    score = score_extraction(_ext("E-mail to a friend " + GOLD, outcome), _gold(gold_text), CARD)
    assert (score.precision, score.recall, score.f1, score.lcs_f1) == (0.0, 0.0, 0.0, 0.0)
    assert score.chrome_leak == 0.0 and score.chrome_leaked == () and score.lexicon_leaked == ()
    assert score.must_include == 0.0 and score.must_missing == ("strategic framework",)
    assert (score.tp, score.n_pred, score.n_gold) == (0, 0, len(tokenize(gold_text)))
    assert score.outcome is outcome and score.ms == 12.5


def test_failed_outcome_without_card_lists_gives_none() -> None:
    score = score_extraction(_ext("", Outcome.ERROR), _gold(GOLD), _card())
    assert score.chrome_leak is None and score.must_include is None and score.must_missing == ()


@pytest.mark.parametrize(
    ("outcome", "text", "gold_text", "expected"),
    [
        (Outcome.EMPTY, "", "", (1.0, 1.0, 1.0, 1.0)),  # both empty
        (Outcome.EMPTY, "", GOLD, (0.0, 0.0, 0.0, 0.0)),  # prediction empty
        (Outcome.EMPTY, "  \n ", GOLD, (0.0, 0.0, 0.0, 0.0)),
        (Outcome.OK, "...", GOLD, (0.0, 0.0, 0.0, 0.0)),  # text but no tokens = empty prediction
        (Outcome.OK, "some text", "", (0.0, 1.0, 0.0, 0.0)),  # gold empty, prediction not
        (Outcome.OK, "", "", (1.0, 1.0, 1.0, 1.0)),
    ],
)
def test_empty_conventions_in_score_extraction(
    outcome: Outcome, text: str, gold_text: str, expected: tuple[float, float, float, float]
) -> None:
    score = score_extraction(_ext(text, outcome), _gold(gold_text), None, NO_LEXICON)
    assert (score.precision, score.recall, score.f1, score.lcs_f1) == expected
    assert score.chrome_leak is None and score.must_include is None


def test_empty_outcome_with_chrome_card_leaks_nothing_and_misses_musts() -> None:
    score = score_extraction(_ext("", Outcome.EMPTY), _gold(GOLD), CARD)
    assert score.chrome_leak == 0.0
    assert score.must_include == 0.0 and score.must_missing == ("strategic framework",)


def test_snippet_only_gold_is_refused() -> None:
    with pytest.raises(ValueError, match="snippet"):
        score_extraction(_ext("x"), _gold(None), None)


def test_micro_counts_pool_across_pages() -> None:
    pages = [("a b c", "a b c d"), ("x y", "x z")]
    scores = [score_extraction(_ext(p), _gold(g), None, NO_LEXICON) for p, g in pages]
    tp = sum(s.tp for s in scores)
    assert tp == 4
    assert sum(s.n_pred for s in scores) == 5 and sum(s.n_gold for s in scores) == 6
