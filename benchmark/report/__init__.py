"""Stage 5, the report: a run (fresh or read back from its folder) in, report.md and report.html out.

- `render`: `write_reports`, every report file into the run folder from one `analysis`;
- `analysis`: every figure both reports show (ranking, top group, picks, own metric, splits);
  `verdict_text` its first screen in words, `ranking` the shared tables, `split_tables` the splits;
- `markdown`: report.md; `latex`: table.tex; `outputs`: each page's raw outputs (outputs/);
- `html`: report.html, the page builder; `html_sections` and `html_pages`
  compute its sections and its per-page views;
- `charts` (on `svg`): the inline SVG charts; `templates/`: the Jinja2 templates, CSS and script;
- `reproduce`: the commands that repeat a run; `multirun`: several runs on one page;
- `headless`: a headless Chromium that checks the HTML report renders;
- `matrix_markdown`, `matrix_html`: a version matrix's matrix.md and matrix.html (trend chart,
  deltas between neighbouring releases, flipped pages with their diffs).
"""
