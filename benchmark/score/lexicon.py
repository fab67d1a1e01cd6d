"""The versioned multilingual lexicon of common page chrome, and how it matches.

Cards list each page's own chrome; the lexicon catches the generic chrome
("Advertisement", "Lesen Sie auch", "相关新闻" ...) that any page may carry, so
leaks are measured even on pages whose card lists none. The phrases live in
`benchmark/score/data/chrome_lexicon.toml`; its `version` is recorded with results.

Matching is deliberately looser than the case-sensitive card matching: both
sides are `textnorm.normalize`d and casefolded (sites print the same label as
"MOST READ" or "Most read"), and a phrase edge that is a letter or digit must
sit at a word boundary, so "Anzeige" does not match inside "Anzeigen" nor
"Reklam" inside "Reklama". Edges that are Han, kana or Hangul characters need
no boundary (Chinese and Japanese have no spaces; Korean attaches particles).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from benchmark.score.textnorm import normalize

__all__ = ["Lexicon", "load_lexicon", "fold", "find_phrases"]

#: Edges that are CJK ideographs, kana or Hangul get no word-boundary check:
#: Chinese and Japanese have no spaces, Korean glues particles to nouns ("관련기사를").
_NO_BOUNDARY_RE = re.compile(
    "[\u3005\u3007\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_WORD_RE = re.compile(r"\w")


@dataclass(frozen=True)
class Lexicon:
    """A fixed list of chrome phrases; `version` makes leak figures comparable."""

    version: str
    phrases: tuple[str, ...]
    #: share, e-mail and print tools (`[tools] share`): what `validate` looks for before asking for `share-bar`
    share_tools: tuple[str, ...] = ()


@functools.lru_cache(maxsize=8)
def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Read the bundled lexicon (or another TOML file of the same shape) once."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    if path is None:
        from importlib.resources import files

        raw = files("benchmark.score").joinpath("data/chrome_lexicon.toml").read_text(encoding="utf-8")
        where = "benchmark/score/data/chrome_lexicon.toml"
    else:
        raw = Path(path).read_text(encoding="utf-8")
        where = str(path)
    data = tomllib.loads(raw)
    version = data.get("version")
    groups = data.get("phrases")
    if not isinstance(version, str) or not version or not isinstance(groups, dict):
        raise ValueError(f"{where}: needs a string `version` and a [phrases] table of lists")
    phrases: dict[str, None] = {}  # ordered and de-duplicated
    for language, items in groups.items():
        if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items):
            raise ValueError(f"{where}: phrases.{language} must be a list of non-empty strings")
        for phrase in items:
            phrases.setdefault(phrase, None)
    tools = data.get("tools", {})
    share = tools.get("share", []) if isinstance(tools, dict) else None
    if not isinstance(share, list) or not all(isinstance(p, str) and p.strip() for p in share):
        raise ValueError(f"{where}: tools.share must be a list of non-empty strings")
    return Lexicon(version=version, phrases=tuple(phrases), share_tools=tuple(dict.fromkeys(share)))


def fold(text: str) -> str:
    """The form lexicon matching compares: normalised and casefolded."""
    return normalize(text).casefold()


@functools.lru_cache(maxsize=4096)
def _phrase_matcher(phrase: str) -> tuple[str, re.Pattern[str] | None]:
    """Folded phrase plus the boundary regex its edges need (None: plain substring)."""
    folded = fold(phrase)
    if not folded:
        return folded, None
    head = bool(_WORD_RE.match(folded[0])) and not _NO_BOUNDARY_RE.match(folded[0])
    tail = bool(_WORD_RE.match(folded[-1])) and not _NO_BOUNDARY_RE.match(folded[-1])
    if not (head or tail):
        return folded, None
    pattern = ("(?<!\\w)" if head else "") + re.escape(folded) + ("(?!\\w)" if tail else "")
    return folded, re.compile(pattern)


def _contains(folded_text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in already-folded text, at word boundaries where needed."""
    folded, boundary = _phrase_matcher(phrase)
    if not folded or folded not in folded_text:  # cheap test first: most phrases are absent
        return False
    return boundary is None or boundary.search(folded_text) is not None


def find_phrases(folded_text: str, phrases: Sequence[str]) -> tuple[str, ...]:
    """The phrases (as spelled in the lexicon) occurring in `fold`ed text."""
    return tuple(p for p in phrases if _contains(folded_text, p))
