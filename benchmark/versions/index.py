"""The package index's version lists, and `PKG==A,B,...` arguments checked against them.

Versions are listed with pip's own client (``pip index versions --json``,
with ``--pre`` so a pre-release asked for by name is found), through the
same index options the environments are built with: the public index by
default, or ``--index-url`` / ``--find-links`` / ``--no-index`` for a
private index or a folder of wheels. This reaches the network unless
``--no-index`` is given; callers say so before calling.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Sequence

#: seconds one version listing may take (pip's own network timeout is shorter)
LIST_TIMEOUT = 180.0
_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


class VersionLookupError(ValueError):
    """A package or version the index does not have, or an index that did not answer: one line, what to do."""


@dataclass(frozen=True)
class IndexOptions:
    """Where packages come from, for listing versions and for building environments alike."""

    index_url: str | None = None
    find_links: tuple[str, ...] = ()
    no_index: bool = False

    def pip_args(self) -> list[str]:
        """The same options as pip (and uv pip) spell them."""
        args: list[str] = []
        if self.no_index:
            args.append("--no-index")
        if self.index_url:
            args += ["--index-url", self.index_url]
        for link in self.find_links:
            args += ["--find-links", link]
        return args

    @property
    def offline(self) -> bool:
        return self.no_index

    def describe(self) -> str:
        """Where packages come from, for the line that says the set-up downloads."""
        if self.no_index:
            return "the local wheels in " + ", ".join(self.find_links) if self.find_links else "no index"
        return self.index_url or "the package index (pip's configuration)"


def canonical(name: str) -> str:
    """PEP 503 normalised name: "Readability_LXML" and "readability-lxml" are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str):
    """Sort key for release versions (PEP 440); an unparsable one sorts first, as pip does."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def is_prerelease(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version).is_prerelease
    except InvalidVersion:
        return False


def parse_pins(argument: str) -> tuple[str, list[str]]:
    """"trafilatura==1.6.4,2.0.0" -> ("trafilatura", ["1.6.4", "2.0.0"]); ValueError saying the form otherwise."""
    package, sep, versions = argument.partition("==")
    package = package.strip()
    listed = [v.strip() for v in versions.split(",")] if sep else []
    if not sep or not _NAME_RE.match(package) or not listed or any(not v for v in listed):
        raise ValueError(f"{argument!r} is not PACKAGE==VERSION[,VERSION...] "
                         "(for example trafilatura==1.6.4,2.0.0 or lxml==5.4.0,6.1.3)")
    if len(set(listed)) != len(listed):
        raise ValueError(f"{argument!r} names a version twice")
    return package, listed


def published_versions(package: str, options: IndexOptions) -> list[str]:
    """Every published release of `package` on the index, oldest first (pre-releases included)."""
    if not _NAME_RE.match(package):
        raise VersionLookupError(f"{package!r} is not a package name")
    argv = [sys.executable, "-m", "pip", "index", "versions", package, "--json", "--pre",
            "--disable-pip-version-check", *options.pip_args()]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=LIST_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise VersionLookupError(f"listing the releases of {package} took over {LIST_TIMEOUT:g} s; "
                                 "check the connection to the package index and try again") from None
    except OSError as exc:
        raise VersionLookupError(f"cannot run pip to list releases ({exc}); install pip in "
                                 f"{sys.executable}'s environment") from None
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        if "No module named pip" in done.stderr:
            raise VersionLookupError(f"pip is not installed in {sys.executable}'s environment; "
                                     "run `python -m ensurepip` there")
        if any("No matching distribution" in line for line in errors):
            raise VersionLookupError(f"unknown package {package!r}: {options.describe()} has no release of it; "
                                     "check the name (as on the index, e.g. readability-lxml)")
        raise VersionLookupError(f"listing the releases of {package} failed: "
                                 + (errors[-1] if errors else done.stderr.strip()[-300:]))
    try:
        versions = list(json.loads(done.stdout)["versions"])
    except (ValueError, KeyError, TypeError):
        raise VersionLookupError(f"pip's version list for {package} was not the JSON expected: "
                                 f"{done.stdout[:200]!r}") from None
    return sorted(set(versions), key=version_key)


def check_versions(package: str, wanted: Sequence[str], published: Sequence[str]) -> list[str]:
    """`wanted` ordered oldest first; VersionLookupError naming any the index does not have, with neighbours."""
    from packaging.version import InvalidVersion, Version

    by_value: dict[object, str] = {}
    for version in published:
        try:
            by_value[Version(version)] = version
        except InvalidVersion:
            by_value[version] = version
    found: list[str] = []
    for version in wanted:
        try:
            key: object = Version(version)
        except InvalidVersion:
            key = version
        if key not in by_value:
            raise VersionLookupError(f"{package} has no release {version}; "
                                     f"published: {_neighbours(version, published)}")
        found.append(by_value[key])
    return sorted(found, key=version_key)


def _neighbours(version: str, published: Sequence[str], around: int = 4) -> str:
    """The releases just below and above a missing one, so the user sees what exists."""
    ordered = sorted(published, key=version_key)
    key = version_key(version)
    position = sum(1 for v in ordered if version_key(v) < key)
    shown = ordered[max(0, position - around):position + around]
    return ", ".join(shown) + (f" (of {len(ordered)})" if len(shown) < len(ordered) else "")


def between(published: Sequence[str], good: str, bad: str, *, pre: bool = False) -> list[str]:
    """Releases from good to bad inclusive, oldest first; pre-releases only when asked or named."""
    low, high = version_key(good), version_key(bad)
    return [v for v in sorted(published, key=version_key)
            if low <= version_key(v) <= high and (pre or not is_prerelease(v) or v in (good, bad))]
