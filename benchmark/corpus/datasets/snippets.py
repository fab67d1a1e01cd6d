"""trafilatura-style snippet sets: {url: {"file": ..., "with": [...], "without": [...]}}.

The HTML files are found under the JSON file's folder (by relative path, else
by file name in any subfolder). There is no body gold: pages are scored on
their snippets only (benchmark.score.snippet).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.corpus.datasets.common import Digest, dataset_page, with_identified_languages
from benchmark.corpus.file_reader import MAX_INDEX_BYTES, read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "snippet evaluation set (trafilatura format)"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="real", title="snippet evaluation set (trafilatura format)",
    summary="Real saved pages with snippets that must and must not be extracted (no whole body gold).",
    source="https://github.com/adbar/trafilatura/tree/master/tests", licence="see the dataset (pages are third-party)",
    languages_from="declared", metric="snippet")



def _index_files(folder: Path, skip: Path) -> dict[str, Path]:
    """Every file under the folder by relative path and by bare name (first in sorted order wins)."""
    index: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path != skip:
            index[path.relative_to(folder).as_posix()] = path
    for path in list(index.values()):
        index.setdefault(path.name, path)
    return index


def _snippets(entry: dict, key: str) -> tuple[tuple[str, ...], bool]:
    """The entry's snippet list and whether it was well formed (a list of strings, or absent)."""
    value = entry.get(key, [])
    if isinstance(value, str):
        return (value,), True
    if not isinstance(value, list):
        return (), False
    strings = tuple(s for s in value if isinstance(s, str))
    return strings, len(strings) == len(value)


def _empty(path: Path, message: str) -> Corpus:
    return Corpus(provenance=PROVENANCE, root=str(path), name="snippets", pages=(), golds={},
                  problems=(Problem(str(path), message, None, True),))


def load(path: Path) -> Corpus:
    if path.is_dir():
        return _empty(path, "a snippet set is a JSON file {url: {\"file\": ..., \"with\": [...], "
                            "\"without\": [...]}}: give the file, not its folder")
    data, found = read_corpus_file(path, root=path.parent, page_id=None, what="snippet set", limit=MAX_INDEX_BYTES)
    if data is None:
        return _empty(path, f"cannot read the snippet set ({found[0].message})")
    try:
        entries = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return _empty(path, f"cannot read the snippet set ({type(exc).__name__}: {exc})")
    if not isinstance(entries, dict):
        return _empty(path, "cannot read the snippet set: the top level must be a JSON object keyed by URL")
    files = _index_files(path.parent, path)
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for url in sorted(entries):
        entry = entries[url]
        if not isinstance(entry, dict):
            problems.append(Problem(str(path), f"{url}: entry is not an object with file/with/without", url, True))
            continue
        name = entry.get("file")
        if not isinstance(name, str) or not name:
            problems.append(Problem(str(path), f"{url}: no \"file\" naming its HTML page", url, True))
            continue
        html_path = files.get(Path(name).as_posix()) or files.get(Path(name).name)
        if html_path is None:
            problems.append(Problem(str(path), f"{url}: file {name!r} not found under {path.parent}", url, True))
            continue
        with_, ok_with = _snippets(entry, "with")
        without, ok_without = _snippets(entry, "without")
        if not (ok_with and ok_without):
            problems.append(Problem(str(path), f"{url}: \"with\" and \"without\" must be lists of strings; "
                                    "other items ignored", url))
        raw, found = read_corpus_file(html_path, root=path.parent, page_id=url)
        problems += found
        if raw is None:
            continue
        digest.add(url, raw)
        digest.add(f"{url}.snippets", json.dumps([with_, without], ensure_ascii=False).encode("utf-8"))
        page, found = dataset_page(url, str(html_path), raw, url, SOURCE)
        problems += found
        pages.append(page)
        golds[url] = Gold(page_id=url, path=f"{path}#{url}", text=None, snippets_with=with_,
                          snippets_without=without)
    corpus = Corpus(provenance=PROVENANCE, root=str(path), name="snippets", pages=tuple(pages), golds=golds,
                    problems=tuple(problems), digest=digest.hexdigest())
    return with_identified_languages(corpus)
