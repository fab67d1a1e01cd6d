"""A whole corpus weighed page by page: a bundled folder or any importable dataset in, a `CorpusWeight` out.

Pages are read one at a time where the source allows it (a bundled-format
folder; AEB), measured (benchmark.corpus.stats) and dropped, so memory
stays flat however large the corpus; other importers hand over their pages
as bytes, and still only one page is parsed at a time.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from benchmark.corpus.weights import CorpusWeight
from benchmark.records import Gold, Page, Problem


@dataclass
class PageSource:
    """Pages to weigh, read lazily, and where problems found on the way are put."""

    name: str
    kind: str  # provenance kind: authored, real, unstated
    pages: Iterable[tuple[Page, Gold | None]]
    problems: list[Problem]


def _bundled_source(root: Path, name: str) -> PageSource:
    from benchmark.corpus.bundled import CORPUS_FILE, iter_pages, read_provenance

    problems: list[Problem] = []
    provenance, found = read_provenance(root / "gold" / CORPUS_FILE)
    problems += found
    return PageSource(name, provenance.kind, iter_pages(root, problems), problems)


def _corpus_pairs(corpus) -> Iterator[tuple[Page, Gold | None]]:
    for page in corpus.pages:
        yield page, corpus.golds.get(page.page_id)


def open_source(corpus_dir: Path | None = None, dataset: str | None = None) -> PageSource:
    """A bundled folder (`--corpus`) or a KIND:PATH dataset; raises datasets.DatasetError on a bad spec."""
    from benchmark.corpus.datasets import KINDS, DatasetError, load_dataset, parse_spec

    if corpus_dir is not None:
        return _bundled_source(corpus_dir, corpus_dir.resolve().name or "corpus")
    if dataset is None:
        raise DatasetError("give a corpus folder or a dataset as KIND:PATH")
    kind, path = parse_spec(dataset)
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder (dataset {dataset!r})")
    if kind == "bundled":
        return _bundled_source(path, path.resolve().name or "bundled")
    module = importlib.import_module(KINDS[kind])
    if hasattr(module, "iter_pages"):
        problems: list[Problem] = []
        return PageSource(kind, module.PROVENANCE.kind, module.iter_pages(path, problems), problems)
    corpus = load_dataset(dataset)
    kind_of = corpus.provenance.kind if corpus.provenance is not None else "unstated"
    return PageSource(corpus.name, kind_of, _corpus_pairs(corpus), list(corpus.problems))


def weigh(source: PageSource, *, progress=None) -> CorpusWeight:
    """Measure every page of the source, one at a time; `progress(page_id)` is called after each."""
    from benchmark.corpus.ranges import body_class_counts, summarize_weights
    from benchmark.corpus.stats import measure_page

    weights = []
    for page, gold in source.pages:
        weights.append(measure_page(page, gold))
        if progress is not None:
            progress(page.page_id)
    bundled = source.kind == "authored"
    return CorpusWeight(
        name=source.name, kind=source.kind, pages=tuple(weights), summaries=summarize_weights(weights),
        body_class_counts=body_class_counts(weights),
        templates=dict(Counter(w.template or "(none)" for w in weights).most_common()) if bundled else {},
        eras=dict(sorted(Counter(w.era for w in weights).items())) if bundled else {},
        problems=tuple(source.problems))
