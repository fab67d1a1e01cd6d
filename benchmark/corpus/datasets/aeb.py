"""Scrapinghub's article extraction benchmark: html/<id>.html.gz + ground-truth.json.

Pages are read through the bounded reader (file_reader.py): an id that would
name a file outside html/ is refused, and decompression stops at the page
size limit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from benchmark.corpus.datasets.common import Digest, dataset_page, with_identified_languages
from benchmark.corpus.file_reader import MAX_INDEX_BYTES, member_path, read_corpus_file, read_gzip_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "Scrapinghub article-extraction-benchmark (MIT)"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="real", title="Scrapinghub article-extraction-benchmark (AEB)",
    summary="181 real news and blog pages saved by Scrapinghub in 2019-2020 (fetched with JavaScript off), "
            "mostly English, with hand-made article bodies.",
    source="https://github.com/scrapinghub/article-extraction-benchmark", years="2019-2020", licence="MIT",
    languages_from="declared", metric="aeb")


def _read_truth(path: Path, problems: list[Problem]) -> dict | None:
    """ground-truth.json, or None and a problem saying what is wrong."""
    truth_path = path / "ground-truth.json"
    if not path.is_dir():
        problems.append(Problem(str(path), "an AEB dataset is a folder holding ground-truth.json and html/",
                                None, True))
        return None
    data, found = read_corpus_file(truth_path, root=path, page_id=None, what="ground truth", limit=MAX_INDEX_BYTES)
    if data is None:
        problems.append(Problem(str(truth_path), f"cannot read the ground truth ({found[0].message}): is this an "
                                "AEB folder?", None, True))
        return None
    try:
        truth = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        problems.append(Problem(str(truth_path), f"cannot read the ground truth ({type(exc).__name__}: {exc}): "
                                "is this an AEB folder?", None, True))
        return None
    if not isinstance(truth, dict):
        problems.append(Problem(str(truth_path), "the ground truth must be a JSON object "
                                '{item_id: {"articleBody": ..., "url": ...}}', None, True))
        return None
    return truth


def _items(path: Path, truth: dict, problems: list[Problem], digest: Digest) -> Iterator[tuple[Page, Gold]]:
    """Each item whose page exists, read when asked for; the rest become problems."""
    truth_path, html_dir = path / "ground-truth.json", path / "html"
    if not html_dir.is_dir():
        problems.append(Problem(str(html_dir), "folder missing: AEB pages are html/<item_id>.html.gz", None, True))
    else:
        listed = {p.name.removesuffix(".html.gz") for p in html_dir.glob("*.html.gz")}
        for item_id in sorted(listed - set(truth)):
            problems.append(Problem(str(html_dir / f"{item_id}.html.gz"),
                                    "page without an entry in ground-truth.json: not scored", item_id))
    for item_id in sorted(truth):
        entry = truth[item_id]
        body = entry.get("articleBody") if isinstance(entry, dict) else None
        if not isinstance(body, str):
            problems.append(Problem(str(truth_path), f"item {item_id} has no articleBody string", item_id, True))
            continue
        if not html_dir.is_dir():
            continue
        html_path = member_path(html_dir, f"{item_id}.html.gz")
        if html_path is None:  # "../../x": the id would read a file outside the dataset
            problems.append(Problem(str(truth_path), f"item id {item_id!r} names a file outside {html_dir}: "
                                    "refused; an id is a file name in html/", item_id, True))
            continue
        raw, found = read_gzip_file(html_path, root=path, page_id=item_id)
        if raw is None:
            problems += found
            continue
        url = entry.get("url") if isinstance(entry.get("url"), str) else ""
        page, found = dataset_page(item_id, str(html_path), raw, url, SOURCE)
        digest.add(item_id, raw, sha256=page.sha256)
        digest.add(f"{item_id}.gold", body.encode("utf-8"))
        digest.add(f"{item_id}.url", url.encode("utf-8", "surrogatepass"))  # newspaper3k reads it
        problems += found
        yield page, Gold(page_id=item_id, path=f"{truth_path}#{item_id}", text=body)


def iter_pages(path: Path, problems: list[Problem]) -> Iterator[tuple[Page, Gold]]:
    """The dataset's pages one at a time (a statistics pass holds one page); problems appended."""
    truth = _read_truth(path, problems)
    if truth is not None:
        yield from _items(path, truth, problems, Digest())


def load(path: Path) -> Corpus:
    """Every item of ground-truth.json whose page exists; the rest become problems."""
    problems: list[Problem] = []
    truth = _read_truth(path, problems)
    if truth is None:
        return Corpus(provenance=PROVENANCE, root=str(path), name="aeb", pages=(), golds={},
                      problems=tuple(problems))
    digest = Digest()
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    for page, gold in _items(path, truth, problems, digest):
        pages.append(page)
        golds[page.page_id] = gold
    corpus = Corpus(provenance=PROVENANCE, root=str(path), name="aeb", pages=tuple(pages), golds=golds,
                    problems=tuple(problems), digest=digest.hexdigest())
    return with_identified_languages(corpus)
