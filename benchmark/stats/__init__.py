"""Stage 4, statistics: the per-page scores table in, summaries with seeded bootstrap intervals out.

- `summary`: one row per extractor (macro and micro figures, intervals);
- `bootstrap`: the seeded resampling of pages every interval shares;
- `paired`: paired differences between extractors, or between two runs;
- `splits`: the summary per stratum of a card field (language, era, layout, difficulty).
"""
