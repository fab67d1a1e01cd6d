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


def test_report_renders_without_errors_or_requests(report_url, tmp_path):
    url, run = report_url
    with Chromium(width=1280, height=900) as browser:
        log = browser.open(url)
        shot = browser.screenshot(tmp_path / "top.png")
        facts = browser.evaluate("""(() => {
            const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.width, r.height]; };
            const table = document.getElementById('ranking-table');
            const charts = [...document.querySelectorAll('svg.chart')].map(box);
            return {table: table ? box(table) : null,
                    rows: table ? [...table.tBodies[0].rows].map(r => r.cells[0].textContent) : [],
                    charts: charts, filter_shown: !document.getElementById('page-filter').hidden,
                    body_width: document.documentElement.scrollWidth};
        })()""")
        # the filter script works: typing a page id leaves that page's row
        shown = browser.evaluate(f"""(() => {{
            const input = document.getElementById('page-filter-input');
            input.value = {XSS_PAGE!r}; input.dispatchEvent(new Event('input'));
            return [...document.querySelectorAll('#page-index tbody tr')].filter(r => !r.hidden).length;
        }})()""")
        # clicking a column heading sorts the page index by it
        sorted_f1 = browser.evaluate("""(() => {
            document.getElementById('page-filter-input').value = '';
            document.getElementById('page-filter-input').dispatchEvent(new Event('input'));
            const th = [...document.querySelectorAll('#page-index thead th')].find(t => t.textContent === 'full-text');
            th.click();
            const col = [...th.parentNode.children].indexOf(th);
            return [...document.querySelectorAll('#page-index tbody tr')].map(r => parseFloat(r.cells[col].textContent));
        })()""")
        # following a link to a page opens its (collapsed) card
        browser.evaluate(f"location.hash = '#page-{XSS_PAGE}'")
        time.sleep(0.2)
        opened = browser.evaluate(f"document.getElementById('page-{XSS_PAGE}').open")
        time.sleep(0.3)  # late console messages
    assert _png_size(shot) == (1280, 900) and shot.stat().st_size > 20_000
    assert facts["table"] is not None and facts["table"][0] < 900 and facts["table"][2] > 100  # above the fold
    assert set(facts["rows"]) == set(run.summary["extractor"]) and FRAGILE in facts["rows"]
    assert len(facts["charts"]) >= 4 and all(w > 200 and h > 100 for _, w, h in facts["charts"])
    assert facts["body_width"] <= 1280  # nothing overflows the page sideways
    assert facts["filter_shown"] and shown == 1 and opened is True
    assert len(sorted_f1) == 4 and sorted_f1 == sorted(sorted_f1)
    assert log.errors() == []
    # the only loads are the file itself and images inlined in the SVG charts: no network request
    assert log.requests and log.requests[0] == url
    assert [u for u in log.requests if u != url and not u.startswith("data:")] == []


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
