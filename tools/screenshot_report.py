"""Screenshots of a report.html for the README and the issue: the top, one opened per-page diff, both widths.

    python tools/screenshot_report.py results/latest/report.html
    python tools/screenshot_report.py REPORT --page PAGE_ID --extractor NAME --out-dir DIR

Writes beside the report (or in --out-dir):
- report-top.png: the first screen at --width (1280) pixels;
- report-page-diff.png: one page's card with an extractor's output aligned against the gold;
- report-1400.png: the first screen and the ranking at 1400 pixels (a laptop);
- report-390.png: the verdict and the charts at 390 pixels (a phone), checked not to overflow.
Needs Chromium (Debian package `chromium`, or $CHROMIUM); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

#: picks the per-page diff to show: the given one, or the extractor's diff
#: (best-ranked article extractor by default) whose first missed and first
#: leaked text come earliest, so the picture shows both marks and kept text
PICK = """((page, extractor) => {
  const ranking = [...document.querySelectorAll('#ranking-table tbody tr.article')].map(r => r.dataset.extractor);
  const names = extractor ? [extractor] : ranking;
  // the corpus's main language first, so the picture is readable to most readers of the README
  const langs = {};
  for (const row of document.querySelectorAll('#page-index tbody tr')) {
    const lang = row.cells[1].textContent;
    (langs[lang] = langs[lang] || []).push(row.querySelector('a').getAttribute('href').split('#')[1]);
  }
  const main = Object.values(langs).sort((a, b) => b.length - a.length)[0] || [];
  const cards = [...document.querySelectorAll('details.card')]
    .filter(c => page ? c.id === 'page-' + page : main.includes(c.id));
  for (const name of names) {
    let best = null;
    for (const card of cards) {
      const diff = [...card.querySelectorAll('details.diff')].find(d => d.dataset.extractor === name);
      const text = diff && diff.querySelector('.aligned');
      if (!text) continue;
      const html = text.innerHTML, miss = html.indexOf('<del'), leak = html.indexOf('<ins');
      if (!page && (miss < 0 || leak < 0)) continue;
      const size = Math.max(miss, leak) + text.textContent.length / 50;
      if (!best || size < best.size) best = {card: card.id, extractor: name, size: size};
    }
    if (best) return best;
  }
  return null;
})"""


def main(argv: list[str] | None = None) -> int:
    """Write the two screenshots; exit 2 when Chromium or the diff to show cannot be found."""
    from benchmark.report.headless import BrowserError, Chromium, find_chromium

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="path of report.html")
    parser.add_argument("--out-dir", type=Path, help="where to write the PNGs (default: beside the report)")
    parser.add_argument("--page", help="page id of the diff to show (default: picked automatically)")
    parser.add_argument("--extractor", help="extractor whose diff to show (default: best-ranked article extractor)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000, help="height of the top screenshot")
    parser.add_argument("--diff-height", type=int, default=1500, help="largest height of the diff screenshot")
    parser.add_argument("--crop", choices=("card", "diff"), default="card",
                        help="start the diff screenshot at the page card (default) or at the opened diff")
    args = parser.parse_args(argv)

    if not args.report.is_file():
        print(f"{args.report}: no such file", file=sys.stderr)
        return 2
    if find_chromium() is None:
        print("Chromium not found: apt-get install -y chromium, or set $CHROMIUM", file=sys.stderr)
        return 2
    out_dir = args.out_dir or args.report.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    url = args.report.resolve().as_uri()
    try:
        with Chromium(width=args.width, height=args.height) as browser:
            log = browser.open(url)
            top = browser.screenshot(out_dir / "report-top.png")
            pick = browser.evaluate(f"{PICK}({json.dumps(args.page)}, {json.dumps(args.extractor)})")
            if pick is None:
                print("no per-page diff with missed and leaked text to show; pass --page/--extractor",
                      file=sys.stderr)
                return 2
            box = browser.evaluate(f"""(() => {{
                const card = document.getElementById({json.dumps(pick['card'])});
                card.open = true;
                let shown = null;
                for (const d of card.querySelectorAll('details.diff')) {{
                  d.open = d.dataset.extractor === {json.dumps(pick['extractor'])};
                  if (d.open) shown = d;
                }}
                const r = ({json.dumps(args.crop)} === 'card' ? card : shown).getBoundingClientRect();
                return [r.left + scrollX, r.top + scrollY, r.width, r.height];
            }})()""")
            time.sleep(0.2)
            left, top_y, width, height = box
            diff = browser.screenshot(out_dir / "report-page-diff.png", clip={
                "x": max(0, left - 12), "y": max(0, top_y - 12), "width": min(args.width, width + 24),
                "height": min(args.diff_height, height + 24)})
        widths = []
        for width, height, name in ((1400, 1300, "report-1400.png"), (390, 2400, "report-390.png")):
            with Chromium(width=width, height=height) as browser:
                browser.open(url)
                overflow = browser.evaluate("document.documentElement.scrollWidth") > width
                clipped = browser.evaluate(f"""[...document.querySelectorAll('svg.chart')].filter(svg => {{
                    const r = svg.getBoundingClientRect(); return r.left < 0 || r.right > {width} + 0.5; }}).length""")
                if width < 600:  # the phone picture shows the charts, which must scale rather than be cut
                    top_y = browser.evaluate("document.getElementById('tradeoffs').getBoundingClientRect().top + scrollY")
                    widths.append(browser.screenshot(out_dir / name, clip={"x": 0, "y": top_y, "width": width,
                                                                            "height": height}))
                else:
                    widths.append(browser.screenshot(out_dir / name))
                if overflow or clipped:
                    print(f"{name}: the page overflows ({overflow}) or {clipped} charts are clipped at {width} px",
                          file=sys.stderr)
    except BrowserError as exc:
        print(f"Chromium failed: {exc}", file=sys.stderr)
        return 2
    if log.errors():
        print("the report logged errors:\n  " + "\n  ".join(log.errors()), file=sys.stderr)
    print(f"Wrote {top}\nWrote {diff} ({pick['card'].removeprefix('page-')}, {pick['extractor']})")
    for path in widths:
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
