"""What every importer shares: a minimal card and a digest over the files read."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from benchmark.records import Card


def dataset_card(url: str, source: str, language: str = "und") -> Card:
    """A card for a page that came with no card: site from the URL, no chrome list."""
    host = urlsplit(url).hostname or "" if url else ""
    site = host.removeprefix("www.") if host else "unknown"
    return Card(url=url, site=site, language=language, published=None, source=source)


class Digest:
    """sha256 over (name, bytes) pairs in the order given; importers feed files sorted by id."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, name: str, data: bytes) -> None:
        self._hash.update(name.encode("utf-8", "surrogatepass") + b"\0")
        self._hash.update(hashlib.sha256(data).digest())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
