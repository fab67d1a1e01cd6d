"""Tiny extractor releases built as wheels in a test, for matrix and bisect: stdlib only, no build backend.

`bbtiny` keeps the text of every <p> inside the story div. From release
`regress_from` on, it keeps only the first paragraph of pages whose story div
has the class "wide": one page regresses, the rest do not. Every call prints
the interpreter's prefix, so a test can see which Python ran it.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

PACKAGE = "bbtiny"

_MODULE = '''"""bbtiny {version}: a tiny extractor for boilerbench's release tests."""
import re
import sys

REGRESSES = {regresses}


def extract(html):
    print(sys.prefix)
    story = re.search(r"<div class='story( wide)?'>(.*?)</div>", html, re.S)
    if story is None:
        return ""
    paragraphs = [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", story.group(2), re.S)]
    if REGRESSES and story.group(1):
        paragraphs = paragraphs[:1]
    return "\\n\\n".join(p for p in paragraphs if p)
'''


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(folder: Path, version: str, *, regresses: bool, requires: tuple[str, ...] = ()) -> Path:
    """bbtiny-<version>-py3-none-any.whl in `folder`, depending on `requires`."""
    info = f"{PACKAGE}-{version}.dist-info"
    depends = "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    files = {
        f"{PACKAGE}/__init__.py": _MODULE.format(version=version, regresses=regresses).encode("utf-8"),
        f"{info}/METADATA": (f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n" + depends).encode("utf-8"),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: boilerbench-tests\nRoot-Is-Purelib: true\n"
                         b"Tag: py3-none-any\n",
    }
    record = [_record_line(name, data) for name, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    path = folder / f"{PACKAGE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def build_releases(folder: Path, versions: list[str], regress_from: str) -> Path:
    """One wheel per version; those from `regress_from` on regress on the "wide" page."""
    folder.mkdir(parents=True, exist_ok=True)
    order = {v: i for i, v in enumerate(versions)}
    for version in versions:
        build_wheel(folder, version, regresses=order[version] >= order[regress_from])
    return folder


PARAGRAPHS = (
    "The harbour board approved the new ferry terminal on Tuesday after a two year review of the plans.",
    "Construction will begin in spring and cost an estimated 42 million dollars, officials said today.",
    "Residents who objected to the noise will be offered new windows paid for by the port authority.",
)


def story_page(wide: bool) -> str:
    """A page whose story div holds the three paragraphs; `wide` marks the one that regresses."""
    nav = " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(12))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    kind = "story wide" if wide else "story"
    return (f"<html><head><meta charset='utf-8'><title>Ferry</title></head><body><div id='nav'>{nav}</div>"
            f"<div class='{kind}'>{body}</div><div class='rail'>Most Popular</div></body></html>")


def story_corpus(root: Path, wide_page: str, others: int = 3) -> Path:
    """A small corpus: `others` ordinary pages and one wide page that the late releases get wrong."""
    from tests.corpus_builders import card_toml, write_page

    gold = "\n\n".join(PARAGRAPHS)
    card = card_toml(chrome=("Most Popular",), must=("ferry terminal",))
    for i in range(others):
        write_page(root, f"example-2019-ferry-{i}", html=story_page(False), gold=gold, card=card)
    write_page(root, wide_page, html=story_page(True), gold=gold, card=card)
    return root
