"""report.html in a real browser (headless Chromium): it renders, shows the ranking and charts, logs no error, fetches nothing."""

from __future__ import annotations

import struct
import time

import pytest

from benchmark.report.headless import Chromium, find_chromium
from tests.report.test_report_html import FRAGILE, XSS_PAGE, real_run

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium not found: install Debian's `chromium` package (`apt-get install -y chromium`; .ci/run does) "
           "or point $CHROMIUM at a Chromium/Chrome binary")


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    run = real_run(tmp_path_factory.mktemp("report-browser"))
    return (run.run_dir / "report.html").resolve().as_uri(), run


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


#: what the browser test measures in a page: ids, chart labels and leaders, widths
LAYOUT = """(() => {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const r = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('text.label')].map(t => {
      const b = t.getBoundingClientRect(); return {name: t.dataset.for, box: [b.left, b.top, b.right, b.bottom]}; });
    const dots = Object.fromEntries([...svg.querySelectorAll('circle.dot')].map(c => [c.dataset.name,
      [parseFloat(c.getAttribute('cx')), parseFloat(c.getAttribute('cy'))]]));
    const leaders = [...svg.querySelectorAll('line.leader')].map(l => ({name: l.dataset.for,
      start: [parseFloat(l.getAttribute('x1')), parseFloat(l.getAttribute('y1'))]}));
    return {id: svg.id, left: r.left, right: r.right, width: r.width, height: r.height, labels, dots, leaders};
  });
  const fits = (id) => { const t = document.getElementById(id); return t.scrollWidth <= t.parentElement.clientWidth + 1; };
  return {ids, charts, viewport: innerWidth, body_width: document.documentElement.scrollWidth,
          index_fits: fits('page-index'), ranking_fits: fits('ranking-table')};
})()"""


def _overlap(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def _check_layout(facts, width):
    assert len(facts["ids"]) == len(set(facts["ids"])), "repeated ids"
    assert facts["body_width"] <= width, "something overflows the page sideways"
    for chart in facts["charts"]:
        assert chart["left"] >= 0 and chart["right"] <= width + 0.5, f"{chart['id']} is clipped at {width} px"
        boxes = [label["box"] for label in chart["labels"]]
        assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), chart["id"]
        for leader in chart["leaders"]:  # a leader line starts at its own label's dot
            assert chart["dots"][leader["name"]] == leader["start"], (chart["id"], leader)


def test_report_renders_without_errors_or_requests(report_url, tmp_path):
    url, run = report_url
    with Chromium(width=1280, height=900) as browser:
        log = browser.open(url)
        shot = browser.screenshot(tmp_path / "top.png")
        facts = browser.evaluate("""(() => {
            const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.width, r.height]; };
            const table = document.getElementById('ranking-table');
            const charts = [...document.querySelectorAll('svg.chart')].map(box);
            return {table: table ? box(table) : null, top: box(document.getElementById('top-group')),
                    about: box(document.getElementById('about')),
                    rows: table ? [...table.tBodies[0].rows].map(r => r.cells[0].textContent) : [],
                    charts: charts, filter_shown: !document.getElementById('page-filter').hidden};
        })()""")
        layout = browser.evaluate(LAYOUT)
        # the filter script works: typing a page id leaves that page's row
        shown = browser.evaluate(f"""(() => {{
            const input = document.getElementById('page-filter-input');
            input.value = {XSS_PAGE!r}; input.dispatchEvent(new Event('input'));
            return [...document.querySelectorAll('#page-index tbody tr')].filter(r => !r.hidden).length;
        }})()""")
        browser.evaluate("""(() => { const i = document.getElementById('page-filter-input');
                                    i.value = ''; i.dispatchEvent(new Event('input')); })()""")
        # sorting from the keyboard: focus a heading's button, press Enter, then Enter again to reverse
        column = browser.evaluate("""(() => {
            const th = [...document.querySelectorAll('#page-index thead th')].find(t => t.textContent === 'full-text');
            th.querySelector('button').focus();
            return [...th.parentNode.children].indexOf(th);
        })()""")
        read = f"""[...document.querySelectorAll('#page-index tbody tr')].map(r => parseFloat(r.cells[{column}].textContent))"""
        sort_state = f"document.querySelectorAll('#page-index thead th')[{column}].getAttribute('aria-sort')"
        browser.press("Enter")
        ascending, state_up = browser.evaluate(read), browser.evaluate(sort_state)
        browser.press("Enter")
        descending, state_down = browser.evaluate(read), browser.evaluate(sort_state)
        # following a link to a page opens its (collapsed) card
        browser.evaluate(f"location.hash = '#page-{XSS_PAGE}'")
        time.sleep(0.2)
        opened = browser.evaluate(f"document.getElementById('page-{XSS_PAGE}').open")
        time.sleep(0.3)  # late console messages
    assert _png_size(shot) == (1280, 900) and shot.stat().st_size > 20_000
    # the first screen says what the pages are and who is at the top
    assert facts["about"][0] < 300 and facts["top"][0] < 900
    assert facts["table"] is not None and facts["table"][2] > 100
    assert set(facts["rows"]) == set(run.summary["extractor"]) and FRAGILE in facts["rows"]
    assert len(facts["charts"]) >= 4 and all(w > 200 and h > 50 for _, w, h in facts["charts"])
    _check_layout(layout, 1280)
    assert facts["filter_shown"] and shown == 1 and opened is True
    assert len(ascending) == 4 and ascending == sorted(ascending) and state_up == "ascending"
    assert descending == sorted(ascending, reverse=True) and state_down == "descending"
    assert log.errors() == []
    # the only loads are the file itself: no network request
    assert log.requests and log.requests[0] == url
    assert [u for u in log.requests if u != url and not u.startswith("data:")] == []


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory):
    """AEB-like hashed page ids (64 hex digits) and seven extractors: the widest page index."""
    import hashlib

    from tests.report.run_builders import noisy, rendered, stored_run

    ids = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(30)]
    names = ["trafilatura", "readability-lxml", "newspaper3k", "justext", "resiliparse", "full-text", "gold"]
    run = stored_run(tmp_path_factory.mktemp("wide") / "run",
                     {n: noisy(0.9 - 0.1 * k, 30, seed=k) for k, n in enumerate(names)}, page_ids=ids)
    rendered(run)
    return (run / "report.html").resolve().as_uri()


@pytest.mark.parametrize("width", [1400, 390])
def test_both_widths_fit_keep_ids_unique_and_labels_apart(wide_run, width, tmp_path):
    with Chromium(width=width, height=1000) as browser:
        log = browser.open(wide_run)
        layout = browser.evaluate(LAYOUT)
        shot = browser.screenshot(tmp_path / f"report-{width}.png")
    assert _png_size(shot) == (width, 1000)
    _check_layout(layout, width)
    if width >= 1400:
        assert layout["index_fits"], "the page index cuts its last column"
        assert layout["ranking_fits"], "the ranking cuts its last column"
    assert len(layout["charts"]) == 4 and all(c["labels"] or c["id"] in ("chart-f1", "chart-heatmap")
                                              for c in layout["charts"])
    assert log.errors() == []


def test_the_checks_see_errors_scripts_and_requests(tmp_path):
    """The assertions above mean something: a page that logs, throws, alerts and fetches is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><title>bad</title><img src='http://127.0.0.1:9/pixel.png'>"
                    "<script>console.error('boom'); alert('xss');</script>"
                    "<script>undefinedFunction();</script>", encoding="utf-8")
    with Chromium() as browser:
        log = browser.open(page.as_uri())
        time.sleep(0.3)
    errors = "\n".join(log.errors())
    assert "boom" in errors and "undefinedFunction" in errors and "dialog alert: xss" in errors
    assert "http://127.0.0.1:9/pixel.png" in log.requests


@pytest.fixture(scope="module")
def several_runs_url(tmp_path_factory):
    """Two datasets and two releases on one page: the dataset table, rank agreement and a version section."""
    from benchmark.report.multirun import write_multirun
    from tests.report.run_builders import noisy, stored_run

    root = tmp_path_factory.mktemp("several")
    names = {"trafilatura": 0.9, "readability-lxml": 0.85, "justext": 0.7}
    first = stored_run(root / "a", {n: noisy(f, 30, seed=k) for k, (n, f) in enumerate(names.items())})
    later = stored_run(root / "b", {n: noisy(f - 0.05, 30, seed=k) for k, (n, f) in enumerate(names.items())},
                       meta={"extractors": {n: {"kind": "article", "version": "2.0"} for n in names}})
    other = stored_run(root / "c", {n: noisy(f, 30, seed=9 + k) for k, (n, f) in enumerate(names.items())},
                       corpus="aeb", meta={"corpus": {"name": "aeb", "root": "x", "digest": "e" * 64, "pages": 30,
                                                      "provenance": {"kind": "real", "title": "AEB"}}})
    return write_multirun([first, later, other], root / "compare.html").resolve().as_uri()


@pytest.mark.parametrize("width", [1400, 390])
def test_the_several_runs_page_renders_fits_and_fetches_nothing(several_runs_url, width):
    with Chromium(width=width, height=900) as browser:
        log = browser.open(several_runs_url)
        facts = browser.evaluate("""(() => {
            const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
            const tables = [...document.querySelectorAll('table')].map(t => t.tBodies[0] ? t.tBodies[0].rows.length : 0);
            return {ids, tables, body_width: document.documentElement.scrollWidth,
                    text: document.body.innerText};
        })()""")
        time.sleep(0.2)  # late console messages
    assert len(facts["ids"]) == len(set(facts["ids"])), "repeated ids"
    assert facts["body_width"] <= width, "something overflows the page sideways"
    assert len(facts["tables"]) >= 3 and all(rows > 0 for rows in facts["tables"])
    assert "Versions on one corpus" in facts["text"] and "1.0 → 2.0" in facts["text"]
    assert log.errors() == []
    assert [u for u in log.requests if u != several_runs_url and not u.startswith("data:")] == []
