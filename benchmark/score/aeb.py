"""Scrapinghub's Article Extraction Benchmark (AEB) metric, reimplemented to the bit.

Definition (their ``evaluate.py``; read, not copied):

* tokens: ``re.findall(r"\\w+", text)``, case-sensitive, no normalisation;
* shingles: the multiset of ``n``-token windows (``n = 4``); a text with 1 to
  ``n - 1`` tokens is one shorter shingle, a text without tokens has none;
* per page: tp = shared shingles (multiset), fp = predicted surplus,
  fn = gold surplus, each divided by tp + fp + fn (left at 0 when that is 0),
  so long pages do not weigh more;
* page precision ``tp / (tp + fp)`` and recall ``tp / (tp + fn)``, both 1 when
  fp = fn = 0 and 0 when the numerator and the other term are 0;
* corpus precision (recall) = mean over pages with tp + fp > 0 (tp + fn > 0),
  F1 = harmonic mean of those two means, accuracy = share of pages whose token
  lists are identical.

Point estimates equal their script's bit for bit: same integer counts, same
float divisions, and `statistics.mean` (exact rational mean) as they use.
Where their script raises (no page defines a precision or recall; both means
0) we return 0.0, so an extractor that fails everywhere scores 0, not a crash.
Their bootstrap standard deviations use Python's unseeded `random`; ours
resample pages the same way (n pages with replacement, sample std over the
replicates) from a seeded numpy generator, so they are reproducible and equal
theirs in distribution, not digit for digit.

Speed: gold profiles (tokens, sorted shingle keys and counts) are cached, as
every gold is scored against many extractors, and shingles are matched as
int64 keys in numpy instead of tuples in Python dicts.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "AebResult",
    "aeb_tokenize",
    "aeb_page_counts",
    "aeb_exact",
    "aeb_precision",
    "aeb_recall",
    "aeb_from_counts",
    "aeb_score",
]

TpFpFn = tuple[float, float, float]

_TOKEN_RE = re.compile(r"\w+")
#: shingle keys pack n token ids in one int64: safe while vocab ** n < 2 ** 63
_MAX_KEY = 2**63 - 1


@dataclass(frozen=True)
class AebResult:
    """Corpus figures as the AEB script prints them (stds only with a bootstrap)."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    n_pages: int
    precision_std: float | None = None
    recall_std: float | None = None
    f1_std: float | None = None
    accuracy_std: float | None = None
    n_bootstrap: int = 0
    seed: int | None = None


def aeb_tokenize(text: str | None) -> list[str]:
    """AEB tokens: case-sensitive `\\w+` runs (None counts as empty, as in theirs)."""
    return _TOKEN_RE.findall(text or "")


def _shingles(tokens: Sequence[Any], n: int) -> Iterable[tuple[Any, ...]]:
    """The n-token windows; fewer than n tokens make one short shingle, none make none."""
    if len(tokens) < n:
        return [tuple(tokens)] if tokens else []
    return zip(*(tokens[i : len(tokens) - n + 1 + i] for i in range(n)))


def _n_shingles(n_tokens: int, n: int) -> int:
    """How many shingles a text of `n_tokens` tokens has."""
    return 0 if n_tokens == 0 else max(1, n_tokens - n + 1)


class _Vocab(dict):  # type: ignore[type-arg]
    """Token ids of one gold; a token it lacks maps to `unknown`, which no gold shingle holds."""

    unknown = 0

    def __missing__(self, token: str) -> int:
        return self.unknown


@dataclass(frozen=True)
class _GoldProfile:
    """Everything about a gold text that does not depend on the prediction."""

    tokens: list[str]
    vocab: _Vocab
    keys: np.ndarray | None  # sorted unique shingle keys, None if not packable
    counts: np.ndarray | None
    counter: Counter[tuple[str, ...]] | None  # fallback for short or huge texts
    n_shingles: int


@functools.lru_cache(maxsize=1024)
def _gold_profile(gold: str, n: int) -> _GoldProfile:
    """Tokenise a gold once and index its shingles; golds recur across extractors."""
    import numpy as np

    tokens = aeb_tokenize(gold)
    vocab = _Vocab((tok, i) for i, tok in enumerate(dict.fromkeys(tokens)))
    vocab.unknown = len(vocab)
    n_sh = _n_shingles(len(tokens), n)
    base = len(vocab) + 1  # id len(vocab) = "not in the gold", for predicted tokens
    if len(tokens) < n or base**n > _MAX_KEY:
        return _GoldProfile(tokens, vocab, None, None, Counter(_shingles(tokens, n)), n_sh)
    keys, counts = np.unique(_pack(np.fromiter(map(vocab.__getitem__, tokens), np.int64, len(tokens)), n, base),
                             return_counts=True)
    return _GoldProfile(tokens, vocab, keys, counts, None, n_sh)


def _pack(ids: np.ndarray, n: int, base: int) -> np.ndarray:
    """One int64 key per n-token window: the ids as digits in base `base`."""
    m = len(ids) - n + 1
    key = ids[:m].copy()
    for i in range(1, n):
        key *= base
        key += ids[i : m + i]
    return key


def _true_positives(profile: _GoldProfile, pred_tokens: list[str], n: int) -> int:
    """Multiset intersection size of gold and predicted shingles."""
    import numpy as np

    if not pred_tokens or profile.n_shingles == 0:
        return 0
    if profile.keys is None or len(pred_tokens) < n:
        gold_counts = profile.counter if profile.counter is not None else Counter(_shingles(profile.tokens, n))
        pred_counts = Counter(_shingles(pred_tokens, n))
        return sum(min(c, gold_counts[k]) for k, c in pred_counts.items() if k in gold_counts)
    assert profile.counts is not None
    ids = np.fromiter(map(profile.vocab.__getitem__, pred_tokens), np.int64, len(pred_tokens))
    pred_keys = _pack(ids, n, profile.vocab.unknown + 1)
    slot = np.searchsorted(profile.keys, pred_keys)
    slot[slot == len(profile.keys)] = 0
    hit = profile.keys[slot] == pred_keys
    pred_counts = np.bincount(slot[hit], minlength=len(profile.keys))
    return int(np.minimum(pred_counts, profile.counts).sum())


def _counts(gold: str, pred: str, n: int) -> tuple[TpFpFn, bool]:
    """Normalised (tp, fp, fn) and whether the token lists are equal."""
    profile = _gold_profile(gold or "", n)
    pred_tokens = aeb_tokenize(pred)
    tp = _true_positives(profile, pred_tokens, n)
    fp = _n_shingles(len(pred_tokens), n) - tp
    fn = profile.n_shingles - tp
    total = tp + fp + fn
    exact = pred_tokens == profile.tokens
    if total == 0:
        return (0.0, 0.0, 0.0), exact
    # integer counts as floats, one division each: the very floats theirs produce
    return (float(tp) / total, float(fp) / total, float(fn) / total), exact


def aeb_page_counts(gold: str, pred: str, n: int = 4) -> TpFpFn:
    """Per-page (tp, fp, fn) over n-token shingles, divided by their sum."""
    return _counts(gold, pred, n)[0]


def aeb_exact(gold: str, pred: str) -> bool:
    """AEB "accuracy" for one page: the token lists are identical."""
    return aeb_tokenize(pred) == aeb_tokenize(gold)


def aeb_precision(tp: float, fp: float, fn: float) -> float:
    """Page precision with AEB's conventions (1 if nothing is wrong, 0 if nothing right)."""
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def aeb_recall(tp: float, fp: float, fn: float) -> float:
    """Page recall with AEB's conventions (1 if nothing is wrong, 0 if nothing right)."""
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def _mean_or_zero(values: list[float]) -> float:
    """Exact rational mean as AEB takes it; 0.0 where theirs would raise on no values."""
    return statistics.mean(values) if values else 0.0


def aeb_from_counts(counts: Sequence[TpFpFn], exact: Sequence[bool]) -> tuple[float, float, float, float]:
    """Corpus (precision, recall, f1, accuracy) from per-page counts, as AEB aggregates."""
    precision = _mean_or_zero([aeb_precision(*c) for c in counts if c[0] + c[1] > 0])
    recall = _mean_or_zero([aeb_recall(*c) for c in counts if c[0] + c[2] > 0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    accuracy = _mean_or_zero([float(e) for e in exact])
    return precision, recall, f1, accuracy


def _bootstrap_stds(
    counts: Sequence[TpFpFn], exact: Sequence[bool], n_bootstrap: int, seed: int
) -> tuple[float, float, float, float]:
    """Std of (precision, recall, f1, accuracy) over page resamples, vectorised."""
    import numpy as np

    arr = np.asarray(counts, dtype=float).reshape(-1, 3)
    p_def = arr[:, 0] + arr[:, 1] > 0
    r_def = arr[:, 0] + arr[:, 2] > 0
    p_val = np.array([aeb_precision(*c) if d else 0.0 for c, d in zip(counts, p_def)])
    r_val = np.array([aeb_recall(*c) if d else 0.0 for c, d in zip(counts, r_def)])
    acc = np.asarray(exact, dtype=float)
    idx = np.random.default_rng(seed).integers(0, len(arr), size=(n_bootstrap, len(arr)))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (p_val[idx] * p_def[idx]).sum(axis=1) / p_def[idx].sum(axis=1)
        r = (r_val[idx] * r_def[idx]).sum(axis=1) / r_def[idx].sum(axis=1)
        f1 = 2 * p * r / (p + r)
    a = acc[idx].mean(axis=1)
    return tuple(float(np.nanstd(v, ddof=1)) for v in (p, r, f1, a))  # type: ignore[return-value]


def aeb_score(
    pairs: Sequence[tuple[str, str]], *, n: int = 4, n_bootstrap: int = 0, seed: int = 0
) -> AebResult:
    """AEB corpus figures for (gold, prediction) pairs; stds when `n_bootstrap` > 1."""
    page = [_counts(gold, pred, n) for gold, pred in pairs]
    counts = [c for c, _ in page]
    exact = [e for _, e in page]
    precision, recall, f1, accuracy = aeb_from_counts(counts, exact)
    stds: tuple[float | None, ...] = (None,) * 4
    if n_bootstrap > 1 and counts:
        stds = _bootstrap_stds(counts, exact, n_bootstrap, seed)
    return AebResult(
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=accuracy,
        n_pages=len(counts),
        precision_std=stds[0],
        recall_std=stds[1],
        f1_std=stds[2],
        accuracy_std=stds[3],
        n_bootstrap=n_bootstrap if n_bootstrap > 1 else 0,
        seed=seed if n_bootstrap > 1 else None,
    )
