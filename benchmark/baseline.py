"""results/baseline.json, the committed floors of the regression gate: its shape, checked reading, atomic writing.

The file pins, per extractor, its version and options digest, the corpus
digest, the macro F1, the chrome leak rate and every page's F1; gate.py
compares runs with it and re-pins it. A file that cannot be used is a
`BaselineError` naming the file, each problem and what to do.

`gate --update` seals what it writes with ``content_sha256``, the sha256 of
the rest of the document in canonical JSON (sorted keys, no whitespace), so
re-indenting the file changes nothing but a hand edit of any figure (a floor
lowered to let a drop through) is found on reading: `BaselineEdited`, and the
gate fails. Not a defence against someone who recomputes the digest: a
guard against an edit that would otherwise pass review as "improved".
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any, Mapping

BASELINE_SCHEMA_VERSION = 1
#: the key holding the seal `gate --update` writes
SEAL_KEY = "content_sha256"


class BaselineError(Exception):
    """A baseline file (or run) that cannot be used; the message names the file and what to do."""


class BaselineEdited(BaselineError):
    """The baseline's figures do not match the seal `gate --update` wrote: it was changed by hand."""


def content_digest(data: Mapping[str, Any]) -> str:
    """sha256 of a baseline without its seal, in canonical JSON (key order and whitespace do not count)."""
    unsealed = {key: value for key, value in data.items() if key != SEAL_KEY}
    canonical = json.dumps(unsealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_seal(data: Mapping[str, Any], source: str) -> None:
    """Raise BaselineEdited unless the baseline carries the seal of exactly its content."""
    seal = data.get(SEAL_KEY)
    if seal == content_digest(data):
        return
    what = ("has no seal (content_sha256), so it was not written by `boilerbench gate --update`"
            if seal is None else "does not match its seal (content_sha256)")
    raise BaselineEdited(f"{source}: baseline changed outside `gate --update`: re-pin. The file {what}: a hand "
                         "edit could lower a floor unseen. Restore it from version control, or re-pin from a "
                         "complete run with `boilerbench gate RUN_DIR --update --allow-regression` after checking "
                         "the run's figures.")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _score(value: Any) -> bool:
    return _is_number(value) and 0.0 <= value <= 1.0


def _problems(data: Any) -> list[str]:
    """Everything wrong with a baseline's shape (empty when it is usable)."""
    if not isinstance(data, dict):
        return [f"expected a JSON object, found {type(data).__name__}"]
    if data.get("schema_version") != BASELINE_SCHEMA_VERSION:
        return [f"schema_version {data.get('schema_version')!r}, this boilerbench reads "
                f"{BASELINE_SCHEMA_VERSION}"]
    problems = []
    if not isinstance(data.get("corpus_digest"), str) or not data.get("corpus_digest"):
        problems.append("corpus_digest missing or not a string")
    if not isinstance(data.get("created"), str):
        problems.append("created missing or not a string")
    extractors = data.get("extractors")
    if not isinstance(extractors, dict):
        return [*problems, "extractors missing or not an object"]
    for name, entry in extractors.items():
        if not isinstance(entry, dict):
            problems.append(f"extractors.{name}: not an object")
            continue
        for key in ("version", "options_digest"):
            if key not in entry or not (entry[key] is None or isinstance(entry[key], str)):
                problems.append(f"extractors.{name}.{key}: missing or not a string")
        if not _score(entry.get("f1_mean")):
            problems.append(f"extractors.{name}.f1_mean: missing or not a number in [0, 1]")
        if "chrome_leak_rate" not in entry or not (entry["chrome_leak_rate"] is None
                                                   or _score(entry["chrome_leak_rate"])):
            problems.append(f"extractors.{name}.chrome_leak_rate: missing or not a number in [0, 1] (or null)")
        pages = entry.get("pages")
        if not isinstance(pages, dict) or not pages:
            problems.append(f"extractors.{name}.pages: missing, empty or not an object")
            continue
        bad = [page for page, f1 in pages.items() if not _score(f1)]
        if bad:
            problems.append(f"extractors.{name}.pages: F1 not a number in [0, 1] for {', '.join(sorted(bad)[:5])}")
    return problems


_REMEDY = ("Restore the committed file from version control, or delete it and re-create it from a run "
           "with `boilerbench gate RUN_DIR --update`.")


def validate_baseline(data: Any, *, source: str = "baseline") -> dict[str, Any]:
    """Return `data` if it is a usable baseline, else raise BaselineError naming each problem."""
    problems = _problems(data)
    if problems:
        raise BaselineError(f"{source}: not a usable boilerbench baseline ({'; '.join(problems)}). {_REMEDY}")
    return data


def load_baseline(path: Path) -> dict[str, Any]:
    """Read and check a baseline file; every failure is a BaselineError that says what to do."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no baseline file. Create one from a finished run with "
                            "`boilerbench gate RUN_DIR --update`.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot be read ({exc}). {_REMEDY}") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise BaselineError(f"{path}: nested too deeply to read; the file is corrupted. {_REMEDY}") from None
    except ValueError as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise BaselineError(f"{path}: not valid JSON{where} ({getattr(exc, 'msg', exc)}); the file is "
                            f"corrupted. {_REMEDY}") from None
    validate_baseline(data, source=str(path))
    check_seal(data, str(path))
    return data


def write_baseline(path: Path, baseline: Mapping[str, Any]) -> dict[str, Any]:
    """Seal the baseline and replace the file atomically (temp file, fsync, os.replace); the sealed document."""
    path = Path(path)
    validate_baseline(baseline, source="baseline to write")
    # key order as built (schema_version first, names and pages sorted by `update`) for readable diffs
    from benchmark.results import atomic_write_text

    sealed = {key: value for key, value in baseline.items() if key != SEAL_KEY}
    sealed[SEAL_KEY] = content_digest(sealed)
    atomic_write_text(path, json.dumps(sealed, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    return sealed
