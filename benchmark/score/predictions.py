"""Read predictions made elsewhere (another language, another harness) as Extraction records.

Two layouts, told apart by content, not by file name:

* AEB-style JSON: ``{page_id: {"articleBody": text}}``, optionally wrapped
  as ``{"version": ..., "output": {...}}`` (the article extraction
  benchmark's own output files). A null or absent ``articleBody`` is an
  empty prediction, as that benchmark's scorer reads it. A bare string value
  (``{page_id: text}``) is accepted too.
* JSON lines: one ``{"page_id": ..., "text": ...}`` object per line (a null
  text is an empty prediction). Lines may carry an ``outcome`` (ok, empty,
  error, timeout, crash) and ``error``, as boilerbench's own
  ``extractions.jsonl`` does, so a filtered log of ours scores as it was.

JSON lines are read line by line, so a file of any size costs about its
texts in memory; a one-piece JSON document is parsed whole (about three times
its size at the peak), so one over `MAX_JSON_BYTES` is refused with a message
that says to write JSON lines instead. Nesting too deep for the parser is an
error naming the file, like any other malformed input.

Every problem raises `PredictionsError` naming the file (and line) and what
to do; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import IO, Any, Collection, Iterator, Mapping, Sequence

from benchmark.records import Extraction, Outcome

__all__ = ["PredictionsError", "read_predictions", "check_ids"]

#: how many ids a missing/extra message names before "and N more"
_SHOWN_IDS = 10
#: a one-piece JSON predictions file larger than this is refused (JSON lines of any size are streamed):
#: 256 MB parses in about 0.8 GB; AEB's own output files are a few MB
MAX_JSON_BYTES = 256 * 1024 * 1024


class PredictionsError(ValueError):
    """A predictions file that cannot be scored; the message names the file and says what to do."""


def _outcome_for(text: str, declared: Any, where: str) -> Outcome:
    """The outcome of a prediction: its own where given (our logs), else ok/empty from the text."""
    if declared is None:
        return Outcome.OK if text.strip() else Outcome.EMPTY
    try:
        outcome = Outcome(declared)
    except ValueError:
        known = ", ".join(o.value for o in Outcome)
        raise PredictionsError(f"{where}: outcome {declared!r} is not one of {known}") from None
    if outcome is Outcome.OK and not text.strip():
        return Outcome.EMPTY
    return outcome


def _unwrap(data: dict) -> tuple[dict, str | None]:
    """AEB's ``{"version": ..., "output": {...}}`` wrapper off, and the version it states."""
    if "output" in data and isinstance(data["output"], dict) and set(data) <= {"output", "version"}:
        version = data.get("version")
        return data["output"], str(version) if version is not None else None
    return data, None


def _from_aeb(output: dict, path: Path, name: str) -> list[Extraction]:
    extractions = []
    for page_id, value in output.items():
        if isinstance(value, dict):
            text = value.get("articleBody")
        elif isinstance(value, str) or value is None:
            text = value
        else:
            raise PredictionsError(f"{path}: the value for {page_id!r} is {type(value).__name__}; write "
                                   '{"articleBody": "..."} (AEB layout) for every page')
        if text is not None and not isinstance(text, str):
            raise PredictionsError(f"{path}: articleBody of {page_id!r} is {type(text).__name__}, not a string")
        text = text or ""
        extractions.append(Extraction(extractor=name, page_id=page_id, outcome=_outcome_for(text, None, str(path)),
                                      text=text))
    return extractions


def _loads(text: str, where: str, invalid: str) -> Any:
    """json.loads; every failure a PredictionsError naming where: `invalid` (with {error}) or too deep."""
    try:
        return json.loads(text)
    except RecursionError:
        raise PredictionsError(f"{where}: nested too deeply to read (JSON arrays or objects thousands of levels "
                               "deep); predictions are {page_id: {\"articleBody\": text}} or JSON lines of "
                               '{"page_id": ..., "text": ...}') from None
    except ValueError as exc:
        raise PredictionsError(f"{where}: " + invalid.format(error=exc)) from None


def _lines(handle: IO[bytes], path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, decoded as UTF-8 one at a time (a BOM on the first is dropped)."""
    for number, data in enumerate(handle, start=1):
        if number == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            yield number, data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PredictionsError(f"{path}:{number}: not UTF-8 (byte {exc.start} of the line); save the file as "
                                   "UTF-8") from None


def _from_jsonl(lines: Iterator[tuple[int, str]], path: Path, name: str) -> list[Extraction]:
    extractions: list[Extraction] = []
    first_line: dict[str, int] = {}
    extractors: set[str] = set()
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{path}:{number}"
        record = _loads(line, where, 'not valid JSON ({error}); each line must be {{"page_id": ..., "text": ...}}')
        if not isinstance(record, dict) or not isinstance(record.get("page_id"), str):
            raise PredictionsError(f'{where}: each line must be an object with a "page_id" string and a "text"')
        page_id, text = record["page_id"], record.get("text")
        if text is not None and not isinstance(text, str):
            raise PredictionsError(f"{where}: text of {page_id!r} is {type(text).__name__}, not a string")
        if page_id in first_line:
            raise PredictionsError(f"{where}: page {page_id!r} again (first on line {first_line[page_id]}); "
                                   "keep one prediction per page")
        first_line[page_id] = number
        if isinstance(record.get("extractor"), str):
            extractors.add(record["extractor"])
        text = text or ""
        error = record.get("error") if isinstance(record.get("error"), str) else ""
        extractions.append(Extraction(extractor=name, page_id=page_id,
                                      outcome=_outcome_for(text, record.get("outcome"), where),
                                      text=text, error=error))
    if len(extractors) > 1:
        raise PredictionsError(f"{path}: holds predictions of several extractors ({', '.join(sorted(extractors))}); "
                               "use `boilerbench score --run RUN_DIR` for a run, or keep one extractor's lines")
    return extractions


def read_predictions(path: Path, name: str, *, max_json_bytes: int = MAX_JSON_BYTES
                     ) -> tuple[list[Extraction], str | None]:
    """One Extraction per predicted page, labelled `name`, and the version the file states (AEB wrapper).

    JSON lines are streamed; a one-piece JSON file over max_json_bytes is
    refused. Raises PredictionsError on bad input.
    """
    try:
        with open(path, "rb") as handle:
            first = _first_record(handle, path)
            if first is None:
                raise PredictionsError(f"{path}: empty; write AEB-style JSON or JSON lines of page_id/text")
            # a JSON-lines file: its first line is one complete {"page_id": ...} object
            if isinstance(first, dict) and isinstance(first.get("page_id"), str):
                handle.seek(0)
                return _from_jsonl(_lines(handle, path), path, name), None
            size = os.fstat(handle.fileno()).st_size
            if size > max_json_bytes:
                raise PredictionsError(
                    f"{path}: a JSON document of {size} bytes, over the {max_json_bytes}-byte limit for one-piece "
                    'JSON; write JSON lines instead (one {"page_id": ..., "text": ...} per line), which are read '
                    "line by line at any size")
            handle.seek(0)
            data = handle.read()
    except OSError as exc:
        raise PredictionsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PredictionsError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8 JSON") from None
    del data
    document = _loads(text, str(path), 'neither JSON ({error}) nor JSON lines of {{"page_id": ..., "text": ...}}; '
                                       "fix the syntax")
    if not isinstance(document, dict):
        raise PredictionsError(f"{path}: the top level is a JSON {type(document).__name__}; write "
                               '{page_id: {"articleBody": text}} or JSON lines of {"page_id", "text"}')
    output, version = _unwrap(document)
    return _from_aeb(output, path, name), version


#: the longest first line read to tell JSON lines from one-piece JSON (a minified document is one long line)
_FIRST_LINE_BYTES = 1 << 20


def _first_record(handle: IO[bytes], path: Path) -> Any:
    """The first non-blank line parsed as JSON (None for an empty file, ... when it is not one JSON value)."""
    for _ in range(10_000):
        data = handle.readline(_FIRST_LINE_BYTES)
        if not data:
            return None
        data = data.removeprefix(codecs.BOM_UTF8)
        if not data.strip():
            continue
        if not data.endswith(b"\n") and len(data) == _FIRST_LINE_BYTES:
            return ...  # a longer first line: one-piece JSON, or a JSON-lines file that is not ours
        try:
            return json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return ...
    return ...


def _listed(ids: Collection[str]) -> str:
    shown = sorted(ids)[:_SHOWN_IDS]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def check_ids(path: Path, extractions: Sequence[Extraction], expected: Collection[str],
              skipped: Mapping[str, str] | None = None) -> None:
    """Raise PredictionsError naming the pages predicted but unknown, and the pages not predicted.

    `skipped` maps page ids the dataset lists but cannot score (unreadable
    page) to the reason; predictions for them are not "extra", they are named
    apart.
    """
    skipped = dict(skipped or {})
    predicted = {e.page_id for e in extractions}
    expected = set(expected)
    missing = expected - predicted
    extra = predicted - expected - set(skipped)
    messages = []
    if missing:
        messages.append(f"{len(missing)} page(s) of the dataset have no prediction: {_listed(missing)}. "
                        "Add them (an empty text for a page the extractor failed on)")
    if extra:
        messages.append(f"{len(extra)} predicted id(s) are not in the dataset: {_listed(extra)}. Remove them, "
                        "or check that --dataset names the dataset the predictions were made on")
    if messages:
        raise PredictionsError(f"{path}: " + "; ".join(messages) + ".")
