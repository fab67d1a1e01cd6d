"""Stage 5, the report: a run (fresh or read back from its folder) in, report.md and report.html out.

- `render`: `write_reports`, both reports into the run folder;
- `markdown`: report.md;
- `html`: report.html, the page builder; `html_sections` and `html_pages`
  compute its sections and its per-page views;
- `charts`: the inline SVG charts; `templates/`: the Jinja2 templates, CSS and script;
- `headless`: a headless Chromium that checks the HTML report renders;
- `matrix_markdown`, `matrix_html`: a version matrix's matrix.md and matrix.html (trend chart,
  deltas between neighbouring releases, flipped pages with their diffs).
"""
