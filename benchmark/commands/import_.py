"""`boilerbench import KIND PATH DEST`: a public dataset converted into the bundled format, to annotate further.

What is written, per page (ids made safe by `datasets.common.safe_page_id`,
the dataset's own id kept in the card as ``dataset_id``):

* ``DEST/pages/<id>.html``: the bytes the harness reads for the page (AEB:
  the gunzipped file; CleanEval: the file without its ``<text ...>``
  wrapper line), never re-encoded;
* ``DEST/gold/<id>.txt``: the body gold, UTF-8, one block per paragraph,
  blocks separated by one blank line (every metric scores it as before:
  only line structure changes). A snippet set has no body gold: the file is
  empty, waiting for an annotator;
* ``DEST/gold/<id>.toml``: the card: url, site, language, published,
  layout, source, chrome, must_include, plus ``dataset``/``dataset_id`` and
  ``published_from`` (where the date was read). ``published`` is omitted
  when neither the page nor its URL states a date, so `boilerbench validate`
  asks for it: a real gap in the data, not a made-up date. A snippet set's
  ``with`` snippets become ``must_include`` and its ``without`` snippets
  ``chrome``: the same truth, in the bundled format's terms.

``DEST/import.json`` records the source, its digest and the id mapping.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click

from benchmark.records import Card, Corpus, Gold


class ImportFailed(click.ClickException):
    """Bad input for `import`: exit 2 with a message that says what to do."""

    exit_code = 2


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML also escapes DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_list(values: tuple[str, ...] | list[str]) -> str:
    if not values:
        return "[]"
    return "[\n" + "".join(f"    {_toml_string(v)},\n" for v in values) + "]"


def card_toml(card: Card, *, kind: str, dataset_id: str) -> str:
    """The card as TOML that `corpus.parse_card` reads back into the same Card (plus dataset fields)."""
    lines = [
        f"# imported by boilerbench from the {kind} dataset; edit freely (gold/GUIDELINES.md)",
        f"url = {_toml_string(card.url)}",
        f"site = {_toml_string(card.site)}",
        f"language = {_toml_string(card.language)}",
    ]
    if card.published is not None:
        lines.append(f"published = {card.published.isoformat()}")
    else:
        lines.append('published = "unknown"  # no date on the page or in its URL; replace with YYYY-MM-DD')
    for key, value in card.extra:
        lines.append(f"{key} = {_toml_string(value)}")
    lines += [
        f"layout = {_toml_list(list(card.layout))}",
        f"source = {_toml_string(card.source)}",
        f"chrome = {_toml_list(list(card.chrome))}",
        f"must_include = {_toml_list(list(card.must_include))}",
        f"dataset = {_toml_string(kind)}",
        f"dataset_id = {_toml_string(dataset_id)}",
    ]
    return "\n".join(lines) + "\n"


def bundled_gold(text: str) -> str:
    """A gold text in the bundled layout: blocks separated by one blank line, trailing newline.

    Text that already separates blocks by blank lines keeps its blocks (runs
    of blank lines become one); text with one paragraph per line (AEB) gets
    each line as a block. A line that would read as a structure mark
    (`- `, `1. `, `> `, `## `, `| ... |`) gets the guidelines' backslash, so
    the gold reads back as the same text (`goldmarks.escape_literal`). Tokens
    and their order are unchanged.
    """
    from benchmark.corpus.goldmarks import escape_literal

    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    joined = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    blocks = re.split(r"\n{2,}", joined) if "\n\n" in joined else joined.split("\n")
    blocks = [escape_literal(block.strip("\n")) for block in blocks if block.strip()]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _card_for(card: Card, gold: Gold) -> Card:
    """Snippet golds move into the card: with -> must_include, without -> chrome."""
    import dataclasses

    if gold.text is not None:
        return card
    return dataclasses.replace(card, must_include=tuple(gold.snippets_with), chrome=tuple(gold.snippets_without))


def write_bundled(corpus: Corpus, kind: str, source_path: Path, dest: Path) -> dict[str, str]:
    """Write every loaded page of `corpus` under dest/pages and dest/gold; returns safe id -> dataset id."""
    from benchmark.corpus.datasets.common import safe_page_ids
    from benchmark.results import atomic_write_text

    try:
        mapping = safe_page_ids(page.page_id for page in corpus.pages)
    except ValueError as exc:
        raise ImportFailed(f"{source_path}: {exc}; rename one of them in the dataset") from None
    (dest / "pages").mkdir(parents=True, exist_ok=True)
    (dest / "gold").mkdir(parents=True, exist_ok=True)
    for page in corpus.pages:
        page_id = mapping[page.page_id]
        gold = corpus.golds[page.page_id]
        (dest / "pages" / f"{page_id}.html").write_bytes(page.raw)
        atomic_write_text(dest / "gold" / f"{page_id}.txt", bundled_gold(gold.text or ""))
        atomic_write_text(dest / "gold" / f"{page_id}.toml",
                          card_toml(_card_for(page.card, gold), kind=kind, dataset_id=page.page_id))
    manifest = {
        "imported_by": "boilerbench import",
        "imported": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "dataset": {"kind": kind, "path": str(source_path), "digest": corpus.digest},
        "pages": {mapping[p.page_id]: p.page_id for p in corpus.pages},
        "skipped": {p.page_id or p.path: f"{p.path}: {p.message}" for p in corpus.problems if p.blocks_page},
    }
    atomic_write_text(dest / "import.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return {safe: original for original, safe in mapping.items()}


@click.command("import")
@click.argument("kind", metavar="KIND")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a DEST that is not empty (same-named files are replaced).")
def import_command(kind: str, path: Path, dest: Path, force: bool) -> int:
    """Convert a dataset (aeb, snippets, cleaneval, readability, plain) into pages/ + gold/ under DEST."""
    from benchmark.corpus.datasets import KINDS, DatasetError, load_dataset

    if kind not in KINDS:
        raise ImportFailed(f"dataset kind {kind!r} unknown: use one of {', '.join(KINDS)}")
    if dest.exists() and not dest.is_dir():
        raise ImportFailed(f"{dest}: is a file; give a folder to write pages/ and gold/ into")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise ImportFailed(f"{dest}: not empty; give an empty or new folder, or pass --force to write into it "
                           "(same-named files are replaced, others kept)")
    try:
        corpus = load_dataset(f"{kind}:{path}")
    except DatasetError as exc:
        raise ImportFailed(str(exc)) from None
    for problem in corpus.problems:
        click.echo(f"warning: {problem}" + (" (page skipped)" if problem.blocks_page else ""), err=True)
    if not corpus.pages:
        raise ImportFailed(f"no page of {path} could be read as a {kind} dataset: fix what is listed above")
    written = write_bundled(corpus, kind, path, dest)
    renamed = sum(1 for safe, original in written.items() if safe != original)
    click.echo(f"Imported {len(written)} page(s) of {kind}:{path} into {dest} (pages/, gold/)"
               + (f"; {renamed} id(s) made safe, the dataset's id kept as dataset_id in each card" if renamed
                  else "") + ".")
    click.echo(f"Next: boilerbench validate --corpus {dest}")
    return 0
