"""The regression gate: a run against the floors committed in results/baseline.json.

The baseline pins, per extractor, its version and options digest, the corpus
digest, the macro F1, the chrome leak rate and every page's F1::

    {"schema_version": 1, "corpus_digest": "...", "created": "2026-...Z",
     "extractors": {"trafilatura": {"version": "2.3.1", "options_digest": "...",
                    "f1_mean": 0.912345, "chrome_leak_rate": 0.05,
                    "pages": {"cnn-2008-bush-putin-sochi": 0.912, ...}}}}

(baseline.py reads, checks and writes that file.) A run is compared only
with floors it can be compared with: another corpus digest, extractor
version or options digest makes an extractor "not-comparable" (never pass
or fail) unless the caller asks to compare across versions, which is how a
maintainer checks an upgrade. Re-pinning writes atomically and refuses to
lower a floor unless told to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from benchmark.baseline import (BASELINE_SCHEMA_VERSION, BaselineEdited, BaselineError, load_baseline,
                                validate_baseline, write_baseline)
from benchmark.records import ExtractorVerdict, GateFinding, GateVerdict, UpdateResult

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

# Tolerances. The extractors measured here are deterministic: the same
# version with the same options on the same page bytes returns the same text,
# and the scorer is deterministic, so a re-run on an unchanged setup gives the
# same figures. We have not measured any run-to-run noise to justify a margin
# from; the margins below are policy, sized by what a change must amount to
# before a maintainer should be stopped, and they also absorb float
# summation-order effects (~1e-15).
#
#: A mean F1 drop beyond this fails. Diffuse drift that no single page shows:
#: on a 40-page corpus it is a total loss of 0.2 F1, e.g. ten pages losing
#: 0.02 each (each within PAGE_F1_TOLERANCE) or one page losing 0.2.
MEAN_F1_TOLERANCE = 0.005
#: A page F1 drop beyond this fails: about one short paragraph (~20 tokens)
#: lost on a 500-token article (recall 0.96, F1 1.0 -> 0.980).
PAGE_F1_TOLERANCE = 0.02
#: The chrome leak rate must not rise at all; this only absorbs float noise.
#: Figures are compared as pinned (PIN_DECIMALS), so rounding cannot trip it.
CHROME_LEAK_TOLERANCE = 1e-9
#: Figures are stored with 6 decimals so re-pins make readable diffs; the run's
#: figures are rounded the same way before any comparison, so an unchanged
#: run equals its pins exactly and rounding (<= 5e-7) never counts as a change.
PIN_DECIMALS = 6
#: Float slack on the F1 comparisons, so a drop of exactly the tolerance
#: (0.9 -> 0.88 is 0.020000000000000018 in floats) passes as documented.
_FLOAT_SLACK = 1e-9

PASS, FAIL, NOT_COMPARABLE, NEW, MISSING = "pass", "fail", "not-comparable", "new", "missing"


class UpdateRefused(BaselineError):
    """Re-pinning would lower a floor and allow_regression was not given."""

    def __init__(self, message: str, lowered: tuple[GateFinding, ...]) -> None:
        super().__init__(message)
        self.lowered = lowered


@dataclass(frozen=True)
class _Figures:
    """One extractor's figures in a run, rounded as they would be pinned."""

    f1_mean: float
    chrome_leak_rate: float | None
    pages: dict[str, float]
    outcomes: dict[str, str]


# ---------------------------------------------------------------- run figures


def _pin(value: float | None) -> float | None:
    """A figure as the baseline stores it (None for NaN: a metric without pages)."""
    if value is None or value != value:
        return None
    return round(float(value), PIN_DECIMALS)


def _run_figures(run_scores: pd.DataFrame) -> dict[str, _Figures]:
    """Per available extractor: the figures the gate compares, from the per-page scores."""
    from benchmark.stats.summary import point_means, scored_pages

    frame = scored_pages(run_scores)
    means = point_means(run_scores).set_index("extractor")
    figures = {}
    for name, group in frame.groupby("extractor", sort=True):
        figures[name] = _Figures(
            f1_mean=_pin(means.loc[name, "f1_mean"]),
            chrome_leak_rate=_pin(means.loc[name, "chrome_leak_rate"]),
            pages={page: _pin(f1) for page, f1 in zip(group["page_id"], group["f1"])},
            outcomes=dict(zip(group["page_id"], group["outcome"])),
        )
    return figures


def _available_names(run_summary: pd.DataFrame | None, figures: Mapping[str, _Figures]) -> set[str]:
    """Extractors with scored pages; a summary saying available=False wins (a footnote, not a row)."""
    names = set(figures)
    if run_summary is not None and "available" in getattr(run_summary, "columns", ()):
        flags = dict(zip(run_summary["extractor"].map(str), run_summary["available"]))
        names = {n for n in names if str(flags.get(n, True)).lower() not in {"false", "0"}}
    return names


def _entry(version: str | None, options_digest: str | None, figures: _Figures) -> dict[str, Any]:
    return {"version": version, "options_digest": options_digest, "f1_mean": figures.f1_mean,
            "chrome_leak_rate": figures.chrome_leak_rate, "pages": dict(sorted(figures.pages.items()))}


# ---------------------------------------------------------------- comparison


def _digits(delta: float, tolerance: float) -> int:
    """Enough decimals that a delta just beyond the tolerance does not print as equal to it."""
    for digits in range(3, 10):
        if round(abs(delta), digits) != round(tolerance, digits):
            return digits
    return 9


def _change(old: float, new: float, tolerance: float) -> tuple[str, str, str, int]:
    digits = _digits(new - old, tolerance)
    return f"{old:.{digits}f}", f"{new:.{digits}f}", f"{new - old:+.{digits}f}", digits


def _floor_findings(name: str, entry: Mapping[str, Any], figures: _Figures, *, pages: Iterable[str],
                    severity: str = "fail") -> list[GateFinding]:
    """Every floor the run's figures fall below (beyond tolerance), and every rise beyond it (info)."""
    findings = []
    old_mean, new_mean = entry["f1_mean"], figures.f1_mean
    if new_mean is not None:
        old, new, delta, _ = _change(old_mean, new_mean, MEAN_F1_TOLERANCE)
        if old_mean - new_mean > MEAN_F1_TOLERANCE + _FLOAT_SLACK:
            findings.append(GateFinding(name, "mean-f1", severity, f"{name}: mean F1 {old} -> {new} "
                                        f"({delta} > {MEAN_F1_TOLERANCE:g})", old=old_mean, new=new_mean))
        elif new_mean - old_mean > MEAN_F1_TOLERANCE:
            findings.append(GateFinding(name, "mean-f1", "info", f"{name}: mean F1 {old} -> {new} ({delta}, "
                                        "improved; --update raises the floor)", old=old_mean, new=new_mean))
    old_leak, new_leak = entry["chrome_leak_rate"], figures.chrome_leak_rate
    if old_leak is not None and new_leak is not None and new_leak - old_leak > CHROME_LEAK_TOLERANCE:
        old, new, delta, _ = _change(old_leak, new_leak, CHROME_LEAK_TOLERANCE)
        findings.append(GateFinding(name, "chrome-leak", severity, f"{name}: chrome leak rate {old} -> {new} "
                                    f"({delta}; it must not rise)", old=old_leak, new=new_leak))
    elif old_leak is None and new_leak is not None and new_leak > CHROME_LEAK_TOLERANCE:
        findings.append(GateFinding(name, "chrome-leak", severity, f"{name}: chrome leak rate none pinned -> "
                                    f"{new_leak:.3f} (it must not rise)", new=new_leak))
    for page in sorted(pages):
        old_f1, new_f1 = entry["pages"][page], figures.pages[page]
        old, new, delta, _ = _change(old_f1, new_f1, PAGE_F1_TOLERANCE)
        outcome = figures.outcomes.get(page, "ok")
        suffix = "" if outcome == "ok" else f"; outcome {outcome}"
        if old_f1 - new_f1 > PAGE_F1_TOLERANCE + _FLOAT_SLACK:
            findings.append(GateFinding(name, "page-f1", severity, f"{name}: page {page} F1 {old} -> {new} "
                                        f"({delta} > {PAGE_F1_TOLERANCE:g}{suffix})", page_id=page,
                                        old=old_f1, new=new_f1))
        elif new_f1 - old_f1 > PAGE_F1_TOLERANCE:
            findings.append(GateFinding(name, "page-f1", "info", f"{name}: page {page} F1 {old} -> {new} "
                                        f"({delta}, improved)", page_id=page, old=old_f1, new=new_f1))
    return findings


def _short(digest: str | None) -> str:
    return (digest or "none")[:12]


def _page_set_problem(name: str, pinned: set[str], scored: set[str]) -> str | None:
    """Why two page sets under one corpus digest differ (a partial run), or None."""
    if pinned == scored:
        return None
    missing, extra = sorted(pinned - scored), sorted(scored - pinned)
    parts = [f"{name}: this run scored {len(scored)} pages, the baseline pins {len(pinned)}"]
    if missing:
        parts.append(f"not scored: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    if extra:
        parts.append(f"not pinned: {', '.join(extra[:5])}{' ...' if len(extra) > 5 else ''}")
    return "; ".join(parts) + " (a partial run?)"


def compare(baseline: Mapping[str, Any], run_summary: pd.DataFrame | None, run_scores: pd.DataFrame,
            run_versions: Mapping[str, str | None], corpus_digest: str, *, across_versions: bool = False,
            run_options_digests: Mapping[str, str | None] | None = None,
            only: Iterable[str] | None = None) -> GateVerdict:
    """Judge a run against the baseline, extractor by extractor.

    Figures come from `run_scores` (per page, full precision) so they are
    exactly what `update` would pin; `run_summary` only says which
    extractors were unavailable. Options digests are checked when given.
    `only` restricts the verdict to those extractors.
    """
    baseline = validate_baseline(baseline)
    figures = _run_figures(run_scores)
    available = _available_names(run_summary, figures)
    pinned: Mapping[str, Mapping[str, Any]] = baseline["extractors"]
    options = run_options_digests or {}
    same_corpus = baseline["corpus_digest"] == corpus_digest
    names = sorted(set(pinned) | available)
    if only is not None:
        names = [n for n in names if n in set(only)]

    verdicts = []
    for name in names:
        entry = pinned.get(name)
        run_version = run_versions.get(name)
        if entry is None:
            verdicts.append(ExtractorVerdict(name, NEW, None, run_version, (GateFinding(
                name, "new", "info", f"{name}: not in the baseline; pin it with `boilerbench gate --update`"),)))
            continue
        if name not in available:
            # a floor that was not checked is not a pass: the gate fails to check it (exit 1)
            why = "unavailable in this run" if name in figures or name in run_versions else "not in this run"
            verdicts.append(ExtractorVerdict(name, MISSING, entry["version"], run_version, (GateFinding(
                name, "missing", FAIL, f"{name}: pinned in the baseline but {why}, so its floors were not "
                "checked: run it (installed), or limit the gate with --only"),)))
            continue
        findings: list[GateFinding] = []
        if not same_corpus:
            findings.append(GateFinding(name, "corpus", NOT_COMPARABLE, f"{name}: corpus digest "
                                        f"{_short(baseline['corpus_digest'])} -> {_short(corpus_digest)}; the "
                                        "floors were pinned on another corpus: re-pin with --update"))
        for kind, old, new in (("version", entry["version"], run_version),
                               ("options", entry["options_digest"], options.get(name))):
            if old == new or (kind == "options" and not (old and new)):
                continue  # an options digest unknown on either side is not evidence of a change
            label = "version" if kind == "version" else "options digest"
            shown = (old, new) if kind == "version" else (_short(old), _short(new))
            if across_versions:
                findings.append(GateFinding(name, kind, "info", f"{name}: {label} {shown[0]} -> {shown[1]} "
                                            "(compared across versions)"))
            else:
                findings.append(GateFinding(name, kind, NOT_COMPARABLE, f"{name}: {label} {shown[0]} -> "
                                            f"{shown[1]}; not comparable. Check the change with "
                                            "--across-versions, then re-pin with --update"))
        run = figures[name]
        if same_corpus:
            problem = _page_set_problem(name, set(entry["pages"]), set(run.pages))
            if problem:
                findings.append(GateFinding(name, "pages", NOT_COMPARABLE, problem))
        if any(f.severity == NOT_COMPARABLE for f in findings):
            status = NOT_COMPARABLE
        else:
            findings += _floor_findings(name, entry, run, pages=entry["pages"])
            status = FAIL if any(f.severity == FAIL for f in findings) else PASS
        verdicts.append(ExtractorVerdict(name, status, entry["version"], run_version, tuple(findings)))

    statuses = {v.status for v in verdicts}
    notes = []
    if FAIL in statuses or MISSING in statuses:
        overall = FAIL
    elif NOT_COMPARABLE in statuses:
        overall = NOT_COMPARABLE
    elif PASS in statuses:
        overall = PASS
    else:
        overall = NOT_COMPARABLE
    if not statuses & {PASS, FAIL, NOT_COMPARABLE}:
        notes.append("no extractor is both pinned in the baseline and scored in this run: nothing was compared")
    return GateVerdict(overall, tuple(verdicts), baseline["corpus_digest"], corpus_digest, across_versions,
                       tuple(notes))


# ---------------------------------------------------------------- re-pinning


def update(baseline_path: Path, run_summary: pd.DataFrame | None, run_scores: pd.DataFrame,
           run_versions: Mapping[str, str | None], corpus_digest: str, *,
           run_options_digests: Mapping[str, str | None] | None = None, allow_regression: bool = False,
           only: Iterable[str] | None = None, now: dt.datetime | None = None) -> UpdateResult:
    """Re-pin floors from a run, atomically; refuse to lower any floor unless allow_regression.

    Lowering a floor means: mean F1 or a page's F1 dropping beyond its
    tolerance, the chrome leak rate rising, or (when the corpus changed)
    dropping the floors of extractors this update does not re-pin. Floors
    are compared whatever the versions: a floor is a floor. Extractors can be
    added; `only` restricts which are re-pinned; the others keep their pins.
    """
    path = Path(baseline_path)
    existing = None
    if path.exists():
        try:
            existing = load_baseline(path)
        except BaselineEdited:
            if not allow_regression:  # its floors cannot be trusted, so they cannot be checked either
                raise
            existing = None  # re-pinned from this run, as when there was no file
    figures = _run_figures(run_scores)
    available = _available_names(run_summary, figures)
    options = run_options_digests or {}
    if only is not None:
        wanted = list(dict.fromkeys(only))
        unknown = [n for n in wanted if n not in available]
        if unknown:
            raise BaselineError(f"cannot pin {', '.join(unknown)}: not scored in this run (scored: "
                                f"{', '.join(sorted(available)) or 'none'})")
        names = wanted
    else:
        names = sorted(available)
    if not names:
        raise BaselineError("nothing to pin: no extractor has scored pages in this run")

    old_entries: dict[str, Any] = dict(existing["extractors"]) if existing else {}
    corpus_changed = existing is not None and existing["corpus_digest"] != corpus_digest
    lowered: list[GateFinding] = []
    if existing is not None and not corpus_changed:
        reference = next(iter(old_entries.values()), None)
        for name in names:
            pinned_pages = set((old_entries.get(name) or reference or {"pages": figures[name].pages})["pages"])
            problem = _page_set_problem(name, pinned_pages, set(figures[name].pages))
            if problem:
                raise BaselineError(f"{path}: refusing to pin from a partial run: {problem}. Pin from a run "
                                    "over the whole corpus.")
    for name in names:
        if name in old_entries:
            entry = old_entries[name]
            shared = set(entry["pages"]) & set(figures[name].pages)
            lowered += [f for f in _floor_findings(name, entry, figures[name], pages=shared)
                        if f.severity == FAIL]
    dropped: list[str] = []
    if corpus_changed:
        dropped = sorted(set(old_entries) - set(names))
        lowered += [GateFinding(n, "missing", FAIL, f"{n}: its floors were pinned on corpus "
                                f"{_short(existing['corpus_digest'])} and would be dropped (not re-pinned from "
                                f"this run on corpus {_short(corpus_digest)})") for n in dropped]
    if lowered and not allow_regression:
        listing = "\n".join(f"  - {finding}" for finding in lowered)
        raise UpdateRefused(f"{path}: refusing to lower floors:\n{listing}\nFix the regression, or if it is "
                            "intended (an accepted trade-off, a corrected gold, a changed corpus), re-pin with "
                            "--allow-regression.", tuple(lowered))

    entries = {} if corpus_changed else dict(old_entries)
    for name in names:
        entries[name] = _entry(run_versions.get(name), options.get(name), figures[name])
    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    baseline = {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "corpus_digest": corpus_digest,
        "created": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "extractors": dict(sorted(entries.items())),
    }
    baseline = write_baseline(path, baseline)
    kept = tuple(sorted(set(entries) - set(names)))
    return UpdateResult(path, baseline, tuple(names), kept, tuple(dropped), tuple(lowered))
