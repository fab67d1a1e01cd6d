"""Stage 1, the corpus: saved pages and their gold in, `Page` and `Gold` records out.

Takes a folder in the bundled format (``pages/`` + ``gold/``) or a public
dataset where it lies, and gives a `records.Corpus`: each page's bytes decoded
once, its card, its gold, and every problem found on the way, naming the file.

- `bundled`: reading the bundled format;
- `goldmarks`: the gold's structure marks (blocks, the plain text metrics read, well-formedness);
- `validation`: the content rules (`boilerbench validate`), with `page_structure` (marks against
  the page), `inline_state` (JSON application state as page text) and `card_lint` (the bundled
  corpus's card rules and layout-tag lint);
- `decoding`: bytes to text (BOM, meta charset, detection);
- `visible_text`: a page's visible text (the full-text baseline, gold coverage);
- `datasets`: importers of public datasets (AEB, NAEB, L3S-GN1, WebMainBench, snippet sets, CleanEval, ...);
- `sampling`: a seeded sample stratified by language and era (`run --sample N`);
- `facts`: per-page facts the split tables group by (pages.csv);
- `stats`, `ranges`, `weighing`: a corpus's weight and structure against real pages'
  (`boilerbench corpus stats`; real pages' ranges in ``data/``).

Registered sets are found by name and downloaded by `benchmark.registry`; the
importers here only read what is on disk.
"""
