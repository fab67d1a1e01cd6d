"""The plain records that cross module boundaries: nothing else does.

Every stage (corpus -> runner -> metrics -> stats -> report/gate) takes and
returns these frozen dataclasses, so each stage can start from the stored
output of the one before. Records only one stage uses live beside it and are
re-exported here: a corpus's weight (`benchmark.corpus.weights`) and a
version matrix's pins and venvs (`benchmark.versions.combinations`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # imported on first use instead (__getattr__ below)
    from benchmark.corpus.weights import CorpusWeight, PageWeight, WeightSummary
    from benchmark.versions.combinations import Combination, Pin, ReleaseEnvironment

__all__ = ["SCHEMA_VERSION", "Card", "CodeIdentity", "Combination", "Comparison", "Corpus", "CorpusWeight",
           "Extraction", "ExtractorRun", "ExtractorSpec", "ExtractorVerdict", "GateFinding", "GateVerdict", "Gold",
           "Outcome", "Page", "PageInput", "PageScore", "PageWeight", "Pick", "Pin", "Problem", "Provenance",
           "ReleaseEnvironment", "TopGroup", "UpdateResult", "WeightSummary"]

#: the records that live beside their one stage, imported from there when first asked for here: every
#: worker imports this module before its extractor, and these two would add a tenth to its cost
_BESIDE_THEIR_STAGE = {"CorpusWeight": "benchmark.corpus.weights", "PageWeight": "benchmark.corpus.weights",
                       "WeightSummary": "benchmark.corpus.weights",
                       "Combination": "benchmark.versions.combinations", "Pin": "benchmark.versions.combinations",
                       "ReleaseEnvironment": "benchmark.versions.combinations"}


def __getattr__(name: str) -> Any:
    """`from benchmark.records import CorpusWeight` and the like, re-exported lazily (PEP 562)."""
    module = _BESIDE_THEIR_STAGE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


#: Bumped whenever a stored results file changes shape; results of another
#: schema are refused by readers instead of being misread.
SCHEMA_VERSION = 1


class Outcome(str, Enum):
    """Exactly one per (extractor, page) pair; anything but OK scores as a full miss."""

    OK = "ok"
    EMPTY = "empty"  # the extractor returned no text (after whitespace strip)
    ERROR = "error"  # the extractor raised: exception type and message kept
    TIMEOUT = "timeout"  # the call passed its deadline; its worker was killed
    CRASH = "crash"  # the worker died (segfault, os._exit, memory cap ...)
    UNAVAILABLE = "unavailable"  # library not installed: a footnote, never zeros

    def __str__(self) -> str:  # so f-strings and CSVs show "ok", not "Outcome.OK"
        return self.value


@dataclass(frozen=True)
class Card:
    """The page card (`gold/<page_id>.toml`): what the page is and what must not leak."""

    url: str
    site: str
    language: str  # BCP 47, e.g. "en", "zh-Hans", "pt-BR"
    published: _dt.date | None
    layout: tuple[str, ...] = ()
    source: str = ""
    chrome: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()
    #: any further card fields, kept as strings so tables can split by them
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def era(self) -> str:
        """Coarse markup era used for split tables."""
        if self.published is None:
            return "unknown"
        year = self.published.year
        if year <= 2009:
            return "1998-2009"
        if year <= 2016:
            return "2010-2016"
        return "2017-2026"


@dataclass(frozen=True)
class Page:
    """A saved page and the codec the harness chose for it once; adapters get `html` and `raw`."""

    page_id: str
    path: str  # where it was read from, for messages
    raw: bytes  # bytes exactly as saved
    encoding: str  # the Python codec chosen once for `raw` (benchmark.corpus.decoding)
    encoding_source: str  # "bom" | "meta" | "utf-8-over-declared" | "detected" | "default" ...
    sha256: str  # of `raw`
    card: Card

    @property
    def html(self) -> str:
        """`raw` decoded with the chosen codec, on demand.

        Not stored: a decoded str costs one to four bytes per character on top
        of the bytes (measured: 1,000 AEB pages took the harness from about
        250 MB to 650 MB), and decoding with a known codec takes about a
        millisecond. Gives exactly the text decode_page produced.
        """
        return self.raw.decode(self.encoding, errors="replace")


@dataclass(frozen=True)
class Gold:
    """Hand-made truth for one page: a body text, snippets, or both."""

    page_id: str
    path: str
    #: the body as every metric and check reads it: structure marks removed (None for snippet-only datasets)
    text: str | None
    snippets_with: tuple[str, ...] = ()
    snippets_without: tuple[str, ...] = ()
    #: the gold file as written, with its structure marks (benchmark.corpus.goldmarks); None where the
    #: dataset has no structure (AEB, CleanEval, snippet sets, plain folders)
    marked: str | None = None


@dataclass(frozen=True)
class Problem:
    """One validation finding, always naming the file it is about."""

    path: str
    message: str
    page_id: str | None = None
    #: True when the page cannot be scored at all (no gold, unreadable card)
    blocks_page: bool = False
    #: "error" fails validation; "warning" (the corpus leaves real pages' ranges) and "note" (a check
    #: that could not run, and why) are shown and do not
    severity: str = "error"

    @property
    def fails(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.path}: {'' if self.fails else self.severity + ': '}{self.message}"


@dataclass(frozen=True)
class Provenance:
    """What a corpus's pages are, said before any number about them (reports open with it)."""

    #: "authored" (written for the benchmark), "real" (saved pages of real sites) or "unstated"
    kind: str
    title: str  # "boilerbench bundled corpus", "Scrapinghub article-extraction-benchmark (AEB)"
    summary: str = ""  # a paragraph a reader of the report needs
    source: str = ""  # repository or address
    years: str = ""  # when the pages were saved or written, e.g. "2018-2019"
    licence: str = ""
    #: where page language labels come from: "card" (set by an author), "declared" (the page's
    #: own <html lang>), "identified" (from the text), "dataset" (the dataset's own labels)
    languages_from: str = "card"
    #: the dataset's own metric, reported beside token F1: "aeb" (AEB's shingle F1), "snippet" (trafilatura's)
    metric: str = ""

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Corpus:
    """Pages and golds that belong together, plus every problem found loading them."""

    root: str
    name: str  # "bundled", "aeb", ... for run metadata
    pages: tuple[Page, ...]
    golds: Mapping[str, Gold] = field(hash=False)
    problems: tuple[Problem, ...] = ()
    digest: str = ""  # sha256 over page ids, page bytes and gold/card bytes
    provenance: Provenance | None = field(default=None, hash=False)
    #: how it was named on the command line when that was a dataset ("aeb:../shared/datasets/aeb"), for reproducing
    source: str = ""


@dataclass(frozen=True)
class ExtractorSpec:
    """How to run one extractor: resolved inside a worker, never in the harness."""

    name: str  # stable registry name, e.g. "trafilatura", "trafilatura-fast"
    target: str  # "module:function" imported lazily in the worker
    kind: str  # "article" | "full-text" | "baseline" | "external"
    input: str  # "text" (decoded html) or "bytes" (raw): what the adapter reads
    distribution: str | None = None  # for importlib.metadata version capture
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    modules: tuple[str, ...] = ()  # import names whose absence means "unavailable"
    install: str = ""  # the command that installs a missing one
    description: str = ""
    needs_gold: bool = False  # only the `gold` baseline reads the gold
    #: what the adapter returns: "text", "markdown" or "html" (benchmark.score.output_kinds)
    output: str = "text"


@dataclass(frozen=True)
class PageInput:
    """What a worker hands an adapter: the same for every extractor on a page."""

    page_id: str
    html: str
    raw: bytes
    encoding: str
    url: str
    language: str
    gold: str | None = None  # given only to specs with needs_gold


@dataclass(frozen=True)
class Extraction:
    """The single outcome of one extractor on one page."""

    extractor: str
    page_id: str
    outcome: Outcome
    text: str = ""
    error: str = ""  # "TypeName: message" for error; the reason for other failures
    ms: float | None = None  # the extractor call alone, wall clock
    stdout: str = ""  # what the extractor printed, captured per pair
    stderr: str = ""
    #: the spec's output kind: the raw output is kept as returned, token metrics read output_kinds.scored_text
    output: str = "text"
    cached: bool = False  # last: report/outputs.py tells a replayed pair by its line's end


@dataclass(frozen=True)
class CodeIdentity:
    """What code an extractor's results depend on (benchmark.run.code_identity): part of the cache key."""

    adapter: str  # sha256 of the adapter's module and its package-internal imports ("" when not found)
    distribution: str  # "record:<sha256>" | "git:<sha256>" | "tree:<sha256>" | "" (none or not installed)
    source: str  # for a reader: "trafilatura: installed (RECORD)", "x: editable /src/x (git 1a2b3c, clean)"
    dependencies: tuple[tuple[str, str], ...] = ()  # (distribution, version), libxml2 and python included


@dataclass(frozen=True)
class ExtractorRun:
    """Per-extractor facts recorded in run.json: what exactly was measured."""

    name: str
    kind: str
    input: str
    version: str | None
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    options_digest: str = ""
    available: bool = True
    import_ms: float | None = None  # import + warm-up, reported apart from per-page ms
    note: str = ""
    peak_rss_mb: float | None = None  # peak resident memory of the workers that ran it
    output: str = "text"  # "text" | "markdown" | "html"
    pairs_from_cache: int = 0  # pairs replayed from the cache: their ms were measured by an earlier run
    code: Mapping[str, Any] = field(default_factory=dict, hash=False)  # code_identity.as_record: digest, source, ...


@dataclass(frozen=True)
class PageScore:
    """Every metric for one (extractor, page) pair."""

    extractor: str
    page_id: str
    outcome: Outcome
    precision: float
    recall: float
    f1: float
    lcs_f1: float
    chrome_leak: float | None  # share of the card's chrome strings found; None without a card list
    chrome_leaked: tuple[str, ...] = ()
    lexicon_leaked: tuple[str, ...] = ()  # lexicon phrases in the output but not in the gold
    must_include: float | None = None  # share of must_include passages found
    must_missing: tuple[str, ...] = ()
    ms: float | None = None
    tp: int = 0  # pooled counts, for micro averages
    n_pred: int = 0
    n_gold: int = 0
    #: the dataset's own metric per page where it has one (AEB: shingle precision and recall, None where undefined)
    aeb_precision: float | None = None
    aeb_recall: float | None = None
    # structure (benchmark.score.structure): None for plain-text outputs, golds without marks, and
    # components the page has nothing of
    structure_f1: float | None = None
    heading_precision: float | None = None
    heading_recall: float | None = None
    heading_f1: float | None = None
    list_f1: float | None = None
    table_f1: float | None = None
    quote_f1: float | None = None
    order: float | None = None


@dataclass(frozen=True)
class GateFinding:
    """One thing the gate noticed, naming extractor, page and the old and new figures."""

    extractor: str
    kind: str  # mean-f1 | page-f1 | chrome-leak | corpus | version | options | pages | new | missing
    severity: str  # "fail" | "not-comparable" | "info"
    message: str
    page_id: str | None = None
    old: float | None = None
    new: float | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ExtractorVerdict:
    """The gate's answer for one extractor."""

    extractor: str
    status: str  # pass | fail | not-comparable | new | missing
    baseline_version: str | None
    run_version: str | None
    findings: tuple[GateFinding, ...] = ()


@dataclass(frozen=True)
class GateVerdict:
    """The whole answer: "pass" only when something was compared and nothing failed or was incomparable."""

    status: str  # pass | fail | not-comparable
    extractors: tuple[ExtractorVerdict, ...]
    baseline_digest: str
    run_digest: str
    across_versions: bool = False
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def findings(self) -> tuple[GateFinding, ...]:
        return tuple(f for verdict in self.extractors for f in verdict.findings)


@dataclass(frozen=True)
class UpdateResult:
    """What a re-pin wrote: pinned, kept and dropped extractors, and any floors it lowered (allowed)."""

    path: Path
    baseline: dict[str, Any]
    pinned: tuple[str, ...]
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    lowered: tuple[GateFinding, ...]


@dataclass(frozen=True)
class Comparison:
    """Mean score of `a` minus `b` over the pages both scored, with its paired-bootstrap interval and p-value."""

    a: str
    b: str
    pages: int
    diff: float
    ci_low: float
    ci_high: float
    p_value: float  # two-sided, from the paired bootstrap (share of resamples on the other side of 0, doubled)
    p_holm: float | None = None  # Holm-adjusted over the comparisons made together, where there were several
    significant: bool = False  # at 5%, after the correction where one was made


@dataclass(frozen=True)
class TopGroup:
    """The extractors not significantly behind the best on a set of pages: a tie when it has more than one."""

    group: str  # "all pages", or the language / script group the pages belong to
    pages: int
    best: str
    members: tuple[str, ...]  # best first, then by mean
    comparisons: tuple[Comparison, ...] = ()  # the best against every other candidate, Holm-corrected
    metric: str = "f1"

    @property
    def tied(self) -> bool:
        return len(self.members) > 1


@dataclass(frozen=True)
class Pick:
    """One recommendation for a common need, with the pages it rests on and its interval."""

    need: str  # "English (en) pages", "fastest of the top group", "most precise of the top group" ...
    extractor: str
    pages: int
    metric: str  # what `value` is: "F1", "precision", "ms median"
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    tied_with: tuple[str, ...] = ()  # others not significantly behind it on these pages
    note: str = ""
