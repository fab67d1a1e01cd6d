"""Split tables: which pages fall in each stratum of a card field (language, era, charset family, layout tag,
difficulty), and `summarize` per stratum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from benchmark.stats.summary import EXTRA_COLUMNS, SUMMARY_COLUMNS, _normalized, summarize

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

#: labels of strata that would otherwise vanish silently
NO_TAG = "(none)"
UNKNOWN = "unknown"


def _as_tags(value: Any) -> list[str]:
    """A layout cell as a list of tags: lists, tuples, or a JSON array string as pages.csv stores it."""
    import json

    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except ValueError:
                pass
        return [text] if text else []
    return []


def _difficulty_bins(values: pd.Series, bins: int) -> pd.Series:
    """Quantile bins labelled 'Q1 0.05-0.21' (Q1 = smallest gold share = most chrome around the body)."""
    import pandas as pd

    numeric = pd.to_numeric(values, errors="coerce")
    labels = pd.Series(UNKNOWN, index=values.index, dtype=object)
    known = numeric.dropna()
    if known.empty:
        return labels
    codes = pd.qcut(known, q=min(bins, known.nunique()), labels=False, duplicates="drop")
    for code in sorted(codes.unique()):
        members = known[codes == code]
        labels[members.index] = f"Q{int(code) + 1} {members.min():.2f}-{members.max():.2f}"
    return labels


def page_strata(pages: pd.DataFrame, by: str, *, bins: int = 4, page_ids=None) -> dict[str, list[str]]:
    """Stratum label -> page ids for one card field, "unknown" and "(none)" last.

    List-valued fields (``layout``) put a page in each of its tags (and in
    "(none)" when it has none). ``difficulty`` (share of the page's visible
    tokens that are gold) is cut into `bins` quantile bins labelled with their
    range. Pages of `page_ids` without a row in `pages` go to "unknown".
    """
    import pandas as pd

    if "page_id" not in pages.columns:
        raise ValueError("pages table lacks column page_id")
    if by not in pages.columns or by in {"page_id", "extractor"}:
        fields = ", ".join(c for c in pages.columns if c != "page_id")
        raise ValueError(f"cannot split by {by!r}; the pages table has {fields}")
    unique = pages.drop_duplicates("page_id")
    cards = pd.Series(unique[by].to_numpy(), index=unique["page_id"].map(str).to_numpy())
    if by == "difficulty":
        strata_of = _difficulty_bins(cards, bins).map(lambda label: [label])
    else:
        is_list = cards.map(lambda v: isinstance(v, (list, tuple)) or (isinstance(v, str) and v.startswith("[")))
        if is_list.any():
            strata_of = cards.map(lambda v: _as_tags(v) or [NO_TAG])
        else:
            strata_of = cards.map(lambda v: [UNKNOWN if v is None or v != v or str(v) == "" else str(v)])
    ids = list(cards.index) if page_ids is None else [str(p) for p in page_ids]
    found: dict[str, list[str]] = {}
    for page_id in ids:
        for stratum in strata_of.get(page_id, [UNKNOWN]):
            found.setdefault(stratum, []).append(page_id)
    return {s: found[s] for s in sorted(found, key=lambda s: (s in {UNKNOWN, NO_TAG}, s))}


def split_summary(scores: pd.DataFrame, pages: pd.DataFrame, by: str, *, seed: int, n_boot: int = 1000,
                  versions: Mapping[str, str | None] | None = None, bins: int = 4) -> pd.DataFrame:
    """`summarize` per stratum of one card field (`page_strata`); the first column, named `by`, holds the stratum.

    The full summary per stratum; the report's split tables take the means
    and intervals of every split at once from `strata.stratum_means` instead.
    """
    import pandas as pd

    frame = _normalized(scores)
    strata = page_strata(pages, by, bins=bins, page_ids=frame["page_id"].unique())
    versions = versions or {}
    tables = []
    for stratum, members in strata.items():
        table = summarize(frame[frame["page_id"].isin(set(members))], versions, seed=seed, n_boot=n_boot)
        table.insert(0, by, stratum)
        table["stratum_pages"] = len(members)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=[by, *SUMMARY_COLUMNS, *EXTRA_COLUMNS, "stratum_pages"])
    return pd.concat(tables, ignore_index=True)
