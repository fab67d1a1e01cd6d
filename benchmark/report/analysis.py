"""Every figure both reports show, computed once per render: the ranking, who is tied at the top, picks, splits.

`analyze` reads a run (fresh or stored) and returns one `Analysis`; report.md
and report.html only format it, so they cannot disagree and nothing is
computed twice. The statistics come from benchmark.stats: the summary table
as the run stored it, one paired bootstrap for every pair (`paired`), the top
group with Holm's correction (`verdict`), every split in one vectorised pass
(`strata`, through `split_tables`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

from benchmark.records import Comparison, Pick, TopGroup

#: a language or script group gets its own pick from this many pages on
MIN_GROUP_PAGES = 10
BASELINE_KINDS = frozenset({"baseline", "full-text"})
BASELINE_NAMES = frozenset({"gold", "full-text"})
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "cs": "Czech", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian", "fi": "Finnish", "tr": "Turkish", "el": "Greek", "ar": "Arabic",
    "he": "Hebrew", "fa": "Persian", "hi": "Hindi", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "id": "Indonesian", "vi": "Vietnamese", "th": "Thai", "hu": "Hungarian", "ro": "Romanian", "und": "undetermined",
}
SCRIPT_NAMES = {"latin": "Latin-script", "cyrillic": "Cyrillic-script", "arabic-hebrew": "Arabic- and Hebrew-script",
                "han-kana-hangul": "Chinese, Japanese and Korean", "greek": "Greek-script", "indic": "Indic-script"}
OWN_METRICS = {"aeb": ("AEB F1", "Scrapinghub AEB's own metric: 4-token shingle precision and recall averaged over "
                                 "pages, F1 of the two means (benchmark.score.aeb)"),
               "snippet": ("snippet F1", "trafilatura's snippet evaluation: with/without snippets found, counts "
                                         "summed over pages, F1 of the sums")}


@dataclass
class Analysis:
    """What the reports say about one run, computed once."""

    meta: dict[str, Any]
    ranked: Any  # pandas.DataFrame: available extractors' summary rows, best mean F1 first
    names: list[str]  # available extractors in ranking order (baselines included)
    candidates: list[str]  # the ones a reader can pick: not baselines
    baseline: dict[str, bool]
    unavailable: list[dict[str, str]]
    pairs: dict[tuple[str, str], Comparison]  # (higher ranked, lower ranked): paired bootstrap, uncorrected
    top: TopGroup | None
    picks: list[Pick]
    own_metric: dict[str, Any] | None
    wins: dict[str, Any]  # names, counts[i][j] = (wins, ties, losses) of row i against column j
    splits: list[Any]  # split_tables.SplitTable
    leaks: dict[str, Counter]  # extractor -> leaked string -> pages
    provenance: dict[str, Any]
    seed: int
    n_boot: int
    outputs: Any = None  # outputs.RunOutputs, read once for the pages shown
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # scores.csv rows by pair
    notes: list[str] = field(default_factory=list)


def _options(meta: Mapping[str, Any]) -> tuple[int, int]:
    options = meta.get("options") or {}
    return int(options.get("seed", 0) or 0), int(options.get("bootstrap_resamples", 1000) or 1000)


def ran(row: Mapping[str, Any]) -> bool:
    """Whether a summary row's extractor ran: its `available` flag as stored ("True", "1"), else any pages."""
    if "available" in row:
        return str(row["available"]).lower() in ("true", "1")
    return float(row.get("pages") or 0) > 0


def available(summary) -> Any:
    """The summary rows of extractors that ran (`available`), as stored."""
    return summary.loc[[ran(row) for row in summary.to_dict("records")]]


def analyze(result: Any, outputs: Any = None) -> Analysis:
    """Every table, verdict and split of the reports, from a RunResult (fresh or read back)."""
    import numpy as np

    from benchmark.report.html_pages import score_records
    from benchmark.report.split_tables import split_tables
    from benchmark.stats.summary import _normalized, _pivot

    meta, summary = result.meta, result.summary
    seed, n_boot = _options(meta)
    extractor_meta = meta.get("extractors") or {}
    ranked = available(summary).sort_values("f1_mean", ascending=False, kind="mergesort").reset_index(drop=True)
    names = [str(n) for n in ranked["extractor"]]
    baseline = {n: extractor_meta.get(n, {}).get("kind") in BASELINE_KINDS or n in BASELINE_NAMES for n in names}
    candidates = [n for n in names if not baseline[n]]
    unavailable = [{"name": str(r["extractor"]), "note": extractor_meta.get(str(r["extractor"]), {}).get("note", "")}
                   for r in summary.to_dict("records") if str(r["extractor"]) not in names]

    frame = _normalized(result.scores)
    matrix, page_ids = _pivot(frame, "f1", names) if names else (np.empty((0, 0)), [])
    pairs = _all_pairs(matrix, names, seed=seed, n_boot=n_boot)
    index = {n: i for i, n in enumerate(names)}
    rows = [index[n] for n in candidates]
    from benchmark.stats.verdict import top_group, win_tie_loss

    top = top_group(matrix[rows], candidates, seed=seed, n_boot=n_boot) if candidates else None
    pages = result.pages if result.pages is not None else None
    picks = _picks(ranked, top, matrix[rows] if rows else matrix[:0], candidates, page_ids, pages, seed=seed,
                   n_boot=n_boot)
    own = _own_metric(meta, result.scores, ranked, candidates, top, seed=seed, n_boot=n_boot)
    shown = [n for n in names if n != "gold"]
    wins = {"names": shown, "counts": win_tie_loss(matrix[[index[n] for n in shown]]).tolist() if shown else []}
    splits = split_tables(pages, matrix, names, page_ids, [n for n in names if n != "gold"], seed=seed,
                          n_boot=n_boot)
    records = score_records(result.scores)
    return Analysis(meta=meta, ranked=ranked, names=names, candidates=candidates, baseline=baseline,
                    unavailable=unavailable, pairs=pairs, top=top, picks=picks, own_metric=own, wins=wins,
                    splits=splits, leaks=_leak_pages(records), provenance=corpus_provenance(meta, pages),
                    seed=seed, n_boot=n_boot, outputs=outputs, records=records)


def _all_pairs(matrix, names: list[str], *, seed: int, n_boot: int) -> dict[tuple[str, str], Comparison]:
    """Every pair (higher ranked first) from one paired bootstrap, as `paired.paired_differences` draws it."""
    import numpy as np

    from benchmark.stats.bootstrap import bootstrap_by_coverage, percentile_interval
    from benchmark.stats.verdict import bootstrap_p_values

    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    if not pairs:
        return {}
    diffs = np.vstack([matrix[i] - matrix[j] for i, j in pairs])
    boot = bootstrap_by_coverage(diffs, seed=seed, n_boot=n_boot)
    low, high = percentile_interval(boot)
    p_values = bootstrap_p_values(boot)
    found = {}
    for k, (i, j) in enumerate(pairs):
        shared = np.isfinite(diffs[k])
        n = int(shared.sum())
        mean = float(diffs[k, shared].mean()) if n else math.nan
        found[(names[i], names[j])] = Comparison(
            a=names[i], b=names[j], pages=n, diff=mean, ci_low=float(low[k]), ci_high=float(high[k]),
            p_value=float(p_values[k]), significant=bool(n and (low[k] > 0 or high[k] < 0)))
    return found


def _interval(row, seed: int, n_boot: int) -> tuple[float, float, float]:
    """Mean of one row over its defined pages and its 95% bootstrap interval."""
    import numpy as np

    from benchmark.stats.bootstrap import bootstrap_by_coverage, percentile_interval

    row = np.asarray(row, dtype=np.float64)[None, :]
    if not np.isfinite(row).any():
        return math.nan, math.nan, math.nan
    low, high = percentile_interval(bootstrap_by_coverage(row, seed=seed, n_boot=n_boot))
    return float(np.nanmean(row)), float(low[0]), float(high[0])


def _group_pick(need: str, members: list[int], matrix, candidates: list[str], *, seed: int,
                n_boot: int) -> Pick | None:
    from benchmark.stats.verdict import top_group

    sub = matrix[:, members]
    group = top_group(sub, candidates, seed=seed, n_boot=n_boot, group=need)
    if group is None:
        return None
    mean, low, high = _interval(sub[candidates.index(group.best)], seed, n_boot)
    return Pick(need=need, extractor=group.best, pages=len(members), metric="F1", value=mean, ci_low=low,
                ci_high=high, tied_with=group.members[1:])


def _picks(ranked, top: TopGroup | None, matrix, candidates: list[str], page_ids: list[str], pages, *,
           seed: int, n_boot: int) -> list[Pick]:
    """Best per language and script group of at least MIN_GROUP_PAGES pages; fastest and most precise of the top."""
    picks: list[Pick] = []
    if top is None:
        return picks
    position = {p: i for i, p in enumerate(page_ids)}
    seen: list[frozenset[int]] = [frozenset(range(len(page_ids)))]
    if pages is not None and not pages.empty:
        facts = pages.drop_duplicates("page_id").set_index(pages.drop_duplicates("page_id")["page_id"].map(str))
        for column, label in (("language", _language_need), ("script", _script_need)):
            if column not in facts.columns:
                continue
            groups: dict[str, list[int]] = defaultdict(list)
            for page_id, value in facts[column].items():
                if page_id in position and str(value) not in ("", "und", "unknown", "nan"):
                    groups[str(value)].append(position[page_id])
            for value, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                if len(members) < MIN_GROUP_PAGES or frozenset(members) in seen:
                    continue
                seen.append(frozenset(members))
                pick = _group_pick(label(value), sorted(members), matrix, candidates, seed=seed, n_boot=n_boot)
                if pick is not None:
                    picks.append(pick)
    rows = {str(r["extractor"]): r for r in ranked.to_dict("records")}
    members = [m for m in top.members if _finite(rows[m].get("ms_median"))]
    if members:
        fastest = min(members, key=lambda m: (float(rows[m]["ms_median"]), m))
        rec = rows[fastest]
        picks.append(Pick(need="fastest of the top group", extractor=fastest, pages=int(rec["pages"]),
                          metric="ms median", value=float(rec["ms_median"]),
                          note=f"F1 {rec['f1_mean']:.3f} [{rec['f1_ci_low']:.3f}, {rec['f1_ci_high']:.3f}], "
                               f"p95 {float(rec['ms_p95']):.1f} ms"))
    precise = max(top.members, key=lambda m: (_num(rows[m].get("precision_mean")), m))
    rec = rows[precise]
    picks.append(Pick(need="most precise of the top group (pipelines that must not ingest chrome)",
                      extractor=precise, pages=int(rec["pages"]), metric="precision",
                      value=_num(rec.get("precision_mean")), ci_low=_num(rec.get("precision_ci_low"), math.nan),
                      ci_high=_num(rec.get("precision_ci_high"), math.nan)))
    return picks


def _language_need(code: str) -> str:
    return f"{LANGUAGE_NAMES[code]} ({code}) pages" if code in LANGUAGE_NAMES else f"pages in language {code}"


def _script_need(family: str) -> str:
    return f"{SCRIPT_NAMES.get(family, family)} pages"


def _num(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if number != number else number


def _finite(value: Any) -> bool:
    return math.isfinite(_num(value, math.nan))


def _own_metric(meta: Mapping[str, Any], scores, ranked, candidates: list[str], top: TopGroup | None, *, seed: int,
                n_boot: int) -> dict[str, Any] | None:
    """The dataset's own metric per extractor, and whether it ranks the leaders as token F1 does."""
    provenance = (meta.get("corpus") or {}).get("provenance") or {}
    metric = provenance.get("metric") or ""
    if metric not in OWN_METRICS:
        return None
    label, definition = OWN_METRICS[metric]
    values: dict[str, tuple[float, float, float]] = {}
    if metric == "aeb":
        values = _aeb_f1(scores, [str(n) for n in ranked["extractor"]], seed=seed, n_boot=n_boot)
    else:
        for rec in ranked.to_dict("records"):
            values[str(rec["extractor"])] = (_num(rec.get("micro_f1"), math.nan), math.nan, math.nan)
    if not values:
        return None
    scored = [c for c in candidates if c in values and _finite(values[c][0])]
    leader = max(scored, key=lambda c: (values[c][0], c)) if scored else None
    token_leader = top.best if top is not None else None
    return {"metric": metric, "label": label, "definition": definition, "values": values, "leader": leader,
            "token_leader": token_leader, "disagrees": bool(leader and token_leader and leader != token_leader)}


def _aeb_f1(scores, names: list[str], *, seed: int, n_boot: int) -> dict[str, tuple[float, float, float]]:
    """AEB F1 per extractor (F1 of mean page precision and mean page recall) with a bootstrap interval."""
    import numpy as np

    import pandas as pd

    from benchmark.stats.bootstrap import bootstrap_by_coverage, percentile_interval

    if "aeb_precision" not in scores.columns:
        return {}
    scored = scores[scores["outcome"].map(str) != "unavailable"].sort_values("page_id", kind="mergesort")
    found = {}
    for name in names:
        rows = scored[scored["extractor"].map(str) == name]
        p = pd.to_numeric(rows["aeb_precision"], errors="coerce").to_numpy(dtype=np.float64)
        r = pd.to_numeric(rows["aeb_recall"], errors="coerce").to_numpy(dtype=np.float64)
        if not (np.isfinite(p).any() and np.isfinite(r).any()):
            continue
        mp, mr = float(np.nanmean(p)), float(np.nanmean(r))
        boot = bootstrap_by_coverage(np.vstack([p, r]), seed=seed, n_boot=n_boot)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = 2 * boot[:, 0] * boot[:, 1] / (boot[:, 0] + boot[:, 1])
        low, high = percentile_interval(f1[:, None])
        found[name] = (2 * mp * mr / (mp + mr) if mp + mr else 0.0, float(low[0]), float(high[0]))
    return found


def _leak_pages(records: Mapping[tuple[str, str], Mapping[str, Any]]) -> dict[str, Counter]:
    """Per extractor, each leaked string (card chrome or lexicon phrase) and on how many pages it leaked."""
    leaks: dict[str, Counter] = defaultdict(Counter)
    for (name, _), rec in records.items():
        # a string counts once per page, whether the card or the lexicon found it
        for text in {*rec["chrome_leaked"], *rec["lexicon_leaked"]}:
            leaks[name][text] += 1
    return leaks


def corpus_provenance(meta: Mapping[str, Any], pages) -> dict[str, Any]:
    """What the pages are, for the report's first lines: kind, source, years, licence, languages and their origin."""
    corpus = meta.get("corpus") or {}
    given = corpus.get("provenance") or {}
    kind = given.get("kind") or "unstated"
    languages: Counter = Counter()
    disagree: list[dict[str, str]] = []
    if pages is not None and not pages.empty and "language" in pages.columns:
        languages = Counter(str(v) for v in pages["language"])
        if "language_declared" in pages.columns:
            for rec in pages.to_dict("records"):
                declared = str(rec.get("language_declared") or "")
                if declared and declared not in ("und", "nan") and declared != str(rec["language"]):
                    disagree.append({"page_id": str(rec["page_id"]), "site": str(rec.get("site") or ""),
                                     "declared": declared, "identified": str(rec["language"])})
    origin = given.get("languages_from") or "card"
    origins = {"card": "set by the corpus author on each page's card",
               "declared": "the page's own declaration (<html lang>), which some pages get wrong",
               "identified": "identified from each page's text (py3langid, model shipped in the package); the "
                             "page's own <html lang> is kept beside it as language_declared",
               "dataset": "the dataset's own labels"}
    evidence = {"authored": "The pages were written for the benchmark after real templates (fictional outlets): "
                            "they show how extractors handle these patterns, not how they do on the real web.",
                "real": "Real pages saved from the web: evidence about pages like these, of their years.",
                "unstated": "Where these pages come from is not stated."}
    return {"kind": kind, "title": given.get("title") or corpus.get("name") or "?", "summary": given.get("summary"),
            "source": given.get("source") or "", "years": given.get("years") or "", "licence": given.get("licence"),
            "pages": corpus.get("pages"), "evidence": evidence.get(kind, evidence["unstated"]),
            "languages": languages.most_common(), "languages_from": origin,
            "languages_origin": origins.get(origin, origin), "disagree": disagree}
