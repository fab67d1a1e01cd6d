"""trafilatura-style snippet sets: {url: {"file": ..., "with": [...], "without": [...]}}.

The HTML files are found under the JSON file's folder. There is no body
gold: pages are scored on their snippets only (benchmark.snippet_metric).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.corpus import page_from_bytes
from benchmark.datasets.common import Digest, dataset_card
from benchmark.records import Corpus, Gold, Page, Problem

SOURCE = "snippet evaluation set (trafilatura format)"


def _index_files(folder: Path) -> dict[str, Path]:
    """Every file under the folder by name and by relative path, read once."""
    index: dict[str, Path] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            index.setdefault(path.name, path)
            index[str(path.relative_to(folder))] = path
    return index


def load(path: Path) -> Corpus:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            raise ValueError("top level is not an object")
    except (OSError, ValueError) as exc:
        return Corpus(root=str(path), name="snippets", pages=(), golds={}, problems=(
            Problem(str(path), f"cannot read the snippet set ({exc})", None, True),))
    files = _index_files(path.parent)
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for url in sorted(entries):
        entry = entries[url]
        name = entry.get("file") if isinstance(entry, dict) else None
        html_path = files.get(name or "") or files.get(Path(name or "").name)
        if html_path is None:
            problems.append(Problem(str(path), f"{url}: file {name!r} not found under {path.parent}", url, True))
            continue
        raw = html_path.read_bytes()
        with_ = tuple(s for s in entry.get("with", []) if isinstance(s, str))
        without = tuple(s for s in entry.get("without", []) if isinstance(s, str))
        digest.add(url, raw)
        digest.add(f"{url}.snippets", json.dumps([with_, without], ensure_ascii=False).encode("utf-8"))
        page, found = page_from_bytes(url, str(html_path), raw, dataset_card(url, SOURCE))
        problems += found
        pages.append(page)
        golds[url] = Gold(page_id=url, path=f"{path}#{url}", text=None, snippets_with=with_,
                          snippets_without=without)
    return Corpus(root=str(path), name="snippets", pages=tuple(pages), golds=golds, problems=tuple(problems),
                  digest=digest.hexdigest())
