"""Hostile input: pages, ids and datasets that try to make the harness read too much, read elsewhere, or lie.

Issue 14's rows p02 (an id that looks like a script URL), p03 (an AEB id
climbing out of the dataset), p04 (a gzip bomb, pages over the size limit in
every importer), p07 (a page that is a link out of the corpus), p12 (a
declared charset the bytes do not fit), p13 (nesting past the parser's
limit), and the hostile plain-dataset ids that held. Each ends as a recorded
outcome or a one-line message naming the file, with the rest of the run going on.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from benchmark.corpus.datasets import load_dataset
from tests.corpus_builders import ARTICLE, card_toml, write_page
from tests.hostile.support import jsonl, only_run, plain_dataset, run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="boilerbench workers need POSIX")

SECRET = "SECRET-OUTSIDE-THE-CORPUS root:x:0:0"


def _html(body: str) -> str:
    return f"<html><head><meta charset='utf-8'></head><body><p>{body}</p></body></html>"


# --------------------------------------------------------------------------- p02: an id with "javascript:" in it


def test_p02_a_page_id_with_javascript_colon_in_it_still_gets_its_report(tmp_path, capsys):
    """Probe: a plain dataset page named tutorial-javascript:closures (snippet-set ids are URLs) stopped the run at
    the report with "generated SVG contains active content", exit 1. The check must look at the parsed SVG."""
    from benchmark.report.charts import active_content

    data = plain_dataset(tmp_path / "data", {"tutorial-javascript:closures": "Closures capture their scope.",
                                             "onload=alert(1)": "Handlers are attributes, not text."})
    code, _, err = run_cli(["run", "--dataset", f"plain:{data}", "--extractors", "full-text", "--jobs", 1,
                            "--out", tmp_path / "out", "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    report = (only_run(tmp_path / "out") / "report.html").read_text(encoding="utf-8")
    assert "tutorial-javascript:closures" in report
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
    assert active_content(svg.format("<text>javascript: onload=x &lt;script&gt;</text>")) is None
    assert "script" in active_content(svg.format("<script>alert(1)</script>"))
    assert "onload" in active_content(svg.format('<g onload="alert(1)"/>'))
    assert "foreignobject" in active_content(svg.format("<foreignObject/>"))
    assert "href" in active_content(svg.format('<a xlink:href=" java&#10;script:alert(1)"><text>x</text></a>'))


# --------------------------------------------------------------------------- p03: an AEB id outside the dataset


def _aeb(folder: Path, truth: dict, pages: dict[str, bytes]) -> Path:
    (folder / "html").mkdir(parents=True)
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    for item_id, raw in pages.items():
        (folder / "html" / f"{item_id}.html.gz").write_bytes(raw)
    return folder


def test_p03_an_aeb_id_that_leaves_the_dataset_is_refused_and_never_imported(tmp_path, capsys):
    """Probe: ground-truth.json with the id "../../x" read html/../../x.html.gz outside the dataset, and `import`
    copied it. Same layout as the probe."""
    (tmp_path / "x.html.gz").write_bytes(gzip.compress(_html(SECRET).encode()))
    data = _aeb(tmp_path / "aeb", {"../../x": {"articleBody": SECRET, "url": ""},
                                   "good-1": {"articleBody": ARTICLE, "url": "https://example.org/a"}},
                {"good-1": gzip.compress(_html(ARTICLE).encode())})
    corpus = load_dataset(f"aeb:{data}")
    assert [page.page_id for page in corpus.pages] == ["good-1"]
    (refused,) = [p for p in corpus.problems if p.page_id == "../../x"]
    assert refused.blocks_page and "'../../x'" in refused.message and "outside" in refused.message
    code, _, err = run_cli(["import", "aeb", data, tmp_path / "imported"], capsys)
    assert code == 0, err
    assert "../../x" in err
    copied = [p.read_bytes() for p in (tmp_path / "imported").rglob("*") if p.is_file()]
    assert copied and not any(SECRET.encode() in data for data in copied)


# --------------------------------------------------------------------------- p04: bombs and oversized pages


#: the page size limit (benchmark.corpus.file_reader.MAX_PAGE_BYTES), restated so these tests need no new import
PAGE_LIMIT = 50 * 1024 * 1024


def test_the_page_limit_restated_here_is_the_readers():
    from benchmark.corpus.file_reader import MAX_PAGE_BYTES

    assert MAX_PAGE_BYTES == PAGE_LIMIT


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux /proc")
def test_a_file_holding_more_than_its_size_claims_is_read_whole_and_still_bounded():
    """/proc files claim 0 bytes: the reader reads past the claimed size, up to the limit, and no further."""
    from benchmark.corpus.file_reader import read_corpus_file

    expected = Path("/proc/version").read_bytes()
    assert Path("/proc/version").stat().st_size == 0 and len(expected) > 20
    data, problems = read_corpus_file(Path("/proc/version"), root=Path("/proc"), page_id=None)
    assert (data, problems) == (expected, [])
    data, problems = read_corpus_file(Path("/proc/version"), root=Path("/proc"), page_id=None, limit=10)
    assert data is None and "more than the 10-byte limit" in problems[0].message


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """60 MB of zeros in 61 KB of gzip: over the 50 MB page limit (the probe's bomb was 204 KB -> 200 MB)."""
    return gzip.compress(bytes(PAGE_LIMIT + 10 * 1024 * 1024), compresslevel=9)


def _oversized(path: Path) -> Path:
    """A page one byte over the limit, as a sparse file (nothing is written to disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"<html><body><p>")
        handle.truncate(PAGE_LIMIT + 1)
    return path


def _cleaneval(folder: Path) -> Path:
    for number, body in (("1", ARTICLE), ("2", None)):
        (folder / "clean").mkdir(parents=True, exist_ok=True)
        (folder / "clean" / f"{number}.txt").write_text(f"URL: https://example.org/{number}\n<p>{ARTICLE}",
                                                        encoding="utf-8")
        if body is None:
            _oversized(folder / "orig" / f"{number}.html")
        else:
            (folder / "orig").mkdir(parents=True, exist_ok=True)
            (folder / "orig" / f"{number}.html").write_text(_html(body), encoding="utf-8")
    return folder


def _readability(folder: Path) -> Path:
    for case, oversized in (("calm-case", False), ("huge-case", True)):
        (folder / case).mkdir(parents=True)
        (folder / case / "expected.html").write_text(f"<div><p>{ARTICLE}</p></div>", encoding="utf-8")
        if oversized:
            _oversized(folder / case / "source.html")
        else:
            (folder / case / "source.html").write_text(_html(ARTICLE), encoding="utf-8")
    return folder


def test_p04_an_aeb_gzip_bomb_stops_at_the_page_limit(tmp_path, gzip_bomb):
    """Probe: an AEB page that is a gzip bomb (204 KB -> 200 MB) was read whole, with no warning. Decompression
    must stop at the page limit and say so, naming the file."""
    data = _aeb(tmp_path / "aeb", {"bomb": {"articleBody": ARTICLE, "url": ""},
                                   "good-1": {"articleBody": ARTICLE, "url": ""}},
                {"bomb": gzip_bomb, "good-1": gzip.compress(_html(ARTICLE).encode())})
    corpus = load_dataset(f"aeb:{data}")
    assert [page.page_id for page in corpus.pages] == ["good-1"]
    (problem,) = [p for p in corpus.problems if p.page_id == "bomb"]
    assert problem.path.endswith("bomb.html.gz") and problem.blocks_page
    assert "decompresses to more than" in problem.message


@pytest.mark.parametrize("kind, build, blocked", [
    ("cleaneval", _cleaneval, "2"),
    ("readability", _readability, "huge-case"),
])
def test_p04_cleaneval_and_readability_pages_over_the_size_limit_are_refused(tmp_path, kind, build, blocked):
    """Probe: CleanEval and Readability pages over the size limit were read whole, with no warning. A sparse file one
    byte over the 50 MB limit; the importer must refuse it through the one size-limited reader."""
    corpus = load_dataset(f"{kind}:{build(tmp_path / kind)}")
    assert blocked not in {page.page_id for page in corpus.pages} and len(corpus.pages) == 1
    (problem,) = [p for p in corpus.problems if p.page_id == blocked]
    assert problem.blocks_page and "over the" in problem.message and "limit" in problem.message


def test_held_plain_snippet_and_bundled_pages_over_the_size_limit_are_refused(tmp_path):
    """Held: plain, snippet-set and bundled pages over the limit were refused; they stay so."""
    plain = plain_dataset(tmp_path / "plain", {"calm-1": ARTICLE})
    _oversized(plain / "huge-1.html")
    (plain / "huge-1.txt").write_text(ARTICLE, encoding="utf-8")
    snippets = tmp_path / "snippets"
    (snippets / "html").mkdir(parents=True)
    (snippets / "html" / "calm.html").write_text(_html(ARTICLE), encoding="utf-8")
    _oversized(snippets / "html" / "huge.html")
    (snippets / "set.json").write_text(json.dumps({"https://a.example/calm": {"file": "calm.html", "with": ["ferry"]},
                                                   "https://a.example/huge": {"file": "huge.html", "with": ["x"]}}))
    bundled = tmp_path / "bundled"
    write_page(bundled, "example-2019-calm")
    write_page(bundled, "example-2019-huge")
    _oversized(bundled / "pages" / "example-2019-huge.html")
    for spec in (f"plain:{plain}", f"snippets:{snippets / 'set.json'}", f"bundled:{bundled}"):
        corpus = load_dataset(spec)
        assert len(corpus.pages) == 1, spec
        assert any(p.blocks_page and "limit" in p.message for p in corpus.problems), spec


# --------------------------------------------------------------------------- p07: a page that links out


def test_p07_pages_and_gold_that_link_out_of_the_corpus_are_refused(tmp_path, capsys):
    """Probe: a page that is a symlink to /etc/passwd was followed; the file's text landed in extractions and the
    report. Here a link to a file outside the corpus holding a marker (and a gold file linking out too); a link
    inside the corpus folder stays allowed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text(_html(SECRET), encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    corpus = tmp_path / "corpus"
    for page_id in ("example-2019-calm", "example-2019-page-link", "example-2019-gold-link", "example-2019-inside"):
        write_page(corpus, page_id)
    (corpus / "pages" / "example-2019-page-link.html").unlink()
    (corpus / "pages" / "example-2019-page-link.html").symlink_to(outside / "secret.html")
    (corpus / "gold" / "example-2019-gold-link.txt").unlink()
    (corpus / "gold" / "example-2019-gold-link.txt").symlink_to(outside / "secret.txt")
    (corpus / "kept").mkdir()
    (corpus / "pages" / "example-2019-inside.html").rename(corpus / "kept" / "inside.html")
    (corpus / "pages" / "example-2019-inside.html").symlink_to(Path("..") / "kept" / "inside.html")

    code, _, err = run_cli(["run", "--corpus", corpus, "--extractors", "full-text,gold", "--jobs", 1, "--out",
                            tmp_path / "out", "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "outside" in line]
    assert any("example-2019-page-link.html" in line for line in warned)
    assert any("example-2019-gold-link.txt" in line for line in warned)
    run_dir = only_run(tmp_path / "out")
    for path in (p for p in run_dir.rglob("*") if p.is_file()):
        assert b"SECRET-OUTSIDE" not in path.read_bytes(), path.name
    scored = {r["page_id"] for r in jsonl(run_dir / "extractions.jsonl")}
    assert scored == {"example-2019-calm", "example-2019-inside"}


# --------------------------------------------------------------------------- p12: a charset that does not fit


def test_p12_a_declared_charset_the_bytes_do_not_fit_is_reported_as_a_charset_problem(tmp_path, capsys):
    """Probe: a page declaring shift_jis whose bytes are latin-1 was decoded as cp775 ("Cafķ") and reported only as a
    typo in the gold. validate must name the page's charset problem."""
    body = "Le café du port rouvre à midi, a dit le gérant du café mardi."
    html = ("<html><head><meta charset='shift_jis'><title>Café</title></head><body><div class='story'><p>"
            f"{body}</p></div></body></html>").encode("latin-1")
    write_page(tmp_path, "example-2019-cafe", html=html, gold=body, card=card_toml(chrome=(), must=()))
    code, out, _ = run_cli(["validate", "--corpus", tmp_path], capsys)
    assert code == 2
    (charset,) = [line for line in out.splitlines() if "charset problem:" in line]
    assert charset.startswith(str(tmp_path / "pages" / "example-2019-cafe.html"))
    assert "shift_jis" in charset and "0xe9" in charset
    assert "a typo in the gold?" not in out


# --------------------------------------------------------------------------- p13: nesting past the parser's limit


def test_p13_a_page_nested_deeper_than_the_parser_keeps_is_named_as_such(tmp_path, capsys):
    """Probe: a page of 200,000 nested <div> made validate say "gold coverage 0.000 ... a typo in the gold?"; libxml2
    stops at 2048 levels and drops the rest. Same size as the probe."""
    depth = 200_000
    html = f"<html><head><meta charset='utf-8'></head><body>{'<div>' * depth}<p>{ARTICLE}</p>{'</div>' * depth}"
    write_page(tmp_path, "example-2019-deep", html=html + "</body></html>", card=card_toml(chrome=(), must=()))
    code, out, _ = run_cli(["validate", "--corpus", tmp_path], capsys)
    assert code == 2
    (deep,) = [line for line in out.splitlines() if "deeper than the parser keeps" in line]
    assert deep.startswith(str(tmp_path / "pages" / "example-2019-deep.html")) and "2048" in deep
    assert "a typo in the gold?" not in out


# --------------------------------------------------------------------------- held: hostile plain-dataset ids


def test_held_hostile_plain_dataset_ids_are_escaped_and_scored(tmp_path, capsys):
    """Held: ids that are markup, quotes, mathtext, a right-to-left override or a newline run, score and render
    escaped."""
    ids = ["<img src=x onerror=alert(1)>", "quote\"and'apostrophe", "$x^2$ mathtext", "left\u202eright",
           "new\nline", "-rf --all"]
    data = plain_dataset(tmp_path / "data", {page_id: f"Body number {i} of the set." for i, page_id in enumerate(ids)})
    code, _, err = run_cli(["run", "--dataset", f"plain:{data}", "--extractors", "full-text", "--jobs", 1,
                            "--out", tmp_path / "out", "--no-cache", "--quiet"], capsys)
    assert code == 0, err
    run_dir = only_run(tmp_path / "out")
    assert {r["page_id"] for r in jsonl(run_dir / "extractions.jsonl")} == set(ids)
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in report and "&lt;img src=x onerror=alert(1)&gt;" in report
