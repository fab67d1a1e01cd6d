"""Mozilla Readability's test pages: <case>/source.html + expected.html (+ expected-metadata.json).

The expected output is Readability.js's own HTML, so the gold is its text:
these pages measure agreement with Readability.js, not human judgement. It
is read with its structure (`corpus.marking.html_to_marked`: headings, lists,
tables, quotes into the gold's marks, `Gold.marked`), and `Gold.text` is that
marked gold's plain text, so structured outputs can be scored on these pages.
The card's language comes from the metadata's ``lang`` where given, else
from the page; its date from ``publishedTime`` where given, else the page.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from benchmark.corpus.datasets.common import Digest, dataset_page, iso_date
from benchmark.corpus.file_reader import read_corpus_file
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "Mozilla Readability test pages (Apache-2.0); gold is Readability.js's expected output"
#: what these pages are, for the report's first lines
PROVENANCE = Provenance(
    kind="real", title="Mozilla Readability test pages",
    summary="Real pages (about 36 of them synthetic) from Readability.js's test suite; the gold is "
            "Readability.js's own expected output, a regression record rather than a human judgement.",
    source="https://github.com/mozilla/readability/tree/main/test/test-pages", years="2013-2024",
    licence="Apache-2.0 (repository); pages are third-party", languages_from="declared")



def _metadata(path: Path, case: str, root: Path) -> tuple[dict, list[Problem]]:
    """expected-metadata.json as a dict; a broken one is a (non-blocking) problem."""
    if not path.is_file():
        return {}, []
    raw, found = read_corpus_file(path, root=root, page_id=case, what="metadata")
    if raw is None:
        return {}, [Problem(p.path, f"{p.message}; language and date taken from the page", case) for p in found]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return {}, [Problem(str(path), f"not valid JSON ({exc}); language and date taken from the page", case)]
    if not isinstance(data, dict):
        return {}, [Problem(str(path), "not a JSON object; language and date taken from the page", case)]
    return data, []


def load(path: Path) -> Corpus:
    from benchmark.corpus.decoding import decode_page
    from benchmark.corpus.goldmarks import plain_text
    from benchmark.corpus.marking import html_to_marked

    if not path.is_dir():
        return Corpus(provenance=PROVENANCE, root=str(path), name="readability", pages=(), golds={}, problems=(
            Problem(str(path), "Readability test pages are a folder of <case>/source.html + expected.html",
                    None, True),))
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for case in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        source, expected = case / "source.html", case / "expected.html"
        if not source.is_file() or not expected.is_file():
            missing = " and ".join(p.name for p in (source, expected) if not p.is_file())
            problems.append(Problem(str(case), f"case lacks {missing}", case.name, True))
            continue
        raw, found = read_corpus_file(source, root=path, page_id=case.name)
        expected_raw, found_expected = read_corpus_file(expected, root=path, page_id=case.name, what="expected page")
        if raw is None or expected_raw is None:
            problems += found + found_expected
            continue
        meta, found = _metadata(case / "expected-metadata.json", case.name, path)
        problems += found
        language = meta.get("lang") if isinstance(meta.get("lang"), str) and meta.get("lang") else None
        digest.add(case.name, raw)
        digest.add(f"{case.name}.expected", expected_raw)
        page, found = dataset_page(case.name, str(source), raw, "", SOURCE, language)
        published = iso_date(meta["publishedTime"]) if isinstance(meta.get("publishedTime"), str) else None
        if published is not None:
            page = dataclasses.replace(page, card=dataclasses.replace(
                page.card, published=published, extra=(("published_from", "expected-metadata.json"),)))
        problems += found
        pages.append(page)
        marked = html_to_marked(decode_page(expected_raw)[0])
        golds[case.name] = Gold(page_id=case.name, path=str(expected), text=plain_text(marked), marked=marked)
    return Corpus(provenance=PROVENANCE, root=str(path), name="readability", pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())
