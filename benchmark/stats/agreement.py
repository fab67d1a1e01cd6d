"""How far two rankings agree: Kendall's tau-b over the items both rank (ties counted as tau-b does)."""

from __future__ import annotations

import math
from typing import Mapping


def kendall_tau(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[float, int]:
    """(tau-b, items) over the keys both map to a finite score; NaN with fewer than two such items.

    tau-b = (concordant - discordant) / sqrt((pairs not tied in a) * (pairs not tied in b)): 1 when the
    two orders agree everywhere, -1 when one is the other reversed, 0 when they are unrelated.
    """
    shared = sorted(k for k in a if k in b and _finite(a[k]) and _finite(b[k]))
    concordant = discordant = tied_a = tied_b = 0
    for i, first in enumerate(shared):
        for second in shared[i + 1:]:
            da = _sign(a[first] - a[second])
            db = _sign(b[first] - b[second])
            if da == 0 and db == 0:
                continue
            if da == 0:
                tied_a += 1
            elif db == 0:
                tied_b += 1
            elif da == db:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + tied_a) * (concordant + discordant + tied_b))
    if len(shared) < 2 or denominator == 0:
        return math.nan, len(shared)
    return (concordant - discordant) / denominator, len(shared)


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
