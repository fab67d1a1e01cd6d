"""The registry's records: a set as the package knows it, and each file its manifest pins.

They cross from the registry (catalog, store, fetchers) to the commands; they
live here rather than in `benchmark.records` because no pipeline stage
(corpus, run, score, stats, report) takes or gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmark.records import Provenance


@dataclass(frozen=True)
class ManifestFile:
    """One file a registered dataset needs, as its manifest pins it (size and sha256, or only the git blob id)."""

    path: str  # relative to the repository root, "/"-separated, unquoted
    size: int | None
    sha256: str | None
    git_blob: str | None  # sha1 of "blob <size>\0<bytes>": what git stores; the only check for files too large to hash


@dataclass(frozen=True)
class RegisteredSet:
    """A public dataset the package knows: where its pinned files come from, what they are, which importer reads them."""

    name: str  # "aeb", "naeb", ...: what `--dataset NAME` and `boilerbench datasets get NAME` take
    repository: str  # "owner/name" on GitHub
    commit: str
    files: tuple[ManifestFile, ...]
    paths: tuple[str, ...]  # the repository folders and files the set needs (sparse checkout)
    kind: str  # the importer (benchmark.corpus.datasets.KINDS)
    root: str  # what the importer is given, relative to the download folder ("." for the folder itself)
    provenance: Provenance
    pages: str = ""  # how many pages, as the set describes itself
    languages: str = ""
    readings: tuple[str, ...] = ()  # further importer kinds that read the same files another way
    licence_text: str = ""  # printed before download when use is restricted; "" when it is not
    manifest_sha256: str = ""  # of the shipped manifest file: a download is complete for this manifest only

    @property
    def restricted(self) -> bool:
        return bool(self.licence_text)

    @property
    def known_bytes(self) -> int:
        return sum(f.size or 0 for f in self.files)
