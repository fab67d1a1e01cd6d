"""Scrapinghub's article extraction benchmark: html/<id>.html.gz + ground-truth.json."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from benchmark.corpus import page_from_bytes
from benchmark.datasets.common import Digest, dataset_card
from benchmark.records import Corpus, Gold, Page, Problem

SOURCE = "Scrapinghub article-extraction-benchmark (MIT)"


def load(path: Path) -> Corpus:
    """Every item of ground-truth.json whose page exists; the rest become problems."""
    truth_path = path / "ground-truth.json"
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Corpus(root=str(path), name="aeb", pages=(), golds={}, problems=(
            Problem(str(truth_path), f"cannot read the ground truth ({exc}): is this an AEB folder?", None, True),))
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for item_id in sorted(truth):
        entry = truth[item_id]
        html_path = path / "html" / f"{item_id}.html.gz"
        try:
            raw = gzip.decompress(html_path.read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            problems.append(Problem(str(html_path), f"cannot read page ({exc})", item_id, True))
            continue
        body = entry.get("articleBody") if isinstance(entry, dict) else None
        if not isinstance(body, str):
            problems.append(Problem(str(truth_path), f"item {item_id} has no articleBody string", item_id, True))
            continue
        digest.add(item_id, raw)
        digest.add(f"{item_id}.gold", body.encode("utf-8"))
        page, found = page_from_bytes(item_id, str(html_path), raw, dataset_card(entry.get("url", ""), SOURCE))
        problems += found
        pages.append(page)
        golds[item_id] = Gold(page_id=item_id, path=f"{truth_path}#{item_id}", text=body)
    return Corpus(root=str(path), name="aeb", pages=tuple(pages), golds=golds, problems=tuple(problems),
                  digest=digest.hexdigest())
