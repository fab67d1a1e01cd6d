"""A seeded, stratified sample of a corpus's pages (`run --sample N`): a quick look at a big set.

Strata are (language, era) where the set's cards know either for some page,
else the site, else one stratum for all. Each stratum gets its share of N by
its share of the pages (largest remainders break the rounding), and its
pages are drawn without replacement by numpy's generator from the seed: the
same seed and corpus give the same sample on every machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict

from benchmark.records import Corpus, Page

UNKNOWN_LANGUAGE = "und"


def _language(page: Page) -> str:
    return (page.card.language or UNKNOWN_LANGUAGE).split("-")[0].lower()


def strata_of(corpus: Corpus) -> tuple[str, dict[str, list[Page]]]:
    """How the pages are grouped ("language x era", "site" or "none") and the groups, keyed by label."""
    pages = sorted(corpus.pages, key=lambda page: page.page_id)
    if any(_language(p) != UNKNOWN_LANGUAGE or p.card.era != "unknown" for p in pages):
        by, key = "language x era", lambda page: f"{_language(page)} {page.card.era}"
    elif any(p.card.site not in ("", "unknown") for p in pages):
        by, key = "site", lambda page: page.card.site
    else:
        by, key = "none", lambda page: "all"
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        groups[key(page)].append(page)
    return by, dict(sorted(groups.items()))


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """n split over strata in proportion to their sizes; largest remainders (then label order) get the spare."""
    total = sum(sizes.values())
    exact = {label: n * size / total for label, size in sizes.items()}
    quotas = {label: int(share) for label, share in exact.items()}
    spare = n - sum(quotas.values())
    for label in sorted(exact, key=lambda label: (-(exact[label] - quotas[label]), label))[:spare]:
        quotas[label] += 1
    return quotas


def sample_corpus(corpus: Corpus, n: int, seed: int) -> Corpus:
    """The corpus cut to a stratified sample of n pages (the whole corpus when it has n pages or fewer)."""
    import numpy as np

    if n >= len(corpus.pages):
        return corpus
    by, groups = strata_of(corpus)
    quotas = allocate({label: len(members) for label, members in groups.items()}, n)
    rng = np.random.default_rng(seed)
    chosen: set[str] = set()
    for label, members in groups.items():
        picks = rng.choice(len(members), size=quotas[label], replace=False) if quotas[label] else []
        chosen.update(members[i].page_id for i in picks)
    pages = tuple(page for page in corpus.pages if page.page_id in chosen)
    note = (f" This run: a seeded sample of {n} of its {len(corpus.pages)} pages, stratified by {by} "
            f"(seed {seed}).")
    provenance = corpus.provenance and dataclasses.replace(
        corpus.provenance, title=f"{corpus.provenance.title}, sample of {n}",
        summary=corpus.provenance.summary + note)
    digest = hashlib.sha256(f"{corpus.digest}|sample|{seed}|{','.join(sorted(chosen))}".encode()).hexdigest()
    return dataclasses.replace(corpus, name=f"{corpus.name}-sample{n}", pages=pages, provenance=provenance,
                               golds={pid: gold for pid, gold in corpus.golds.items() if pid in chosen},
                               digest=digest)
