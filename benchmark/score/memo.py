"""Scores kept beside cached extractions: a warm re-run replays them instead of scoring again.

A stored score is reused only for the same extraction key (extractor,
version, options, page, input, code identity: run/cache.py), the same
`score_digest` (the page's gold text and snippets, its card's chrome and
must-include lists, the lexicon's version and phrases, and the scorer's own
modules) and the same extraction (outcome, text, error and ms): any change to
what a score is computed from computes it again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from typing import Any, Callable

from benchmark.records import Card, Extraction, Gold, Outcome, PageScore
from benchmark.score.lexicon import Lexicon

#: the modules a score is computed by; what they import of benchmark.score and records follows (textnorm,
#: lexicon ...), not results.py, which only tabulates scores
SCORER_MODULES = ("benchmark.score.scoring", "benchmark.score.metrics", "benchmark.score.snippet")
_TUPLE_FIELDS = ("chrome_leaked", "lexicon_leaked", "must_missing")


@functools.lru_cache(maxsize=1)
def scorer_code_digest() -> str:
    """sha256 of the scorer's modules and what they import of the harness, found without importing them."""
    from benchmark.run.code_identity import module_closure

    digest = hashlib.sha256()
    for path in module_closure(SCORER_MODULES, within=("benchmark.score", "benchmark.records")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _update(digest: Any, *parts: str | None) -> None:
    for part in parts:
        data = b"\xff" if part is None else part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)


@functools.lru_cache(maxsize=4)
def _scorer_and_lexicon(lexicon: Lexicon) -> str:
    digest = hashlib.sha256()
    _update(digest, scorer_code_digest(), lexicon.version, *lexicon.phrases)
    return digest.hexdigest()


def score_digest(gold: Gold, card: Card | None, lexicon: Lexicon, variant: str = "") -> str:
    """sha256 of everything but the extraction a page's score is computed from."""
    digest = hashlib.sha256()
    _update(digest, _scorer_and_lexicon(lexicon), variant, "\0gold", gold.text, *gold.snippets_with, "\0without",
            *gold.snippets_without, "\0card")
    if card is not None:
        _update(digest, *card.chrome, "\0must", *card.must_include)
    return digest.hexdigest()


def extraction_digest(extraction: Extraction) -> str:
    """sha256 of what a score reads of an extraction: outcome, text, error and the timing it carries."""
    digest = hashlib.sha256()
    _update(digest, str(extraction.outcome), extraction.error, repr(extraction.ms), extraction.text)
    return digest.hexdigest()


def score_to_json(score: PageScore) -> str:
    record = dataclasses.asdict(score)
    record["outcome"] = str(score.outcome)
    return json.dumps(record, ensure_ascii=False, allow_nan=True)


def score_from_json(text: str, extraction: Extraction) -> PageScore | None:
    """A stored score, named after this extraction's extractor and page; None when it does not fit PageScore."""
    try:
        record = json.loads(text)
        record.update(extractor=extraction.extractor, page_id=extraction.page_id,
                      outcome=Outcome(record["outcome"]))
        for name in _TUPLE_FIELDS:
            record[name] = tuple(record[name])
        return PageScore(**record)
    except (ValueError, KeyError, TypeError):
        return None


class ScoreMemo:
    """Replays and stores scores in the cache; `key_of` gives the extraction key the runner used for a pair."""

    def __init__(self, cache: Any, key_of: Callable[[Extraction], Any]) -> None:
        self.cache = cache
        self.key_of = key_of
        self.replayed = 0
        self._digests: dict[str, str] = {}

    def score(self, extraction: Extraction, gold: Gold, card: Card | None, lexicon: Lexicon,
              compute: Callable[[], PageScore], variant: str = "") -> PageScore:
        """The stored score of this extraction when there is one; else `compute()`, stored for next time.

        `variant` names what else `compute` adds (the dataset's own metric, "aeb"): part of the digest.
        """
        key = self.key_of(extraction)
        if key is None or extraction.outcome in (Outcome.TIMEOUT, Outcome.CRASH, Outcome.UNAVAILABLE):
            return compute()  # not cached extractions: their scores are cheap and not worth a row
        page_digest = self._digests.get(extraction.page_id)
        if page_digest is None:
            page_digest = self._digests[extraction.page_id] = score_digest(gold, card, lexicon, variant)
        pair_digest = extraction_digest(extraction)
        stored = self.cache.get_score(key, page_digest, pair_digest) if extraction.cached else None
        if stored is not None:
            score = score_from_json(stored, extraction)
            if score is not None:
                self.replayed += 1
                return score
        score = compute()
        self.cache.put_score(key, page_digest, pair_digest, score_to_json(score))
        return score
