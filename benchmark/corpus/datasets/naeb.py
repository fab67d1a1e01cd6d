"""The news article extraction benchmark (NAEB): articles.json + html/<id>.html.

``articles.json`` is ``{id: {"articleBody", "url", "site", "date", "title",
...}}``; the gold is ``articleBody`` (the article text cleaned by hand,
headline apart). The card takes its date from the entry's ``date`` (the
dataset's own, ``published_from = "dataset"``); its language is identified
from the page's text, the page's declaration kept beside it. An id without its page (three pages of the full set are
large files that some downloads lack) is skipped and named; a page without an
entry is named and not scored.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from benchmark.corpus.datasets.common import Digest, dataset_page, iso_date, with_identified_languages
from benchmark.corpus.file_reader import MAX_INDEX_BYTES, member_path, read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "News article extraction benchmark, AndyTheFactory/article-extraction-dataset (Apache-2.0)"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="real", title="News article extraction benchmark (NAEB)",
    summary="424 real news articles from 212 sites, saved in 2023, each with its article text cleaned by hand "
            "(the headline is not part of it).",
    source="https://github.com/AndyTheFactory/article-extraction-dataset", years="2023", licence="Apache-2.0",
    languages_from="declared")
_FORMAT = 'a JSON object {id: {"articleBody": ..., "url": ..., "site": ..., "date": ...}}'


def _empty(path: Path, message: str, where: Path | None = None) -> Corpus:
    return Corpus(provenance=PROVENANCE, root=str(path), name="naeb", pages=(), golds={},
                  problems=(Problem(str(where or path), message, None, True),))


def _entries(path: Path) -> tuple[dict | None, Corpus | None]:
    """articles.json as a dict, or an empty corpus saying what is wrong with it."""
    index = path / "articles.json"
    if not path.is_dir():
        return None, _empty(path, "a NAEB dataset is a folder holding articles.json and html/<id>.html")
    data, found = read_corpus_file(index, root=path, page_id=None, what="articles.json", limit=MAX_INDEX_BYTES)
    if data is None:
        return None, _empty(path, f"{found[0].message}: is this a NAEB folder?", index)
    try:
        entries = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        return None, _empty(path, f"not valid UTF-8 JSON ({type(exc).__name__}: {exc}); expected {_FORMAT}", index)
    if not isinstance(entries, dict):
        return None, _empty(path, f"expected {_FORMAT}, found a JSON {type(entries).__name__}", index)
    return entries, None


def load(path: Path) -> Corpus:
    """Every entry of articles.json whose page exists; the rest become problems naming the file."""
    entries, failed = _entries(path)
    if failed is not None:
        return failed
    index, html_dir = path / "articles.json", path / "html"
    problems: list[Problem] = []
    if not html_dir.is_dir():
        return _empty(path, "folder missing: NAEB pages are html/<id>.html", html_dir)
    listed = {p.stem for p in html_dir.glob("*.html")}
    for stem in sorted(listed - set(entries)):
        problems.append(Problem(str(html_dir / f"{stem}.html"), "page without an entry in articles.json: not scored",
                                stem))
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    digest = Digest()
    for article_id in sorted(entries):
        entry = entries[article_id]
        body = entry.get("articleBody") if isinstance(entry, dict) else None
        if not isinstance(body, str):
            problems.append(Problem(str(index), f"entry {article_id!r} has no articleBody string (expected "
                                    f"{_FORMAT})", article_id, True))
            continue
        html_path = member_path(html_dir, f"{article_id}.html")
        if html_path is None:
            problems.append(Problem(str(index), f"entry id {article_id!r} names a file outside {html_dir}: refused",
                                    article_id, True))
            continue
        if not html_path.exists():
            problems.append(Problem(str(html_path), "page missing (the entry is in articles.json): skipped; "
                                    "`boilerbench datasets get naeb` fetches every page", article_id, True))
            continue
        raw, found = read_corpus_file(html_path, root=path, page_id=article_id)
        problems += found
        if raw is None:
            continue
        url = entry.get("url") if isinstance(entry.get("url"), str) else ""
        date = iso_date(entry["date"]) if isinstance(entry.get("date"), str) else None
        digest.add(article_id, raw)
        digest.add(f"{article_id}.gold", body.encode("utf-8"))
        digest.add(f"{article_id}.meta", json.dumps([url, entry.get("date")]).encode("utf-8"))
        page, found = dataset_page(article_id, str(html_path), raw, url, SOURCE)
        problems += found
        if date is not None:  # the dataset's date outranks what the page declares
            page = dataclasses.replace(page, card=dataclasses.replace(
                page.card, published=date, extra=(("published_from", "dataset"),)))
        pages.append(page)
        golds[article_id] = Gold(page_id=article_id, path=f"{index}#{article_id}", text=body)
    return with_identified_languages(Corpus(provenance=PROVENANCE, root=str(path), name="naeb", pages=tuple(pages),
                                            golds=golds, problems=tuple(problems), digest=digest.hexdigest()))
