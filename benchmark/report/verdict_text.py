"""The report's first screen in words: what the pages are, who is tied at the top, and the picks.

Sentences are lists of (text, bold) segments, so report.md (``**bold**``)
and report.html (``<strong>``, autoescaped) say exactly the same thing. A
tie is always called a tie: the top group's members are named together, and
no sentence calls one of them the winner.
"""

from __future__ import annotations

import math
from typing import Any

Segment = tuple[str, bool]
Sentence = list[Segment]


def _f(value: Any, digits: int = 3) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if number != number else f"{number:.{digits}f}"


def _signed(value: float) -> str:
    return "–" if value != value else f"{value:+.3f}"


def _names(names: list[str]) -> Sentence:
    out: Sentence = []
    for k, name in enumerate(names):
        if k:
            out.append((" and " if k == len(names) - 1 else ", ", False))
        out.append((name, True))
    return out


def provenance_sentences(analysis: Any) -> list[Sentence]:
    """What the pages are: source, kind, years, licence, page count, and where language labels come from."""
    prov = analysis.provenance
    first: Sentence = [(f"{prov['pages']} pages", True), (f" from {prov['title']}", False)]
    details = [d for d in (prov.get("years"), f"licence {prov['licence']}" if prov.get("licence") else "") if d]
    if details:
        first.append((f" ({', '.join(details)})", False))
    first.append((". " + prov["evidence"], False))
    sentences = [first]
    if prov.get("summary"):
        sentences.append([(" ".join(str(prov["summary"]).split()), False)])
    langs = ", ".join(f"{code} {n}" for code, n in prov["languages"][:8])
    more = len(prov["languages"]) - 8
    if langs:
        line: Sentence = [("Languages: ", True), (langs + (f" and {more} more" if more > 0 else ""), False),
                          (f"; labels {prov['languages_origin']}.", False)]
        disagree = prov.get("disagree") or []
        if disagree:
            shown = {(d["site"] or d["page_id"], d["declared"], d["identified"]): None for d in disagree}
            examples = ", ".join(f"{site} declares \"{declared}\", reads as \"{identified}\""
                                 for site, declared, identified in list(shown)[:3])
            line.append((f" The declared label differs from the identified one on {len(disagree)} pages "
                         f"({examples}); splits and language-aware extractors use the identified one.", False))
        sentences.append(line)
    return sentences


def verdict_sentences(analysis: Any) -> list[Sentence]:
    """The top group (a tie when it is one), the comparisons behind it, and the dataset's own metric beside it."""
    top = analysis.top
    if top is None:
        return [[("No article extractor was scored.", False)]]
    rows = {str(r["extractor"]): r for r in analysis.ranked.to_dict("records")}
    m = len(top.comparisons)
    correction = f"paired bootstrap over the same pages, Holm-corrected over {m} comparisons" if m > 1 else \
        "paired bootstrap over the same pages"
    if top.tied:
        sentence: Sentence = [("Tied at the top:", True), (" ", False), *_names(list(top.members)),
                              (f". On these {top.pages} pages none of them is significantly better than the "
                               f"others ({correction}), so none can be called the winner: ", False)]
        parts = []
        for c in top.comparisons:
            if c.b in top.members:
                p = c.p_holm if c.p_holm is not None else c.p_value
                parts.append(f"{c.a} − {c.b} = {_signed(c.diff)} [{_signed(c.ci_low)}, {_signed(c.ci_high)}], "
                             f"p = {_f(p, 2)}")
        sentence.append(("; ".join(parts) + ".", False))
    else:
        best = rows[top.best]
        sentence = [("Best:", True), (" ", False), (top.best, True),
                    (f", mean F1 {_f(best['f1_mean'])} [{_f(best['f1_ci_low'])}, {_f(best['f1_ci_high'])}] over "
                     f"{top.pages} pages, significantly ahead of every other article extractor ({correction})", False)]
        if top.comparisons:
            closest = min(top.comparisons, key=lambda c: c.diff if c.diff == c.diff else math.inf)
            sentence.append((f"; the closest, {closest.b}, is {_f(closest.diff)} "
                             f"[{_f(closest.ci_low)}, {_f(closest.ci_high)}] behind", False))
        sentence.append((".", False))
    sentences = [sentence]
    members = [rows[n] for n in top.members]
    means = ", ".join(f"{r['extractor']} {_f(r['f1_mean'])} (median {_f(r.get('f1_median'))})" for r in members)
    sentences.append([("Mean token F1 of the top group: " + means + ".", False)])
    own = analysis.own_metric
    if own is not None and own.get("leader"):
        values = own["values"]
        listed = ", ".join(f"{n} {_f(values[n][0])}" for n in analysis.candidates if n in values)
        line: Sentence = [(f"The dataset's own metric ({own['label']}): ", True), (listed + ". ", False)]
        if own["disagrees"]:
            line += [(f"It ranks the leaders differently: under {own['label']} ", False), (own["leader"], True),
                     (f" leads ({_f(values[own['leader']][0])} vs {_f(values.get(own['token_leader'], (math.nan,))[0])}"
                      f" for {own['token_leader']}), while token F1 puts {own['token_leader']} first.", False)]
        else:
            line.append((f"It puts {own['leader']} first too.", False))
        sentences.append(line)
    return sentences


def pick_sentences(analysis: Any) -> list[Sentence]:
    """One line per pick: the need, the extractor (and who it is tied with), the pages and the interval."""
    lines = []
    for pick in analysis.picks:
        if pick.metric == "ms median":
            figure = f"{pick.value:.1f} ms median per page ({pick.note})"
        else:
            interval = f" [{_f(pick.ci_low)}, {_f(pick.ci_high)}]" if pick.ci_low is not None else ""
            figure = f"{pick.metric} {_f(pick.value)}{interval}"
        line: Sentence = [(f"{pick.need[:1].upper()}{pick.need[1:]}: ", False), (pick.extractor, True)]
        if pick.tied_with:
            line.append((" (tied with " + ", ".join(pick.tied_with) + ")", False))
        line.append((f", {figure}, {pick.pages} pages.", False))
        lines.append(line)
    return lines


def merged(sentence: Sentence) -> Sentence:
    """Neighbouring segments of one kind joined, so bold never starts where bold just ended."""
    out: Sentence = []
    for text, bold in sentence:
        if out and out[-1][1] == bold:
            out[-1] = (out[-1][0] + text, bold)
        elif text:
            out.append((text, bold))
    return out


def as_markdown(sentence: Sentence) -> str:
    """Bold segments as **text** (spaces kept outside the marks, as Markdown needs); data escaped."""
    from benchmark.report.markdown import escape_md

    parts = []
    for text, bold in merged(sentence):
        if bold:
            core = text.strip()
            lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            parts.append(f"{lead}**{escape_md(core)}**{trail}" if core else text)
        else:
            parts.append(escape_md(text))
    return "".join(parts)


def as_text(sentence: Sentence) -> str:
    return "".join(text for text, _ in sentence)
