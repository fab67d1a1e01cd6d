"""Stage 1, the corpus: saved pages and their gold in, `Page` and `Gold` records out.

Takes a folder in the bundled format (``pages/`` + ``gold/``) or a public
dataset where it lies, and gives a `records.Corpus`: each page's bytes decoded
once, its card, its gold, and every problem found on the way, naming the file.

- `bundled`: reading and validating the bundled format;
- `decoding`: bytes to text (BOM, meta charset, detection);
- `visible_text`: a page's visible text (the full-text baseline, gold coverage);
- `datasets`: importers of public datasets (AEB, snippet sets, CleanEval, ...);
- `facts`: per-page facts the split tables group by (pages.csv).
"""
