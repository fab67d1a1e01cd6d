"""The first release where a drop appears: binary search over the published releases between GOOD and BAD.

A release is "bad" when, against GOOD, its mean F1 dropped by more than the
gate's mean tolerance (`gate.MEAN_F1_TOLERANCE`) or, with named pages, any of
those pages' F1 dropped by more than the gate's per-page tolerance: the same
questions the regression gate asks, measured against the last release known
to be fine rather than step by step, so a drop that builds up over several
releases is still found. Extractors are deterministic, so a release's score
is a fact about those pages, not a noisy sample; the interval printed with the
delta says how far it generalises beyond them. Only the environments the
search needs are built. A release whose environment cannot be built is
skipped (like ``git bisect skip``): the answer is then a range naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence


@dataclass(frozen=True)
class Verdict:
    """One evaluated release: whether it is bad against GOOD, and why (figures for the message)."""

    version: str
    built: bool
    bad: bool = False
    reason: str = ""


@dataclass
class BisectOutcome:
    """What the search found: the last good and first bad releases, and every release it looked at."""

    releases: list[str]
    last_good: str | None = None
    first_bad: str | None = None
    skipped: list[str] = field(default_factory=list)  # releases between them that could not be built
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    no_drop: bool = False  # BAD is not worse than GOOD by the criterion: nothing to find


def is_bad(good: Mapping[str, Any], candidate: Mapping[str, Any], extractor: str, *, pages: Sequence[str],
           mean_tolerance: float, page_tolerance: float) -> tuple[bool, str]:
    """(bad, reason): a candidate run against the GOOD run, by named pages or by mean F1."""
    from benchmark.stats.summary import scored_pages

    frames = []
    for loaded in (good, candidate):
        rows = loaded["scores"][loaded["scores"]["extractor"] == extractor]
        frames.append(scored_pages(rows).set_index("page_id")["f1"] if len(rows) else None)
    if frames[1] is None or not len(frames[1]):
        return True, "no page scored (unavailable)"
    if frames[0] is None or not len(frames[0]):
        return False, "GOOD scored no page"
    if pages:
        drops = []
        for page in pages:
            before, after = frames[0].get(page), frames[1].get(page)
            if before is None or after is None:
                continue
            if before - after > page_tolerance:
                drops.append(f"{page} {before:.3f} → {after:.3f}")
        return bool(drops), "; ".join(drops) or "named pages within tolerance"
    shared = sorted(set(frames[0].index) & set(frames[1].index))
    before, after = float(frames[0].reindex(shared).mean()), float(frames[1].reindex(shared).mean())
    return before - after > mean_tolerance, f"mean F1 {before:.3f} → {after:.3f}"


def search(releases: Sequence[str], judge: Callable[[str], Verdict]) -> BisectOutcome:
    """Binary search for the first bad release; `judge` builds, runs and judges one release.

    releases[0] is GOOD and releases[-1] BAD; GOOD is taken as good.
    """
    outcome = BisectOutcome(releases=list(releases))
    verdicts = outcome.verdicts
    for version in (releases[0], releases[-1]):
        verdicts[version] = judge(version)
    if not verdicts[releases[-1]].bad:
        outcome.no_drop = True
        return outcome
    low, high = 0, len(releases) - 1  # low: known good, high: known bad
    skipped: set[int] = set()
    while high - low > 1:
        candidates = [i for i in range(low + 1, high) if i not in skipped]
        if not candidates:
            break
        middle = (low + high) // 2
        index = min(candidates, key=lambda i: (abs(i - middle), i))
        verdict = judge(releases[index])
        verdicts[releases[index]] = verdict
        if not verdict.built:
            skipped.add(index)
        elif verdict.bad:
            high = index
        else:
            low = index
    outcome.last_good, outcome.first_bad = releases[low], releases[high]
    outcome.skipped = [releases[i] for i in sorted(skipped) if low < i < high]
    return outcome
