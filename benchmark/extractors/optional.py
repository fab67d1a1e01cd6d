"""Registrations and adapters for the optional extractors (issue 7): installed or not, listed anyway."""

from __future__ import annotations

from benchmark.records import ExtractorSpec


def optional_specs() -> list[ExtractorSpec]:
    """Specs of the optional libraries; each is 'unavailable' until its library is installed."""
    return []
