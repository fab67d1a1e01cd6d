"""Stage 3, scoring: an `Extraction` and its page's `Gold` (and card) in, a `PageScore` out.

- `scoring`: `score_pair`, the one scoring core, and the scorer a run uses;
- `textnorm`: the one normalisation and tokenisation every metric relies on;
- `lexicon`: the versioned multilingual chrome lexicon (``data/``);
- `metrics`: token and LCS precision/recall/F1, chrome leak, must-include;
- `aeb`, `snippet`, `rouge`: other benchmarks' metrics, reproduced exactly;
- `by_metric`: one extractor's outputs scored under any of those metrics;
- `alignment`: an output aligned to the gold token by token (the report's diffs);
- `predictions`: outputs made elsewhere, read as `Extraction`s.
"""
