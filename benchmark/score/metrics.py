"""Per-page scores: token precision/recall/F1, order-aware LCS F1, chrome leaks, must-include.

Definitions (DESIGN.md, "Metrics"), with G the gold and P the predicted
token multiset (`textnorm.tokenize`):

* precision ``|G∩P| / |P|``, recall ``|G∩P| / |G|``, F1 their harmonic mean,
  computed as ``2|G∩P| / (|P| + |G|)`` (identical, and 0 rather than 0/0 when
  nothing overlaps);
* `lcs_f1`: the same with the longest common subsequence of the token
  sequences in place of the multiset intersection, so shuffled text is punished;
* empty conventions, shared by both: both empty -> 1, 1, 1 (nothing to find,
  nothing wrongly found); prediction empty, gold not -> 0, 0, 0; gold empty,
  prediction not -> precision 0, recall 1 (vacuous), F1 0;
* any outcome other than ``ok``/``empty`` is a full miss: 0, 0, 0 even when the
  gold is empty, because a crash or timeout must never score as a success;
  its chrome leak is 0.0 (a failure leaks nothing) and its must-include share
  0.0 with every passage missing; None where the card lists none;
* Markdown and HTML outputs are scored on their plain text
  (`output_kinds.scored_text`); their structure fields come from
  `structure.structure_score` (None for plain-text outputs).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, replace
from typing import Sequence

from benchmark.records import Card, Extraction, Gold, Outcome, PageScore
from benchmark.score.lexicon import Lexicon, find_phrases, load_lexicon
from benchmark.score.output_kinds import marked_output, scored_text
from benchmark.score.textnorm import normalize, tokenize_normalized

__all__ = [
    "Overlap",
    "prf",
    "token_overlap",
    "lcs_overlap",
    "find_passages",
    "chrome_leak",
    "lexicon_leak",
    "must_include",
    "score_extraction",
]

_SCORED_OUTCOMES = (Outcome.OK, Outcome.EMPTY)


@dataclass(frozen=True)
class Overlap:
    """Matched-token count and both sizes: enough for page scores and micro averages."""

    common: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        """Share of predicted tokens that are gold (empty conventions applied)."""
        return prf(self.common, self.n_pred, self.n_gold)[0]

    @property
    def recall(self) -> float:
        """Share of gold tokens that were predicted (empty conventions applied)."""
        return prf(self.common, self.n_pred, self.n_gold)[1]

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (empty conventions applied)."""
        return prf(self.common, self.n_pred, self.n_gold)[2]


def prf(common: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from counts, with the documented empty conventions."""
    if n_pred == 0:
        return (1.0, 1.0, 1.0) if n_gold == 0 else (0.0, 0.0, 0.0)
    if n_gold == 0:
        return 0.0, 1.0, 0.0
    return common / n_pred, common / n_gold, 2.0 * common / (n_pred + n_gold)


def token_overlap(pred: Sequence[str], gold: Sequence[str]) -> Overlap:
    """Multiset intersection size of two token lists (order ignored)."""
    if not pred or not gold:
        return Overlap(0, len(pred), len(gold))
    small, large = (pred, gold) if len(pred) <= len(gold) else (gold, pred)
    large_counts = Counter(large)
    common = sum(min(n, large_counts[tok]) for tok, n in Counter(small).items())
    return Overlap(common, len(pred), len(gold))


def lcs_overlap(pred: Sequence[str], gold: Sequence[str]) -> Overlap:
    """Longest-common-subsequence length of two token lists (order kept)."""
    if not pred or not gold:
        return Overlap(0, len(pred), len(gold))
    from rapidfuzz.distance import LCSseq

    # rapidfuzz hashes the list items; equal strings are equal tokens.
    return Overlap(int(LCSseq.similarity(pred, gold)), len(pred), len(gold))


def _found_in(normalized_text: str, strings: Sequence[str]) -> tuple[str, ...]:
    """The strings whose normalised form is a substring of already-normalised text."""
    return tuple(s for s in strings if (n := normalize(s)) and n in normalized_text)


def find_passages(text: str, passages: Sequence[str]) -> tuple[str, ...]:
    """The passages found in `text`: case-sensitive substring after `normalize` on both sides.

    Both sides go through `textnorm.normalize` (NFKC, whitespace collapsed,
    markup artefacts dropped), so line breaks, no-break spaces and Markdown
    emphasis in an extractor's output do not hide a passage. Empty passages
    are never "found".
    """
    return _found_in(normalize(text), passages)


def _chrome_in(normalized: str, card: Card | None) -> tuple[float | None, tuple[str, ...]]:
    """`chrome_leak` on text that is already normalised."""
    if card is None or not card.chrome:
        return None, ()
    leaked = _found_in(normalized, card.chrome)
    return len(leaked) / len(card.chrome), leaked


def chrome_leak(text: str, card: Card | None) -> tuple[float | None, tuple[str, ...]]:
    """Share of the card's chrome strings present in `text`, and which (None: no list)."""
    return _chrome_in(normalize(text), card)


def _lexicon_in(pred_normalized: str, gold_normalized: str, lexicon: Lexicon) -> tuple[str, ...]:
    """`lexicon_leak` on texts that are already normalised."""
    found = find_phrases(pred_normalized.casefold(), lexicon.phrases)
    if not found:
        return ()
    in_gold = _gold_lexicon(gold_normalized, lexicon)
    return tuple(p for p in found if p not in in_gold)


@functools.lru_cache(maxsize=256)
def _gold_lexicon(gold_normalized: str, lexicon: Lexicon) -> frozenset[str]:
    """The lexicon phrases a gold contains, found once: every gold is scored against many extractors."""
    return frozenset(find_phrases(gold_normalized.casefold(), lexicon.phrases))


def lexicon_leak(text: str, gold_text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Lexicon phrases in `text` that the gold does not contain (there they are body, not chrome)."""
    return _lexicon_in(normalize(text), normalize(gold_text), lexicon)


def _must_in(normalized: str, card: Card | None) -> tuple[float | None, tuple[str, ...]]:
    """`must_include` on text that is already normalised."""
    if card is None or not card.must_include:
        return None, ()
    found = set(_found_in(normalized, card.must_include))
    missing = tuple(p for p in card.must_include if p not in found)
    return (len(card.must_include) - len(missing)) / len(card.must_include), missing


def must_include(text: str, card: Card | None) -> tuple[float | None, tuple[str, ...]]:
    """Share of the card's must-include passages present in `text`, and the missing ones."""
    return _must_in(normalize(text), card)


@functools.lru_cache(maxsize=256)
def _gold_form(gold_text: str) -> tuple[str, tuple[str, ...]]:
    """Normalised gold and its tokens, cached: every gold is scored against many extractors."""
    normalized = normalize(gold_text)
    return normalized, tuple(tokenize_normalized(normalized))


def _failed_score(extraction: Extraction, n_gold: int, card: Card | None) -> PageScore:
    """A full miss: what an error, timeout, crash or unavailable extractor scores."""
    has_chrome = card is not None and bool(card.chrome)
    musts = card.must_include if card is not None else ()
    return PageScore(
        extractor=extraction.extractor,
        page_id=extraction.page_id,
        outcome=extraction.outcome,
        precision=0.0,
        recall=0.0,
        f1=0.0,
        lcs_f1=0.0,
        chrome_leak=0.0 if has_chrome else None,
        must_include=0.0 if musts else None,
        must_missing=tuple(musts),
        ms=extraction.ms,
        tp=0,
        n_pred=0,
        n_gold=n_gold,
    )


def score_extraction(
    extraction: Extraction,
    gold: Gold,
    card: Card | None,
    lexicon: Lexicon | None = None,
) -> PageScore:
    """Every metric for one (extractor, page) pair; `lexicon=None` uses the bundled one.

    Pass ``Lexicon(version="none", phrases=())`` to skip the lexicon check.
    Raises ValueError for a snippet-only gold (``gold.text is None``): score
    those with `benchmark.score.snippet`.
    """
    if gold.text is None:
        raise ValueError(f"{gold.path}: gold has no body text; score its snippets with benchmark.score.snippet")
    gold_norm, gold_tokens = _gold_form(gold.text)
    if extraction.outcome not in _SCORED_OUTCOMES:
        return replace(_failed_score(extraction, len(gold_tokens), card), **_structure(extraction, gold))
    if lexicon is None:
        lexicon = load_lexicon()
    pred_norm = normalize(scored_text(extraction.text, extraction.output))
    pred_tokens = tokenize_normalized(pred_norm)
    bag = token_overlap(pred_tokens, gold_tokens)
    precision, recall, f1 = prf(bag.common, bag.n_pred, bag.n_gold)
    lcs = lcs_overlap(pred_tokens, gold_tokens)
    # Normalise once: normalize() is not idempotent on doubly escaped text
    # ("&amp;lt;"), and normalising twice would also cost twice.
    leak, leaked = _chrome_in(pred_norm, card)
    must, missing = _must_in(pred_norm, card)
    return PageScore(
        extractor=extraction.extractor,
        page_id=extraction.page_id,
        outcome=extraction.outcome,
        precision=precision,
        recall=recall,
        f1=f1,
        lcs_f1=lcs.f1,
        chrome_leak=leak,
        chrome_leaked=leaked,
        lexicon_leaked=_lexicon_in(pred_norm, gold_norm, lexicon),
        must_include=must,
        must_missing=missing,
        ms=extraction.ms,
        tp=bag.common,
        n_pred=bag.n_pred,
        n_gold=bag.n_gold,
        **_structure(extraction, gold),
    )


def _structure(extraction: Extraction, gold: Gold) -> dict[str, float | None]:
    """The structure fields of a PageScore: none for plain text or a gold without marks, 0.0 for a failure."""
    from benchmark.score.structure import FAILED, gold_has_structure, structure_score

    if extraction.output == "text" or not gold_has_structure(gold.marked):
        return {}
    marked = marked_output(extraction.text, extraction.output) if extraction.outcome == Outcome.OK else None
    return (structure_score(gold.marked, marked) if marked else FAILED).as_fields()
