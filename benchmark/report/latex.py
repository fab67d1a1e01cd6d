"""table.tex: the summary as a booktabs table for a paper (mean F1 with its interval, median, P, R, speed).

Needs ``\\usepackage{booktabs}``. Every value from data is escaped for LaTeX;
the top group (no significant difference from the best, Holm-corrected) is
set in bold, so a tie never reads as a win.
"""

from __future__ import annotations

from typing import Any

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def escape_tex(text: Any) -> str:
    return "".join(_SPECIAL.get(char, char) for char in str(text))


def _n(value: Any, digits: int = 3) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "--"
    return "--" if number != number else f"{number:.{digits}f}"


def render_table(analysis: Any) -> str:
    """The booktabs table of one run's summary."""
    top = set(analysis.top.members) if analysis.top is not None else set()
    own = analysis.own_metric
    header = ["Extractor", "Version", "F1 [95\\% CI]", "Median F1", "Precision", "Recall"]
    if own is not None:
        header.append(escape_tex(own["label"]))
    header += ["ms (median)", "Failures"]
    lines = [
        "% boilerbench " + escape_tex(analysis.meta.get("harness_version", "")) + ", run "
        + escape_tex(analysis.meta.get("run_id", "")) + "; needs \\usepackage{booktabs}",
        "\\begin{table}[t]", "\\centering", "\\small",
        "\\begin{tabular}{ll" + "r" * (len(header) - 2) + "}", "\\toprule",
        " & ".join(header) + " \\\\", "\\midrule",
    ]
    for rec in analysis.ranked.to_dict("records"):
        name = str(rec["extractor"])
        shown = f"\\textbf{{{escape_tex(name)}}}" if name in top else escape_tex(name)
        version = rec.get("version")
        cells = [shown, escape_tex("" if version is None or version != version else version),
                 f"{_n(rec['f1_mean'])} [{_n(rec['f1_ci_low'])}, {_n(rec['f1_ci_high'])}]", _n(rec.get("f1_median")),
                 _n(rec.get("precision_mean")), _n(rec.get("recall_mean"))]
        if own is not None:
            cells.append(_n(own["values"].get(name, (float("nan"),))[0]))
        cells += [_n(rec.get("ms_median"), 1), str(int(rec["failures"]))]
        lines.append(" & ".join(cells) + " \\\\")
    prov = analysis.provenance
    caption = (f"Token F1 on {prov['pages']} pages of {escape_tex(prov['title'])}: mean over pages with its 95\\% "
               f"percentile bootstrap interval ({analysis.n_boot} resamples over pages, seed {analysis.seed}). "
               "Bold: the top group, whose differences from the best are not significant (paired bootstrap, Holm "
               "correction).")
    if prov["kind"] == "authored":
        caption += " The pages were authored for the benchmark after real templates."
    lines += ["\\bottomrule", "\\end{tabular}", f"\\caption{{{caption}}}", "\\label{tab:boilerbench}",
              "\\end{table}"]
    return "\n".join(lines) + "\n"
