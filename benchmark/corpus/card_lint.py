"""Rules for the cards of the bundled corpus: the template family, enough annotations, and layout tags the page calls for.

gold/GUIDELINES.md (section 6) asks every bundled card for a `template`
(one of the CMS or template families listed there), at least 3 chrome strings
and 2 must_include passages; imported datasets are not held to that. The lint
finds two layout tags from the page itself, so a card cannot silently lack
them:

- `share-bar`: a share, e-mail or print tool of the lexicon's `[tools] share`
  list is visible on the page. A phrase ("Artikel versenden") counts on a
  short line of the page's text that is not a sentence (a tool bar, not
  "Readers can share this article with …"); a one-word tool ("Drucken",
  "הדפס") only as the whole text of a link, button or list item, where it
  is a tool and not a word of a sentence. Lines of the gold never count.
- `author-bio`: a line outside the gold reads as an author bio or contact
  line, after the guidelines' examples ("Phil Helsel is a reporter for NBC
  News.", "Have a tip? Amy Kuperinsky may be reached at …", "Northern Wire
  staff writer Jan Koski can be reached at …", "Tom Halvorsen covers banking
  and finance for …", "Об авторе:", "Über den Autor").
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from benchmark.records import Card

#: the card field `template`: the CMS or template families of gold/GUIDELINES.md, section 6
TEMPLATES = ("custom-table", "frontpage", "vignette", "drupal", "wordpress", "joomla", "typo3", "bitrix",
             "escenic", "blox", "brightspot", "arc-xp", "next-js", "nuxt", "amp", "ghost", "substack", "medium")
MIN_CHROME, MIN_MUST_INCLUDE = 3, 2
#: a line of at most this many tokens is "short": tool bars, link lists and labels, not paragraphs
SHORT_LINE_TOKENS = 12
#: a bio or contact line is a sentence or two, not a paragraph of an article
BIO_LINE_TOKENS = 60
_TOOL_ELEMENTS = frozenset({"a", "button", "li"})
_SENTENCE_END = (".", "!", "?", "。", "！", "？", "؟")
_NAME = r"[A-ZÀ-Þ][\w'’.-]+(?: [A-ZÀ-Þ][\w'’.-]+){1,3}"
_ROLE = r"(?:reporter|writer|correspondent|editor|columnist|journalist|contributor|producer|photographer)"
AUTHOR_BIO_PATTERNS = tuple(re.compile(p) for p in (
    r"\b(?:can|may) be reached at\b",                           # "... staff writer Jan Koski can be reached at"
    r"\bHave a tip\b",                                          # "Have a tip? Amy Kuperinsky may be reached at"
    rf"^{_NAME} covers \w[^.]{{2,120}} (?:for|at) ",             # "Tom Halvorsen covers banking and finance for"
    rf"^{_NAME} is an? (?:[\w-]+ ){{0,4}}{_ROLE}\b",             # "Phil Helsel is a reporter for NBC News."
    rf"\b{_ROLE} covering\b",                                   # "Gov Tech reporter covering emergency services"
    r"^(?:About the author|Über den Autor|Über die Autorin|Zum Autor|Zur Autorin|Об авторе|À propos de l'auteur"
    r"|Sobre el autor|Sobre a autora|Sobre o autor|L'autore|Over de auteur|O autorze)\b",
    r"\b(?:Sie erreichen (?:den Autor|die Autorin)|Contact the author|Follow (?:him|her|them) on)\b",
))


def card_rules(card: Card, path: str) -> list[str]:
    """What a bundled card lacks: a known template, enough chrome strings and must_include passages."""
    problems = []
    template = dict(card.extra).get("template")
    if template is None:
        problems.append(f"card lacks the field 'template': name the page's CMS or template family, one of "
                        f"{', '.join(TEMPLATES)}")
    elif template not in TEMPLATES:
        problems.append(f"template {template!r} is not a family of gold/GUIDELINES.md: use one of "
                        f"{', '.join(TEMPLATES)}")
    if len(card.chrome) < MIN_CHROME:
        problems.append(f"{len(card.chrome)} chrome string(s): list at least {MIN_CHROME} (gold/GUIDELINES.md, "
                        "section 6)")
    if len(card.must_include) < MIN_MUST_INCLUDE:
        problems.append(f"{len(card.must_include)} must_include passage(s): list at least {MIN_MUST_INCLUDE} "
                        "(gold/GUIDELINES.md, section 6)")
    return problems


def _bare(text: str) -> str:
    from benchmark.score.textnorm import tokenize

    return " ".join(tokenize(text))


def _outside_gold(lines: Iterable[str], gold_bare: str) -> Iterable[str]:
    for line in lines:
        bare = _bare(line)
        if bare and f" {bare} " not in gold_bare:
            yield line


def share_tool_on_page(root, visible_lines: Sequence[str], gold_text: str, tools: Sequence[str]) -> str | None:
    """The first share/e-mail/print tool the page shows outside the gold, or None."""
    from benchmark.corpus.page_structure import element_text
    from benchmark.score.lexicon import find_phrases, fold

    gold_bare = f" {_bare(gold_text)} "
    phrases = [tool for tool in tools if len(tool.split()) > 1]
    words = {_bare(tool): tool for tool in tools if len(tool.split()) == 1}
    for line in _outside_gold(visible_lines, gold_bare):
        short = len(_bare(line).split()) <= SHORT_LINE_TOKENS and not line.rstrip().endswith(_SENTENCE_END)
        if short and (found := find_phrases(fold(line), phrases)):
            return found[0]
    if root is None:
        return None
    for element in root.iter(*_TOOL_ELEMENTS):
        bare = _bare(element_text(element))
        if bare in words and f" {bare} " not in gold_bare:
            return words[bare]
    return None


def author_bio_on_page(visible_lines: Sequence[str], gold_text: str) -> str | None:
    """The first line outside the gold that reads as an author bio or contact line, or None."""
    gold_bare = f" {_bare(gold_text)} "
    for line in _outside_gold(visible_lines, gold_bare):
        if len(line.split()) <= BIO_LINE_TOKENS and any(p.search(line) for p in AUTHOR_BIO_PATTERNS):
            return line
    return None


def layout_lint(card: Card, root, visible_lines: Sequence[str], gold_text: str,
                tools: Sequence[str]) -> list[str]:
    """Layout tags the page calls for and the card lacks, each naming what on the page calls for it."""
    problems = []
    if "share-bar" not in card.layout and (tool := share_tool_on_page(root, visible_lines, gold_text, tools)):
        problems.append(f"the page shows the share tool {tool!r} but the card lacks the layout tag 'share-bar'")
    if "author-bio" not in card.layout and (line := author_bio_on_page(visible_lines, gold_text)):
        shown = line if len(line) <= 70 else line[:69] + "…"
        problems.append(f"the page shows an author bio or contact line ({shown!r}) but the card lacks the "
                        "layout tag 'author-bio'")
    return problems
