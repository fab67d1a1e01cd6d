"""WebMainBench (OpenDataLab): JSON lines, one page each, with its HTML and its main content as Markdown.

Each line needs ``html`` and ``groundtruth_content`` (the main content as
Markdown) and an id (``track_id``, else ``id``); ``url``, ``language`` (or
``meta.language``), ``layout_type`` and ``meta.style`` are used when present.
PATH is the ``.jsonl`` file, or a folder whose ``*.jsonl`` files are read in
name order. The full set comes from WebMainBench's own distribution; this
importer only reads it.

The gold is the Markdown made plain where Markdown would add words no page
shows: images are dropped, a link keeps its text but not its address, code
fences and backslash escapes go; headings and list marks stay (they are not
words, and the tokenizer ignores them). The HTML is stored as UTF-8 bytes.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from benchmark.corpus.datasets.common import Digest, dataset_page, safe_page_ids
from benchmark.corpus.file_reader import MAX_PAGE_BYTES, member_path
from benchmark.corpus.goldmarks import plain_text
from benchmark.corpus.marking import markdown_to_marked
from benchmark.records import Corpus, Gold, Page, Problem, Provenance

SOURCE = "WebMainBench, OpenDataLab (Apache-2.0)"
PROVENANCE = Provenance(
    kind="real", title="WebMainBench (OpenDataLab)",
    summary="Real web pages from Common Crawl, of many kinds (articles, forums, product pages, documentation ...) "
            "and languages, with the main content marked by hand and kept as Markdown; images and link addresses "
            "are dropped from the gold here.",
    source="https://github.com/opendatalab/WebMainBench", years="", licence="Apache-2.0",
    languages_from="dataset")
_CRAWL_RE = re.compile(r"CC-MAIN-(\d{4})-(\d{2})")
_REQUIRED = ("html", "groundtruth_content")
#: one line holds a page, its gold and the set's other renderings of it: a few pages' worth at most
MAX_LINE_BYTES = 4 * MAX_PAGE_BYTES
#: the fields this importer reads; the rest of a line (other renderings of the page, model outputs) is let go
_KEPT = ("track_id", "id", "url", "language", "meta", "layout_type", "raw_warc_path", *_REQUIRED)


def _files(path: Path) -> list[Path]:
    return sorted(path.glob("*.jsonl")) if path.is_dir() else [path]


def _field(record: dict[str, Any], *keys: str) -> str:
    """The first of the keys (``meta.x`` looks inside ``meta``) that holds a non-empty string."""
    for key in keys:
        holder, _, name = key.rpartition(".")
        scope = record.get(holder) if holder else record
        value = scope.get(name) if isinstance(scope, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _lines(handle, file: Path, problems: list[Problem]):
    """(line number, bytes) of each line, read in bounded steps; a line over the limit is a problem and skipped."""
    number = 0
    while line := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            problems.append(Problem(f"{file}:{number}", f"line longer than {MAX_LINE_BYTES} bytes: skipped", None,
                                    True))
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            continue
        yield number, line


def _records(path: Path, problems: list[Problem]):
    """(file, line number, record) for every well-formed line; each bad line is a problem naming file:line.

    The file is streamed (the full set is larger than any one read should be),
    so its size is bounded per line, not per file.
    """
    for file in _files(path):
        if not file.is_file():  # a FIFO or a device would block or never end
            problems.append(Problem(str(file), "not a regular file: refused", None, True))
            continue
        if path.is_dir() and member_path(path, file.name) is None:
            problems.append(Problem(str(file), f"a link out of {path}: refused (copy the file in if it belongs "
                                    "there)", None, True))
            continue
        try:
            handle = file.open("rb")
        except OSError as exc:
            problems.append(Problem(str(file), f"cannot read ({exc.strerror or exc})", None, True))
            continue
        with handle:
            for number, line in _lines(handle, file, problems):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError) as exc:
                    problems.append(Problem(f"{file}:{number}", f"not a JSON object ({type(exc).__name__}): "
                                            "skipped", None, True))
                    continue
                missing = [key for key in _REQUIRED if not isinstance(record.get(key) if isinstance(record, dict)
                                                                       else None, str)]
                if missing:
                    problems.append(Problem(f"{file}:{number}", f"no {' or '.join(missing)} string (a WebMainBench "
                                            "line has html, groundtruth_content and track_id): skipped", None, True))
                    continue
                yield file, number, {key: record[key] for key in _KEPT if key in record}


def load(path: Path) -> Corpus:
    """Every well-formed line of the JSONL file(s); page ids are the lines' own ids (made file-safe if needed)."""
    name = "webmainbench"
    if not path.exists() or (path.is_dir() and not _files(path)):
        return Corpus(provenance=PROVENANCE, root=str(path), name=name, pages=(), golds={}, problems=(
            Problem(str(path), "a WebMainBench dataset is a .jsonl file (or a folder of them), one page per line",
                    None, True),))
    problems: list[Problem] = []
    kept: dict[str, tuple[str, dict]] = {}
    for file, number, record in _records(path, problems):
        dataset_id = _field(record, "track_id", "id")
        where = f"{file}:{number}"
        if not dataset_id:
            problems.append(Problem(where, "no track_id or id: skipped", None, True))
        elif dataset_id in kept:
            problems.append(Problem(where, f"id {dataset_id!r} again (first at {kept[dataset_id][0]}): skipped",
                                    dataset_id, True))
        else:
            kept[dataset_id] = (where, record)
    ids = safe_page_ids(kept)
    pages: list[Page] = []
    golds: dict[str, Gold] = {}
    digest = Digest()
    for dataset_id, (where, record) in sorted(kept.items(), key=lambda item: ids[item[0]]):
        page_id = ids[dataset_id]
        raw = record["html"].encode("utf-8", "surrogatepass")
        marked = markdown_to_marked(record["groundtruth_content"])  # images, link addresses, fences go
        gold_text = plain_text(marked)
        url = _field(record, "url")
        digest.add(page_id, raw)
        digest.add(f"{page_id}.gold", gold_text.encode("utf-8", "surrogatepass"))
        digest.add(f"{page_id}.url", url.encode("utf-8", "surrogatepass"))
        page, found = dataset_page(page_id, where, raw, url, SOURCE,
                                   language=_field(record, "language", "meta.language") or None)
        problems += found
        layout = tuple(tag for tag in (_field(record, "layout_type"), _field(record, "meta.style")) if tag)
        crawl = _CRAWL_RE.search(_field(record, "raw_warc_path"))
        extra = page.card.extra + ((("crawl", f"{crawl.group(1)}-{crawl.group(2)}"),) if crawl else ())
        page = dataclasses.replace(page, card=dataclasses.replace(page.card, layout=layout, extra=extra))
        pages.append(page)
        golds[page_id] = Gold(page_id=page_id, path=f"{where}#groundtruth_content", text=gold_text, marked=marked)
    return Corpus(provenance=PROVENANCE, root=str(path), name=name, pages=tuple(pages), golds=golds,
                  problems=tuple(problems), digest=digest.hexdigest())
