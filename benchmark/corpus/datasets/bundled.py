"""The bundled format (pages/ + gold/ with cards), under a dataset spec."""

from __future__ import annotations

from pathlib import Path

from benchmark.corpus.bundled import load_corpus
from benchmark.records import Corpus


def load(path: Path) -> Corpus:
    return load_corpus(path, name=path.name or "bundled")
