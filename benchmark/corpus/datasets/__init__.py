"""Importers for public datasets: each reads a dataset where it lies into a Corpus, copying nothing.

`load_dataset("aeb:../shared/datasets/aeb")` picks the importer by kind.
Page ids are the dataset's own: the AEB item id, the NAEB article id, the
L3S-GN1 uuid, the WebMainBench track_id, the snippet set's JSON key (the URL),
the CleanEval file number, the Readability case folder, the file stem of a
plain folder.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from benchmark.records import Corpus

#: kind -> module implementing `load(path: Path) -> Corpus` (or "module:function" for another reading)
KINDS = {
    "aeb": "benchmark.corpus.datasets.aeb",
    "snippets": "benchmark.corpus.datasets.snippets",
    "cleaneval": "benchmark.corpus.datasets.cleaneval",
    "readability": "benchmark.corpus.datasets.readability_cases",
    "plain": "benchmark.corpus.datasets.plain",
    "naeb": "benchmark.corpus.datasets.naeb",
    "l3s-gn1": "benchmark.corpus.datasets.l3s_gn1",
    "l3s-gn1-headline": "benchmark.corpus.datasets.l3s_gn1:load_with_headline",
    "l3s-gn1-content": "benchmark.corpus.datasets.l3s_gn1:load_content",
    "webmainbench": "benchmark.corpus.datasets.webmainbench",
    "bundled": "benchmark.corpus.datasets.bundled",
}


class DatasetError(ValueError):
    """A dataset spec or folder that cannot be read; the message says what to do."""


def parse_spec(spec: str) -> tuple[str, Path]:
    """Split KIND:PATH, naming the known kinds when the kind is wrong."""
    kind, sep, path = spec.partition(":")
    if not sep or not path:
        raise DatasetError(f"dataset {spec!r}: write KIND:PATH, KIND one of {', '.join(KINDS)}")
    if kind not in KINDS:
        raise DatasetError(f"dataset kind {kind!r} unknown: use one of {', '.join(KINDS)}")
    return kind, Path(path).expanduser()


def load_dataset(spec: str) -> Corpus:
    """Read a dataset given as KIND:PATH."""
    kind, path = parse_spec(spec)
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder (dataset {spec!r})")
    import dataclasses

    module, _, function = KINDS[kind].partition(":")
    corpus = getattr(importlib.import_module(module), function or "load")(path)
    return dataclasses.replace(corpus, source=f"{kind}:{path}")
