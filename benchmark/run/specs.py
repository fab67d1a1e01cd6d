"""What the runner knows about each extractor spec during a run, and what run.json keeps of it.

Versions, digests and availability are found in the harness (or on the Dask
cluster) without importing any extractor; import times, peak memory, notes
and load failures are gathered as the workers report them, and become one
`ExtractorRun` per spec at the end.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Sequence

from benchmark.records import CodeIdentity, ExtractorRun, ExtractorSpec, Outcome

#: import + warm-up failures (timeout or crash) after which a spec's remaining pages are not run
MAX_LOAD_FAILURES = 2


@dataclass
class SpecState:
    """What the harness knows about one spec during and after a run."""

    spec: ExtractorSpec
    version: str | None
    options_digest: str
    code_digest: str  # code_identity.identity_digest: the cache key's code part
    code: CodeIdentity | None = None
    unavailable: str = ""  # the reason, when the library is missing
    skip: tuple[Outcome, str] | None = None  # set after MAX_LOAD_FAILURES failed loads
    load_failures: int = 0
    import_ms: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    from_cache: int = 0
    computed: int = 0
    peak_rss_mb: float | None = None

    def saw_rss(self, peak: float | None) -> None:
        if peak is not None and (self.peak_rss_mb is None or peak > self.peak_rss_mb):
            self.peak_rss_mb = float(peak)

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def load_failed(self, outcome: Outcome, error: str) -> None:
        """An import or warm-up that timed out or crashed; after MAX_LOAD_FAILURES the rest is not run."""
        self.load_failures += 1
        if self.load_failures >= MAX_LOAD_FAILURES and self.skip is None:
            reason = (f"not run: import/warm-up of {self.spec.name} failed {self.load_failures} times "
                      f"(last: {error})")
            self.skip = (outcome, reason)
            self.note(reason)


SpecFacts = tuple[str | None, str, CodeIdentity, bool]


def describe_specs(specs: Sequence[ExtractorSpec]) -> list[SpecFacts]:
    """(version, options digest, code identity, installed) per spec, found without importing any extractor.

    Module-level so a Dask worker can answer it for the cluster's environment.
    """
    from benchmark.extractors import registry
    from benchmark.run.code_identity import code_identity

    return [(registry.version_of(spec), registry.options_digest(spec), code_identity(spec),
             registry.is_installed(spec)) for spec in specs]


def spec_states(specs: Sequence[ExtractorSpec], facts: Sequence[SpecFacts]) -> list[SpecState]:
    """One state per spec from `describe_specs` facts; a spec whose library is missing is unavailable at once."""
    from benchmark.run.code_identity import identity_digest

    states = []
    for spec, (version, options_digest, code, installed) in zip(specs, facts):
        state = SpecState(spec=spec, version=version, options_digest=options_digest,
                          code_digest=identity_digest(code), code=code)
        if not installed:
            missing = ", ".join(spec.modules) or spec.target
            state.unavailable = f"not installed ({missing})" + (f"; install: {spec.install}"
                                                                if spec.install else "")
            state.note(state.unavailable)
        states.append(state)
    return states


def extractor_run(state: SpecState) -> ExtractorRun:
    """The facts run.json keeps about one spec: version, options digest, import + warm-up time, notes."""
    from benchmark.run.code_identity import as_record

    spec = state.spec
    notes = list(state.notes)
    if state.from_cache:
        notes.append(f"{state.from_cache} of {state.from_cache + state.computed} pages from the cache")
    if len(state.import_ms) > 1:
        notes.append(f"import_ms: median of {len(state.import_ms)} worker starts")
    return ExtractorRun(
        name=spec.name, kind=spec.kind, input=spec.input, version=state.version,
        options=dict(spec.options), options_digest=state.options_digest,
        available=not state.unavailable,
        import_ms=round(statistics.median(state.import_ms), 3) if state.import_ms else None,
        note="; ".join(notes), output=spec.output, peak_rss_mb=state.peak_rss_mb,
        pairs_from_cache=state.from_cache,
        code=as_record(state.code) if state.code is not None else {})
