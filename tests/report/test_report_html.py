"""report.html: built from a real run, every section in order, data escaped, diffs marked, large runs split."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from benchmark.score.alignment import LEAKED, MISSED, SAME, align, token_spans
from tests.corpus_builders import ARTICLE, card_toml, page_html, write_page

SECTIONS = ["verdict", "ranking", "tradeoffs", "failures", "chrome", "structure", "pages", "splits", "data", "provenance"]
XSS_PAGE = "example-2020-form-injection"
BAD_PAGE = "bad-2019-broken-markup"
HIDDEN = "Spokeswoman Ingrid Vale declined further questions."
FRAGILE = "fragile<i>x</i>"  # an extractor whose name is markup too
PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = "<img src=x onerror=alert(1)>"
PAYLOAD_TAG = "<svg onload=alert(3)>"
PAYLOAD_CHROME = "<b onmouseover=alert(4)>Print tools</b>"


def build_corpus(root: Path) -> Path:
    """A tiny corpus: two plain pages, one whose text carries markup payloads, one a fake extractor fails on."""
    write_page(root, "example-2019-ferry-0")
    write_page(root, "example-2019-ferry-1")
    escaped = (f"Readers reported that {PAYLOAD_SCRIPT} and {PAYLOAD_IMG} appeared in the comment form."
               .replace("<", "&lt;").replace(">", "&gt;"))
    chrome_html = PAYLOAD_CHROME.replace("<", "&lt;").replace(">", "&gt;")
    html = page_html(body=f"{ARTICLE}</p><p>{escaped}</p><!-- {HIDDEN} --><p>",
                     extra_chrome=f"<div class='tools'>{chrome_html}</div>")
    gold = (f"{ARTICLE}\n\nReaders reported that {PAYLOAD_SCRIPT} and {PAYLOAD_IMG} appeared in the comment "
            f"form.\n\n{HIDDEN}\n")
    card = card_toml(chrome=("E-mail to a friend", "Most Popular", PAYLOAD_CHROME),
                     layout=["share-bar", PAYLOAD_TAG])
    write_page(root, XSS_PAGE, html=html, gold=gold, card=card)
    write_page(root, BAD_PAGE)
    return root


def real_run(tmp: Path):
    """Run the real pipeline (full-text, gold, trafilatura when installed, a fake that raises) on the tiny corpus."""
    from benchmark.corpus.bundled import load_corpus
    from benchmark.extractors import registry
    from benchmark.pipeline import run_benchmark
    from benchmark.records import ExtractorSpec

    corpus = load_corpus(build_corpus(tmp / "corpus"), name="tiny")
    names = ["full-text", "gold"]
    if registry.is_installed(registry.known_specs()["trafilatura"]):
        names.insert(0, "trafilatura")
    # tests/fakes.py: echoes the page's text, raises on pages whose id starts with "bad"
    fragile = ExtractorSpec(name=FRAGILE, target="tests.fakes:raises", kind="article", input="text")
    specs = [*registry.resolve(names), fragile]
    return run_benchmark(corpus, specs, out_root=tmp / "results", jobs=1, timeout=60, n_boot=200, cache=None)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return real_run(tmp_path_factory.mktemp("report-html"))


@pytest.fixture(scope="module")
def report(run):
    path = run.run_dir / "report.html"
    assert path.is_file(), "run_benchmark wrote no report.html"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(report):
    import lxml.html

    return lxml.html.document_fromstring(report)


def _f1(cell_text: str) -> float:
    return float(cell_text.split()[0])


def test_sections_in_the_order_of_the_issue(doc):
    found = [el.get("id") for el in doc.iter("section")]
    assert found == SECTIONS
    for section in SECTIONS:
        assert doc.get_element_by_id(section).find(".//h2") is not None


def test_ranking_table_sorted_by_f1_with_intervals(doc, run):
    from benchmark.report.analysis import analyze
    from benchmark.report.ranking import ranking_table

    table = doc.get_element_by_id("ranking-table")
    header = [th.text_content() for th in table.iter("th")]
    columns, _ = ranking_table(analyze(run))
    assert header == [c.header for c in columns]  # in step with report.md, which defines the same columns
    assert "F1 median" in header
    markdown = (run.run_dir / "report.md").read_text(encoding="utf-8")
    assert "| " + " | ".join(header) + " |" in markdown
    for column in columns:
        assert f"- **{column.header}**: {column.definition}." in markdown
    rows = table.findall(".//tbody/tr")
    names = [row[0].text_content() for row in rows]
    f1 = [_f1(row[3].text_content()) for row in rows]
    assert f1 == sorted(f1, reverse=True)
    assert names[0] == "gold" and f1[0] == 1.0
    assert set(names) == set(run.summary["extractor"])
    assert all(re.search(r"\[\d\.\d{3}, \d\.\d{3}\]", row[3].text_content()) for row in rows)
    # the answer first: the best article extractor (not a baseline), and whether its lead is significant
    articles = [row[0].text_content() for row in rows if "article" in row.get("class")]
    verdict = doc.get_element_by_id("top-group").text_content()
    assert articles[0] in verdict and ("Tied at the top:" in verdict or "Best:" in verdict)


def test_speed_table_has_a_row_per_extractor(doc, run):
    table = doc.get_element_by_id("speed-table")
    header = [th.text_content() for th in table.findall(".//thead/tr/th")]
    assert header[-4:] == ["pages / s", "import + warm-up ms", "peak memory MB", "cached pairs"]
    assert {tr[0].text_content() for tr in table.findall(".//tbody/tr")} == set(run.summary["extractor"])


def test_significance_table_marks_not_significant(doc, run):
    from benchmark.stats.paired import paired_differences

    table = doc.get_element_by_id("significance-table")
    cells = [td for td in table.iter("td") if td.text_content().strip()]
    n = len(run.summary)
    assert len(cells) == n * (n - 1) // 2  # every pair once: row above column in the ranking
    pairs = paired_differences(run.scores, seed=run.meta["options"]["seed"], n_boot=200)
    expected = {"significant" if s else "not significant" for s in pairs["significant"]}
    shown = {"not significant" if "not significant" in td.text_content() else "significant" for td in cells}
    assert shown == expected


def test_charts_are_inline_svg_with_titles_and_nothing_external(doc, report):
    charts = doc.xpath("//svg[contains(@class, 'chart')]")
    ids = {svg.getparent().get("id") for svg in charts}
    assert {"figure-f1", "figure-pr", "figure-speed", "figure-heatmap"} <= ids
    every_id = [el.get("id") for el in doc.iter() if el.get("id")]
    assert len(every_id) == len(set(every_id)), "ids repeat"
    for svg in charts:
        assert svg.find("title") is not None and svg.find("title").text_content()
    # nothing is fetched: no http(s) or protocol-relative src/href except the page card's own link
    for el in doc.iter():
        for name, value in el.attrib.items():
            if name.endswith("src") or name.endswith("href"):
                assert value.startswith(("#", "data:", "http")) or "/" not in value or value.startswith(
                    ("report-pages/", "outputs/")), (el.tag, name, value)
                if value.startswith("http"):
                    assert el.tag == "a" and name == "href", (el.tag, name, value)
    assert "<link" not in report.replace('<link rel="icon" href="data:,">', "") and "@import" not in report
    found = re.search(r".{80}url\((?!#).{40}", report)
    assert not found, found.group(0)  # only references inside an SVG (clip paths)


def test_page_text_is_escaped_never_live(doc, report):
    from importlib.resources import files

    # exactly one script: the package's own filter script, allowed by its CSP hash
    scripts = doc.xpath("//script")
    assert len(scripts) == 1
    own = files("benchmark.report").joinpath("templates/report.js").read_text(encoding="utf-8")
    assert scripts[0].text == own
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    digest = base64.b64encode(hashlib.sha256(own.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert not doc.xpath("//img | //iframe | //foreignObject | //i | //object | //embed")
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            assert "javascript:" not in value.lower()
    assert "<script>alert" not in report and "<img src=x" not in report and "<svg onload" not in report
    # ... and the payloads are shown as text: in the gold, in the aligned outputs, the layout tag, the chrome table
    text = doc.text_content()
    assert PAYLOAD_SCRIPT in text and PAYLOAD_IMG in text and PAYLOAD_TAG in text and FRAGILE in text
    assert PAYLOAD_CHROME in doc.get_element_by_id("chrome").text_content()
    card = doc.get_element_by_id(f"page-{XSS_PAGE}")
    assert PAYLOAD_TAG in card.text_content()
    diffs = card.xpath(".//details[@data-extractor='full-text']//div[@class='aligned']")
    assert diffs and PAYLOAD_SCRIPT in diffs[0].text_content()


def test_per_page_diffs_mark_missed_and_leaked_text(doc):
    card = doc.get_element_by_id(f"page-{XSS_PAGE}")
    assert card.tag == "details" and card.get("open") is None  # collapsed by default
    full = card.xpath(".//details[@data-extractor='full-text']")[0]
    assert full.get("open") is None
    missed = " ".join(d.text_content() for d in full.xpath(".//div[@class='aligned']//del[@class='miss']"))
    leaked = " ".join(i.text_content() for i in full.xpath(".//div[@class='aligned']//ins[@class='leak']"))
    assert HIDDEN.rstrip(".") in missed  # in the gold, only in a comment on the page
    assert "Most Popular" in leaked and "Section 3" in leaked
    assert "harbour board approved" not in leaked and "harbour board approved" not in missed
    gold_diff = card.xpath(".//details[@data-extractor='gold']")[0]
    assert "Identical to the gold" in gold_diff.text_content()
    assert doc.xpath("//div[contains(@class, 'legend')]//del[contains(@class, 'miss')]")  # the legend explains the colours


def test_failures_heatmap_worst_pages_and_outcomes(doc):
    failures = doc.get_element_by_id("failures")
    outcomes = doc.get_element_by_id("outcomes-table")
    row = [tr for tr in outcomes.findall(".//tbody/tr") if tr[0].text_content() == FRAGILE][0]
    assert "1 error" in row.text_content()
    assert f"cannot parse {BAD_PAGE}" in row.text_content()  # the message, with a link to the page
    assert row.xpath(f".//a[@href='#page-{BAD_PAGE}']")
    worst = failures.xpath(".//ul[@class='worst']/li")
    assert worst and not any(li.text_content().startswith("gold:") for li in worst)


def test_chrome_table_most_frequent_first_with_who_and_where(doc):
    table = doc.get_element_by_id("chrome-table")
    rows = table.findall(".//tbody/tr")
    pairs = [int(r[2].text_content()) for r in rows]
    assert pairs == sorted(pairs, reverse=True)
    header = [th.text_content() for th in table.findall(".//thead/tr/th")]
    leak = [r for r in rows if r[0].text_content() == "Most Popular"][0]
    full_text_count = leak[header.index("full-text")].text_content()
    assert int(full_text_count) == 4  # every page's rail
    assert leak[header.index("gold")].text_content() == ""


def test_splits_and_provenance(doc, run):
    splits = doc.get_element_by_id("splits")
    titles = [h.text_content() for h in splits.iter("h3")]
    # every page is English, of 2019, utf-8: those splits have one group and say nothing
    assert "By layout tag" in titles and "By language" not in titles and "By era" not in titles
    layout = doc.get_element_by_id("split-layout").getnext()
    assert PAYLOAD_TAG in layout.text_content()
    prov = doc.get_element_by_id("provenance").text_content()
    for needle in (run.meta["corpus"]["digest"], str(run.meta["options"]["seed"]), run.meta["harness_version"],
                   run.meta["environment"]["python"], run.meta["libraries"]["lxml"], run.meta["libraries"]["libxml2"],
                   "boilerbench report ", "--seed", "--corpus"):
        assert needle in prov


def test_stored_run_renders_the_same_report(run, report, tmp_path):
    from benchmark.report.html import render_html
    from benchmark.results import stored_result

    written = render_html(stored_result(run.run_dir), tmp_path / "again.html")
    assert written == [tmp_path / "again.html"]
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == report


def test_cli_report_rewrites_the_html(run, capsys):
    from benchmark.cli import main

    path = run.run_dir / "report.html"
    before = path.read_text(encoding="utf-8")
    path.unlink()
    assert main(["report", str(run.run_dir)]) == 0
    assert "report.html" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == before


# --------------------------------------------------------------------------- large runs


def synthetic_run(run_dir: Path, n_pages: int, extractors=("alpha", "beta", "full-text", "gold"), *,
                  seed: int = 5, words_per_page: int = 300) -> Path:
    """A run folder in the stored formats with made-up pages, scored by the real metrics (for size tests and profiling)."""
    import pandas as pd

    from benchmark.records import Card, Extraction, Gold, Outcome
    from benchmark.results import ExtractionLog, atomic_write_text, scores_frame, write_frame, write_json
    from benchmark.score.lexicon import Lexicon
    from benchmark.score.metrics import score_extraction
    from benchmark.stats.summary import summarize

    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(3000)]
    chrome = ["E-mail to a friend", "Share this on:", "Most Popular", "Sign up for our newsletter", "Advertisement"]
    lexicon = Lexicon(version="test", phrases=("Advertisement", "Sign up for our newsletter"))
    run_dir.mkdir(parents=True)
    pages, golds, scores = [], [], []
    with ExtractionLog(run_dir / "extractions.jsonl") as log:
        for i in range(n_pages):
            page_id = f"site{i % 37}-{2000 + i % 25}-story-{i:05d}"
            n_paras = max(1, words_per_page // 80)
            paras = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 120))) + "."
                     for _ in range(n_paras)]
            gold_text = "\n\n".join(paras)
            nav = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 6))) for _ in range(30)]
            page_chrome = tuple(rng.sample(chrome, 3))
            card = Card(url=f"https://example.org/{page_id}", site=f"site{i % 37}", language=rng.choice(["en", "de"]),
                        published=dt.date(2000 + i % 25, 1, 1), layout=tuple(rng.sample(["share-bar", "paywall",
                                                                                            "live-blog"], 2)),
                        chrome=page_chrome)
            gold = Gold(page_id=page_id, path=f"gold/{page_id}.txt", text=gold_text)
            golds.append(json.dumps({"page_id": page_id, "text": gold_text, "with": [], "without": []}))
            full = "\n".join([*nav[:15], *page_chrome, gold_text, *nav[15:]])
            pages.append({"page_id": page_id, "site": card.site, "language": card.language,
                          "published": card.published.isoformat(), "era": card.era, "encoding": "utf-8",
                          "encoding_source": "meta", "charset_family": "unicode",
                          "layout": json.dumps(list(card.layout)), "gold_tokens": len(gold_text.split()),
                          "page_tokens": len(full.split()),
                          "difficulty": round(len(gold_text.split()) / len(full.split()), 4),
                          "page_bytes": len(full), "url": card.url})
            for name in extractors:
                if name == "gold":
                    text = gold_text
                elif name == "full-text":
                    text = full
                else:
                    kept = [p for p in paras if rng.random() > 0.15]
                    text = "\n\n".join([*rng.sample(nav, 2), *kept, rng.choice(page_chrome)])
                if name not in ("gold", "full-text") and rng.random() < 0.02:
                    extraction = Extraction(name, page_id, Outcome.ERROR, error="ValueError: cannot parse", ms=3.0)
                else:
                    extraction = Extraction(name, page_id, Outcome.OK, text=text, ms=rng.lognormvariate(2, 0.8))
                log.append(extraction)
                scores.append(score_extraction(extraction, gold, card, lexicon))
    atomic_write_text(run_dir / "golds.jsonl", "\n".join(golds) + "\n")
    table = scores_frame(scores).sort_values(["extractor", "page_id"], kind="stable")
    write_frame(run_dir / "scores.csv", table)
    write_frame(run_dir / "summary.csv", summarize(table, {n: "1.0" for n in extractors}, seed=1, n_boot=200))
    write_frame(run_dir / "pages.csv", pd.DataFrame(pages))
    kinds = {"gold": "baseline", "full-text": "full-text"}
    write_json(run_dir / "run.json", {
        "schema_version": 1, "run_id": run_dir.name, "status": "complete", "harness_version": "0.1.0",
        "corpus": {"name": "synthetic", "root": str(run_dir), "digest": "0" * 64, "pages": n_pages, "skipped": []},
        "extractors_requested": list(extractors),
        "options": {"jobs": 1, "timeout_s": 30.0, "seed": 1, "bootstrap_resamples": 200},
        "lexicon_version": "test", "libraries": {"lxml": "x", "libxml2": "y"},
        "environment": {"python": "3", "implementation": "CPython", "platform": "test", "machine": "x",
                        "cpu_count": "1"},
        "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:01:00+00:00", "elapsed_s": 60.0,
        "extractors": {n: {"kind": kinds.get(n, "article"), "input": "text", "version": "1.0", "options": {},
                           "options_digest": "ab" * 32, "available": True, "import_ms": 1.0, "note": ""}
                       for n in extractors},
        "outcomes": {},
    })
    return run_dir


def test_large_run_puts_later_diffs_in_sibling_files(tmp_path, monkeypatch):
    import lxml.html
    import pandas as pd

    from benchmark.report import html as report_html
    from benchmark.results import stored_result

    monkeypatch.setattr(report_html, "INLINE_PAGES", 10)
    monkeypatch.setattr(report_html, "CHUNK_PAGES", 8)
    run_dir = synthetic_run(tmp_path / "run", 30, words_per_page=80)
    written = report_html.render_html(stored_result(run_dir), run_dir / "report.html")
    chunks = sorted(p.name for p in (run_dir / "report-pages").iterdir())
    assert chunks == ["pages-0011-0018.html", "pages-0019-0026.html", "pages-0027-0030.html"]
    assert len(written) == 4
    main_doc = lxml.html.document_fromstring((run_dir / "report.html").read_text(encoding="utf-8"))
    assert len(main_doc.xpath("//details[contains(@class, 'card')]")) == 10
    links = main_doc.xpath("//table[@id='page-index']//td[@class='page']/a/@href")
    eleventh = sorted(pd.read_csv(run_dir / "pages.csv")["page_id"])[10]
    assert len(links) == 30 and links[0].startswith("#page-")
    assert links[10] == f"report-pages/pages-0011-0018.html#page-{eleventh}"
    chunk = lxml.html.document_fromstring((run_dir / "report-pages" / chunks[0]).read_text(encoding="utf-8"))
    cards = chunk.xpath("//details[contains(@class, 'card')]")
    assert cards[0].get("id") == f"page-{eleventh}" and len(cards) == 8
    assert chunk.xpath("//a[@href='../report.html#pages']")
    assert chunk.xpath("//ins[@class='leak']")

    # a smaller re-render removes the sibling files it no longer needs, and only those
    (run_dir / "report-pages" / "notes.txt").write_text("mine")
    monkeypatch.setattr(report_html, "INLINE_PAGES", 40)
    report_html.render_html(stored_result(run_dir), run_dir / "report.html")
    assert sorted(p.name for p in (run_dir / "report-pages").iterdir()) == ["notes.txt"]


def test_a_run_without_texts_or_page_facts_still_renders(tmp_path):
    from benchmark.report.html import render_html
    from benchmark.results import stored_result

    run_dir = synthetic_run(tmp_path / "run", 5, extractors=("alpha", "gold"), words_per_page=80)
    for name in ("extractions.jsonl", "golds.jsonl", "pages.csv"):
        (run_dir / name).unlink()
    render_html(stored_result(run_dir), run_dir / "report.html")
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "has no extractions.jsonl" in html and "has no pages.csv" in html
    assert html.count('class="card"') == 5  # scores per page are still there


def test_render_time_and_size_stay_small(tmp_path):
    import time

    from benchmark.report import html as report_html
    from benchmark.results import stored_result

    run_dir = synthetic_run(tmp_path / "run", 120, extractors=("alpha", "beta", "gamma", "full-text", "gold"))
    start = time.perf_counter()
    report_html.render_html(stored_result(run_dir), run_dir / "report.html")
    elapsed = time.perf_counter() - start
    main_size = (run_dir / "report.html").stat().st_size
    assert (run_dir / "report-pages" / "pages-0101-0120.html").is_file()
    assert main_size < 60_000 * report_html.INLINE_PAGES  # the main file holds only the first pages' diffs
    assert elapsed < 30, f"rendering 120 pages took {elapsed:.1f} s"


# --------------------------------------------------------------------------- alignment and charts


def _tokens(segments, kinds):
    return [t.casefold() for s in segments if s.kind in kinds for t in re.findall(r"\w+", s.text)]


def test_alignment_keeps_both_texts_and_the_lcs():
    from rapidfuzz.distance import LCSseq

    rng = random.Random(7)
    for _ in range(300):
        vocab = ["a", "b", "c", "d", "e"][: rng.randint(2, 5)]
        gold = [rng.choice(vocab) for _ in range(rng.randint(0, 30))]
        output = [rng.choice(vocab) for _ in range(rng.randint(0, 30))]
        lcs = LCSseq.similarity(gold, output) if gold and output else 0
        for cleanup in (False, True):
            result = align(" ".join(gold), " ".join(output), cleanup=cleanup)
            assert _tokens(result.segments, {SAME, MISSED}) == gold
            assert _tokens(result.segments, {SAME, LEAKED}) == output
            assert result.kept == lcs if not cleanup else result.kept <= lcs
            assert result.kept + result.missed == len(gold) and result.kept + result.leaked == len(output)
            assert "".join(s.text for s in result.segments if s.kind != MISSED) == " ".join(output)


def test_alignment_shows_output_as_returned_and_matches_like_the_metrics():
    output = "Home | News\nThe Harbour board APPROVED it.\n\nÉté &amp; <b>more</b>\nShare this"
    gold = "The harbour board approved it, officials said. Été more"
    result = align(gold, output)
    kinds = {s.kind for s in result.segments}
    assert kinds == {SAME, MISSED, LEAKED, "plain"}
    assert "".join(s.text for s in result.segments if s.kind != MISSED) == output  # as returned, not normalised
    assert [s.text for s in result.segments if s.kind == MISSED] == [" officials said"]
    assert [s.text for s in result.segments if s.kind == LEAKED] == ["Home | News", "Share this"]
    assert token_spans("ＡＢＣ Straße")[2] == ["abc", "strasse"]  # NFKC and casefold, as textnorm


def test_alignment_slides_a_lone_match_to_the_article():
    gold = "BELDEN -- A water main burst on Tuesday."
    output = "Serving Ashford, Belden and Carrow\nLOCAL NEWS\nBELDEN -- A water main burst on Tuesday."
    result = align(gold, output)
    assert [s.text for s in result.segments if s.kind == SAME] == ["BELDEN -- A water main burst on Tuesday"]
    assert result.leaked == 7 and result.missed == 0


def test_alignment_shows_a_wrong_output_as_one_miss_and_one_leak():
    gold = ("The council approved the budget for the new harbour wall on Tuesday, and the work is to start in "
            "the spring of next year.")
    output = "Sign up to the newsletter and get the best of the week in your inbox. Read more on the site."
    result = align(gold, output)
    assert [s.kind for s in result.segments if s.kind != "plain"] == [MISSED, LEAKED]
    assert result.kept == 0
    assert align(gold, output, cleanup=False).kept > 0  # the raw LCS matched stray words ("the", "and")
    # a correct paragraph between a long miss and a long leak stays kept
    body = "Ferry fares rise by ten percent from June, the operator said in a statement on Monday."
    missed = " ".join(f"m{i}" for i in range(30))
    leaked = " ".join(f"l{i}" for i in range(30))
    result = align(f"{missed}. {body}", f"{body} {leaked}")
    assert [s.text for s in result.segments if s.kind == SAME] == [body.rstrip(".")]


def test_charts_escape_labels_from_data():
    from lxml import etree

    from benchmark.report import charts

    name = "<script>alert(1)</script> $x$ & co"
    for chart in (charts.f1_distribution([(name, [0.5, 0.7], 0.6, 0.5, 0.7, "#000"), ("b", [1.0], 1.0, 1.0, 1.0, "#111")]),
                  charts.precision_recall([(name, 0.5, 0.4, 0.6, 0.7, 0.6, 0.8, "#000")]),
                  charts.quality_speed([(name, 3.0, 9.0, 0.5, "#000")])):
        root = etree.fromstring(str(chart.svg).encode())
        assert not root.xpath("//*[local-name()='script' or local-name()='foreignObject']")
        texts = "".join(root.itertext())
        assert "<script>alert(1)</script>" in texts and "$x$" in texts
        assert "width" not in root.attrib and root.get("viewBox")
