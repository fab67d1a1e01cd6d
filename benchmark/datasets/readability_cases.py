"""Mozilla Readability's test pages: <case>/source.html + expected.html (+ expected-metadata.json).

The expected output is Readability.js's own HTML, so the gold is its visible
text: these pages measure agreement with Readability.js, not human judgement.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.corpus import page_from_bytes
from benchmark.datasets.common import Digest, dataset_card
from benchmark.records import Corpus, Gold, Page, Problem

SOURCE = "Mozilla Readability test pages (Apache-2.0); gold is Readability.js's expected output"


def load(path: Path) -> Corpus:
    from benchmark.decoding import decode_page
    from benchmark.visible_text import visible_text

    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    problems: list[Problem] = []
    digest = Digest()
    for case in sorted(p for p in path.iterdir() if p.is_dir()):
        source, expected = case / "source.html", case / "expected.html"
        if not source.is_file() or not expected.is_file():
            problems.append(Problem(str(case), "case lacks source.html or expected.html", case.name, True))
            continue
        raw, expected_raw = source.read_bytes(), expected.read_bytes()
        language = "und"
        meta_path = case / "expected-metadata.json"
        if meta_path.is_file():
            try:
                language = json.loads(meta_path.read_text(encoding="utf-8")).get("lang") or "und"
            except ValueError:
                problems.append(Problem(str(meta_path), "not valid JSON; language left unknown", case.name))
        digest.add(case.name, raw)
        digest.add(f"{case.name}.expected", expected_raw)
        page, found = page_from_bytes(case.name, str(source), raw, dataset_card("", SOURCE, language))
        problems += found
        pages.append(page)
        golds[case.name] = Gold(page_id=case.name, path=str(expected),
                                text=visible_text(decode_page(expected_raw)[0]))
    return Corpus(root=str(path), name="readability", pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())
