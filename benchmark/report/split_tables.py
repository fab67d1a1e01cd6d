"""The reports' split tables: mean F1 per stratum and extractor, every split computed in one vectorised pass.

Rules a reader can trust: a stratum of fewer than TOO_FEW pages is shown
greyed and marked "too few pages" (its mean says little); a stratum holding
exactly the pages of one shown earlier (layout tag ``rtl`` and charset family
``arabic-hebrew``) is shown once, under both names; a split with a single
group says nothing a split can say and is left out; the gold baseline (F1 1
everywhere) is not a column; columns follow the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

#: strata with fewer pages are greyed and marked
TOO_FEW = 3
SPLITS = (("language", "By language"), ("script", "By script family"), ("era", "By era"),
          ("charset_family", "By charset family"), ("layout", "By layout tag"),
          ("difficulty", "By difficulty (share of the page's visible tokens that are gold; Q1 = hardest)"))


@dataclass
class SplitRow:
    """One stratum: its label, pages, and per extractor (mean, low, high) or None where nothing was scored."""

    label: str
    pages: int
    cells: list[tuple[float, float, float] | None]
    too_few: bool
    same_as: list[str] = field(default_factory=list)  # other splits' strata with exactly these pages


@dataclass
class SplitTable:
    """One split: its rows; `names` are the columns (ranking order, no gold)."""

    by: str
    title: str
    names: list[str]
    rows: list[SplitRow]


def _parsed(pages):
    import json

    pages = pages.copy()
    if "layout" in pages.columns:
        pages["layout"] = pages["layout"].map(lambda v: json.loads(v) if isinstance(v, str) and v.startswith("[")
                                              else v)
    return pages


def split_tables(pages, matrix, names: Sequence[str], page_ids: Sequence[str], shown: Sequence[str], *, seed: int,
                 n_boot: int) -> list[SplitTable]:
    """Every split of SPLITS the pages table has, as tables of `shown` extractors (one bootstrap for all)."""
    import math

    import numpy as np

    from benchmark.stats.splits import page_strata
    from benchmark.stats.strata import stratum_means

    if pages is None or getattr(pages, "empty", True) or not len(shown) or not len(page_ids):
        return []
    pages = _parsed(pages)
    position = {p: i for i, p in enumerate(page_ids)}
    rows_of = [list(names).index(n) for n in shown]
    planned: list[tuple[str, str, list[tuple[str, list[int]]]]] = []
    first_seen: dict[frozenset[int], tuple[int, int]] = {}
    same_as: dict[tuple[int, int], list[str]] = {}
    for by, title in SPLITS:
        if by not in pages.columns:
            continue
        strata = page_strata(pages, by, page_ids=page_ids)
        if len(strata) < 2:  # one group: nothing to compare
            continue
        kept = []
        for label, ids in strata.items():
            members = sorted(position[p] for p in ids if p in position)
            key = frozenset(members)
            if key in first_seen:
                same_as.setdefault(first_seen[key], []).append(f"{by} {label}")
                continue
            first_seen[key] = (len(planned), len(kept))
            kept.append((label, members))
        if len(kept) >= 1:
            planned.append((by, title, kept))
    flat = [members for _, _, kept in planned for _, members in kept]
    if not flat:
        return []
    means = stratum_means(np.asarray(matrix)[rows_of], flat, seed=seed, n_boot=n_boot)
    tables, k = [], 0
    for t, (by, title, kept) in enumerate(planned):
        rows = []
        for r, (label, members) in enumerate(kept):
            cells: list[tuple[float, float, float] | None] = []
            for j in range(len(shown)):
                mean = float(means.mean[k, j])
                cells.append(None if math.isnan(mean) else (mean, float(means.low[k, j]), float(means.high[k, j])))
            rows.append(SplitRow(label=label, pages=len(members), cells=cells, too_few=len(members) < TOO_FEW,
                                 same_as=same_as.get((t, r), [])))
            k += 1
        tables.append(SplitTable(by=by, title=title, names=list(shown), rows=rows))
    return tables


def merged_label(row: SplitRow) -> str:
    """"rtl = charset_family arabic-hebrew" for a stratum that other splits repeat."""
    return " = ".join([row.label, *row.same_as])


def split_summary_text(table: SplitTable) -> str:
    """One sentence under a split table: what is greyed and what was merged."""
    notes = []
    if any(r.too_few for r in table.rows):
        notes.append(f"groups of fewer than {TOO_FEW} pages are greyed: too few pages for their mean to say much")
    if any(r.same_as for r in table.rows):
        notes.append("a group with exactly the pages of another split's group is shown once, under both names")
    return "; ".join(notes).capitalize() + "." if notes else ""


def as_dict(table: SplitTable) -> dict[str, Any]:
    return {"by": table.by, "title": table.title, "names": table.names, "rows": table.rows}
