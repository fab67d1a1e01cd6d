"""report.html's per-page views: each page's facts, its scores, and each output aligned against the gold.

Also the small readers the sections share: scores.csv rows keyed by
(extractor, page), pages.csv facts, the stored outputs and golds of a run.
Every page gets an anchor and a link: inline in the main report, or in the
sibling file (``<report>-pages/pages-0101-0200.html``) that holds its card.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from benchmark.score.output_kinds import extraction_text

#: captured stdout/stderr shown per pair, in characters (the tail)
STREAM_TAIL = 2000


@dataclass
class PageView:
    """One page: its facts, its scores per extractor, and (when rendered) each output aligned to the gold."""

    page_id: str
    anchor: str
    index: int
    facts: dict[str, Any]
    href: str = ""
    scores: list[dict[str, Any]] = field(default_factory=list)
    diffs: list[dict[str, Any]] = field(default_factory=list)
    gold: str | None = None


@dataclass
class Chunk:
    """A sibling file of page cards (large runs), or the inline part of the main report."""

    file_name: str
    first: int
    last: int
    pages: list[PageView]


# --------------------------------------------------------------------------- cells


def num(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if number != number else number


def finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def json_list(value: Any) -> list[str]:
    """A scores.csv list cell (JSON array text, or already a list) as a list of strings."""
    if value == "[]":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            return []
    return []


def tail(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= STREAM_TAIL else "…" + text[-STREAM_TAIL:]


# --------------------------------------------------------------------------- the run's tables and texts


def score_records(frame) -> dict[tuple[str, str], dict[str, Any]]:
    """scores.csv rows keyed by (extractor, page_id), list cells parsed."""
    records = {}
    for rec in frame.to_dict("records"):
        rec = dict(rec)
        rec["extractor"], rec["page_id"], rec["outcome"] = str(rec["extractor"]), str(rec["page_id"]), \
            str(rec["outcome"])
        for column in ("chrome_leaked", "lexicon_leaked", "must_missing"):
            rec[column] = json_list(rec.get(column))
        records[(rec["extractor"], rec["page_id"])] = rec
    return records


def page_facts(pages) -> dict[str, dict[str, Any]]:
    facts = {}
    if pages is None or getattr(pages, "empty", True):
        return facts
    for rec in pages.to_dict("records"):
        rec = dict(rec)
        rec["layout"] = json_list(rec.get("layout"))
        rec["page_id"] = str(rec["page_id"])
        url = str(rec.get("url") or "")
        rec["url"] = url
        rec["url_is_link"] = bool(re.match(r"https?://", url, re.I))
        facts[rec["page_id"]] = rec
    return facts


def read_extractions(run_dir: Path) -> dict[str, dict[str, Any]] | None:
    """Each page's extractions by extractor (the last line wins), or None when the run kept no texts."""
    from benchmark.results import iter_extractions

    if not (Path(run_dir) / "extractions.jsonl").is_file():
        return None
    outputs: dict[str, dict[str, Any]] = defaultdict(dict)
    for extraction in iter_extractions(Path(run_dir)):
        outputs[extraction.page_id][extraction.extractor] = extraction
    return outputs


def read_marked_golds(run_dir: Path) -> dict[str, str | None]:
    """Gold files with their structure marks, by page ({} for a run without them)."""
    from benchmark.results import ResultsError, read_golds as read_gold_records

    try:
        return {page_id: gold.marked for page_id, gold in read_gold_records(run_dir).items()}
    except ResultsError:
        return {}


def read_golds(run_dir: Path) -> dict[str, str | None]:
    """Gold texts by page; a run without them still renders, with its diffs left out."""
    from benchmark.results import ResultsError, read_golds as read_gold_records

    try:
        return {page_id: gold.text for page_id, gold in read_gold_records(run_dir).items()}
    except ResultsError:
        return {}


# --------------------------------------------------------------------------- page views


#: what a page without a pages.csv row shows
_NO_FACTS: dict[str, Any] = {"site": "", "language": "", "era": "", "published": "", "layout": [], "url": "",
                             "url_is_link": False, "title": "", "language_declared": "", "outputs_href": "",
                             "show_chrome": True, "show_must": True}


def _anchor(page_id: str, used: set[str]) -> str:
    """A fragment-safe, unique element id for a page card."""
    slug = "page-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", page_id)[:120]
    anchor, n = slug, 2
    while anchor in used:
        anchor, n = f"{slug}-{n}", n + 1
    used.add(anchor)
    return anchor


def chunk_name(first: int, last: int) -> str:
    return f"pages-{first:04d}-{last:04d}.html"


def page_views(page_ids: list[str], facts: Mapping[str, dict[str, Any]], pages_dir_name: str, *,
               inline: int, per_file: int) -> list[PageView]:
    """Every page in page-id order, with the link to its card (inline, or in its sibling file).

    The first `inline` pages' cards are in the main report (all of them when
    there are no more); the others `per_file` to a sibling file.
    """
    used: set[str] = set()
    views = []
    for i, page_id in enumerate(page_ids, start=1):
        view = PageView(page_id=page_id, anchor=_anchor(page_id, used), index=i,
                        facts={**_NO_FACTS, "page_id": page_id, **facts.get(page_id, {})})
        if len(page_ids) <= inline or i <= inline:
            view.href = f"#{view.anchor}"
        else:
            first = inline + 1 + ((i - inline - 1) // per_file) * per_file
            last = min(first + per_file - 1, len(page_ids))
            view.href = f"{pages_dir_name}/{chunk_name(first, last)}#{view.anchor}"
        views.append(view)
    return views


def cell_score(rec: Mapping[str, Any] | None) -> dict[str, Any]:
    if rec is None or rec.get("outcome") == "unavailable":
        return {"value": None, "outcome": rec.get("outcome") if rec else "missing"}
    return {"value": num(rec.get("f1")), "outcome": rec.get("outcome")}


def fill_page(view: PageView, names: list[str], scores, outputs, golds, marked=None) -> PageView:
    """Attach scores, the aligned outputs and their structure diffs to a page view (pages that are rendered)."""
    from benchmark.report.structure import structure_diff
    from benchmark.score.alignment import align, token_spans

    gold = golds.get(view.page_id)
    gold_spans = token_spans(gold) if gold is not None else None
    view.gold = gold
    view.scores = []
    view.diffs = []
    for name in names:
        rec = scores.get((name, view.page_id))
        if rec is None:
            continue
        view.scores.append({**rec, "leaked": [*rec["chrome_leaked"],
                                              *(t for t in rec["lexicon_leaked"] if t not in rec["chrome_leaked"])]})
        extraction = outputs.get(view.page_id, {}).get(name)
        diff: dict[str, Any] = {"name": name, "outcome": rec["outcome"], "f1": rec.get("f1"), "alignment": None,
                                "error": "", "stdout": "", "stderr": "", "text_missing": extraction is None,
                                "shared": int(num(rec.get("tp"))), "n_pred": int(num(rec.get("n_pred"))),
                                "structure": None}
        if extraction is not None:
            diff.update(error=extraction.error, stdout=tail(extraction.stdout), stderr=tail(extraction.stderr))
            if str(extraction.outcome) in ("ok", "empty") and gold is not None:
                diff["alignment"] = align(gold, extraction_text(extraction), gold_spans=gold_spans)
            elif str(extraction.outcome) in ("ok", "empty"):
                diff["output"] = extraction.text
            diff["structure"] = structure_diff((marked or {}).get(view.page_id), extraction)
        view.diffs.append(diff)
    # columns with nothing to show on this page (no chrome or must-include listed) are left out of its table
    view.facts["show_chrome"] = any(finite(x.get("chrome_leak")) or x["leaked"] for x in view.scores)
    view.facts["show_must"] = any(finite(x.get("must_include")) for x in view.scores)
    return view
