"""The records of a version matrix (`boilerbench matrix`, `bisect`): pins, their combinations, their venvs.

Used only by the versions stage and its commands; `benchmark.records`
re-exports them, so `from benchmark.records import Pin` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True, order=True)
class Pin:
    """One package at one exact version, as installed into a release environment."""

    package: str  # the distribution name as the user gave it, e.g. "trafilatura", "lxml"
    version: str

    def __str__(self) -> str:
        return f"{self.package}=={self.version}"


@dataclass(frozen=True)
class Combination:
    """One cell of a version matrix: the extractor's release first, then each --with dependency's."""

    pins: tuple[Pin, ...]

    @property
    def label(self) -> str:
        """"trafilatura 2.0.0, lxml 5.4.0": what tables and charts call this combination."""
        return ", ".join(f"{pin.package} {pin.version}" for pin in self.pins)

    @property
    def slug(self) -> str:
        """A folder name: "trafilatura-2.0.0+lxml-5.4.0"."""
        return "+".join(f"{pin.package}-{pin.version}" for pin in self.pins).replace("/", "_")

    @property
    def requirements(self) -> tuple[str, ...]:
        return tuple(str(pin) for pin in self.pins)


@dataclass(frozen=True)
class ReleaseEnvironment:
    """A built (or reused) venv for one combination, or why it could not be built."""

    combination: Combination
    ok: bool
    path: str  # the venv folder
    python: str  # its interpreter ("" when the build failed before it existed)
    installer: str  # "uv" | "pip"
    #: distribution -> version actually installed (the pins, their dependencies, the companions)
    installed: Mapping[str, str] = field(default_factory=dict, hash=False)
    reused: bool = False
    message: str = ""  # the installer's or resolver's own words when ok is False
