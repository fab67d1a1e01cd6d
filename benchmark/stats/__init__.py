"""Stage 4, statistics: the per-page scores table in, summaries with seeded bootstrap intervals out.

- `summary`: one row per extractor (macro and micro figures, intervals);
- `bootstrap`: the seeded resampling of pages every interval shares;
- `paired`: paired differences between extractors, or between two runs;
- `splits`: the pages of each stratum of a card field (language, era, layout, difficulty), and
  the summary per stratum;
- `strata`: means and intervals of every stratum of every split in one vectorised pass;
- `verdict`: the top group (Holm-corrected paired bootstrap) and wins/ties/losses over pages;
- `agreement`: Kendall's tau between two rankings.
"""
