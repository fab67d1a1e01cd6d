"""The content rules of a corpus: gold against page, card against page, structure marks, and real-page ranges.

Every finding is a `Problem` naming its file, one line each. Errors fail
validation; warnings (the bundled corpus leaves the reference ranges of
real pages) and notes (a check that could only run on text, and why) are
shown and do not. Each page is parsed once, and that one tree serves every
rule and the weight statistics.

Rules for every corpus: gold coverage (the page's text: visible text,
`<noscript>`, JSON-LD `articleBody`, and on `state-blob-body` pages the
strings of inline JSON state), chrome strings visible and not in the gold,
must_include passages in the gold, structure marks well formed and shown by
the page. Rules for the bundled corpus only (the checkout's own, or a
corpus whose gold/CORPUS.toml says `kind = "authored"`): the card's
`template` and annotation counts, the share-bar/author-bio lint, and the
reference-range warnings.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

from benchmark.corpus.weights import PageWeight
from benchmark.records import Corpus, Gold, Page, Problem

#: gold tokens that may be missing from the page's text before it counts as a
#: typo: 2% leaves room for a ligature or a soft hyphen the annotator resolved
#: by hand, and still catches a mistyped word in a 50-word gold.
MIN_GOLD_COVERAGE = 0.98


def held_to_bundled_rules(corpus: Corpus) -> bool:
    """The checkout's own corpus, or one that says it was authored like it."""
    from benchmark.corpus.bundled import bundled_root

    if corpus.provenance is not None and corpus.provenance.kind == "authored":
        return True
    bundled = bundled_root()
    return bundled is not None and Path(corpus.root).resolve() == bundled.resolve()


def _coverage(page: Page, gold: Gold, page_text: str, cut_short: bool = False) -> list[Problem]:
    from benchmark.corpus.decoding import charset_problem
    from benchmark.score.textnorm import tokenize

    gold_tokens = tokenize(gold.text or "")
    if not gold_tokens:
        return []
    page_tokens = Counter(tokenize(page_text))
    missing = [t for t in gold_tokens if t not in page_tokens]
    coverage = 1 - len(missing) / len(gold_tokens)
    if coverage >= MIN_GOLD_COVERAGE:
        return []
    shown = ", ".join(sorted(set(missing))[:8])
    if cut_short:
        cause = "the page is cut short at the parser's depth limit: see the page's problem"
    elif charset_problem(page.raw, page.encoding, page.encoding_source) is not None:
        cause = "the page's charset is in doubt: see the page's charset problem"
    else:
        cause = "a typo in the gold?"
    return [Problem(gold.path, f"gold coverage {coverage:.3f} < {MIN_GOLD_COVERAGE}: tokens not on the page: "
                    f"{shown} ({cause})", page.page_id)]


def _card_strings(page: Page, gold: Gold, visible: str, card_path: str) -> list[Problem]:
    """Chrome strings visible and absent from the gold; must_include passages in the gold."""
    from benchmark.score.metrics import find_passages

    problems = []
    found_on_page = set(find_passages(visible, page.card.chrome))
    found_in_gold = set(find_passages(gold.text or "", page.card.chrome))
    for chrome in page.card.chrome:
        if chrome not in found_on_page:
            problems.append(Problem(card_path, f"chrome string {chrome!r} is not visible on the page", page.page_id))
        if chrome in found_in_gold:
            problems.append(Problem(card_path, f"chrome string {chrome!r} occurs in the gold: remove it from one "
                                    "of them", page.page_id))
    in_gold = set(find_passages(gold.text or "", page.card.must_include))
    for passage in page.card.must_include:
        if passage not in in_gold:
            problems.append(Problem(card_path, f"must_include passage {passage!r} is not in the gold"
                                    + _unmarked_hint(passage), page.page_id))
    return problems


def _unmarked_hint(passage: str) -> str:
    """A passage copied with its structure marks: say what the metrics compare it with instead."""
    from benchmark.corpus.goldmarks import plain_text

    plain = " ".join(plain_text(passage).split())
    if not plain or plain == " ".join(passage.split()):
        return ""
    return (f": passages are matched against the gold without its marks (and extractors output none); "
            f"write {plain!r}")


def _marks(page: Page, gold: Gold, root, out_of_dom: list[str]) -> list[Problem]:
    """Structure marks well formed, and shown by the page (or, where the body is outside the DOM, by its text)."""
    from benchmark.corpus.goldmarks import check_marks, parse_gold
    from benchmark.corpus.page_structure import OUT_OF_DOM_BODY, structure_problems

    if gold.marked is None:
        return []
    malformed = check_marks(gold.marked)
    problems = [Problem(gold.path, f"structure marks: {message}", page.page_id) for message in malformed]
    if malformed:
        return problems  # the page check reads the marks; fix them first
    missing, as_text = structure_problems(parse_gold(gold.marked), root, out_of_dom=out_of_dom)
    problems += [Problem(gold.path, f"structure not on the page: {message}", page.page_id) for message in missing]
    if as_text:
        reasons = "; ".join(why for tag, why in OUT_OF_DOM_BODY.items() if tag in page.card.layout)
        problems.append(Problem(gold.path, f"{as_text} marked unit(s) checked as text only, not as page structure "
                                f"({reasons or 'the body is outside the DOM'})", page.page_id, severity="note"))
    return problems


def _page_problems(page: Page, gold: Gold, root, bundled_rules: bool, share_tools: Sequence[str],
                   cut_short: bool = False) -> list[Problem]:
    """Every rule for one page, on its one parsed tree."""
    from benchmark.corpus.card_lint import card_rules, layout_lint
    from benchmark.corpus.inline_state import state_strings
    from benchmark.corpus.page_structure import OUT_OF_DOM_BODY
    from benchmark.corpus.visible_text import jsonld_article_bodies, visible_text

    html = page.html
    visible = visible_text(html, root=root)
    out_of_dom = jsonld_article_bodies(html, root)
    if "state-blob-body" in page.card.layout:
        out_of_dom += state_strings(root)
    card_path = str(Path(gold.path).with_suffix(".toml"))
    problems = _coverage(page, gold, "\n".join([visible, *out_of_dom]), cut_short)
    problems += _card_strings(page, gold, visible, card_path)
    problems += _marks(page, gold, root, out_of_dom if set(page.card.layout) & set(OUT_OF_DOM_BODY) else [])
    if bundled_rules:
        lines = visible.split("\n")
        found = card_rules(page.card, card_path) + layout_lint(page.card, root, lines, gold.text or "", share_tools)
        problems += [Problem(card_path, message, page.page_id) for message in found]
    return problems


def validate(corpus: Corpus, *, reference=None) -> list[Problem]:
    """Loading problems plus the content rules; on the bundled corpus also warnings where it leaves real ranges.

    `reference` is a `stats.ranges.ReferenceRanges` (default: the ranges the
    package ships); only `severity == "error"` problems fail validation.
    """
    from benchmark.corpus.stats import measure_page
    from benchmark.corpus.visible_text import parse_document
    from benchmark.score.lexicon import load_lexicon

    problems = list(corpus.problems)
    bundled_rules = held_to_bundled_rules(corpus)
    share_tools = load_lexicon().share_tools
    weights: list[PageWeight] = []
    for page in corpus.pages:
        gold = corpus.golds[page.page_id]
        if gold.text is None:
            continue
        root, n_errors, cut_short = parse_document(page.html, keep_comments=True)
        if cut_short is not None:
            problems.append(Problem(page.path, cut_short, page.page_id))
        problems += _page_problems(page, gold, root, bundled_rules, share_tools, cut_short is not None)
        if bundled_rules:
            weights.append(measure_page(page, gold, root=root, n_errors=n_errors))
    if bundled_rules and weights:
        from benchmark.corpus.ranges import load_reference, range_warnings, summarize_weights

        reference = reference if reference is not None else load_reference()
        where = str(Path(corpus.root) / "pages")
        problems += [Problem(where, message, severity="warning")
                     for message in range_warnings(summarize_weights(weights), reference)]
    return problems
