"""The bundled chrome lexicon loads, is versioned, and matches the way it documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.score.lexicon import Lexicon, find_phrases, fold, load_lexicon

REQUIRED = [
    "E-mail to a friend", "Email to a Friend", "Share this on", "Share this:", "Advertisement",
    "Related articles", "Sign up for our newsletter", "Most Popular", "Most Read", "Read more:",
    "Print this article", "Decrease font", "Enlarge font", "comments powered by Disqus",
    "Skip to main content", "Lesen Sie auch", "Anzeige", "Das könnte Sie auch interessieren",
    "Meistgelesen", "À lire aussi", "Lire aussi", "Lea también", "Publicidad", "Leia também",
    "Читайте также", "Реклама", "相关新闻", "広告", "関連記事", "اقرأ أيضا",
]


def test_bundled_lexicon_is_versioned_frozen_and_cached() -> None:
    lexicon = load_lexicon()
    assert isinstance(lexicon, Lexicon) and lexicon.version
    assert load_lexicon() is lexicon
    with pytest.raises(AttributeError):
        lexicon.version = "x"  # type: ignore[misc]
    assert len(set(lexicon.phrases)) == len(lexicon.phrases)


@pytest.mark.parametrize("phrase", REQUIRED)
def test_bundled_lexicon_covers_common_chrome(phrase: str) -> None:
    assert phrase in load_lexicon().phrases


@pytest.mark.parametrize(
    ("text", "phrases", "found"),
    [
        ("MOST READ today", ["Most Read"], ("Most Read",)),  # case-insensitive
        ("most readers agree", ["Most Read"], ()),  # word boundary at a letter edge
        ("Read more: the story", ["Read more:"], ("Read more:",)),
        ("Share\nthis:\u00a0Facebook", ["Share this:"], ("Share this:",)),  # whitespace-normalised
        ("正文相关新闻列表", ["相关新闻"], ("相关新闻",)),  # Han edges need no boundary
        ("관련기사를 보세요", ["관련기사"], ("관련기사",)),  # nor Hangul (particles attach)
        ("Читайте также: новости", ["Читайте также"], ("Читайте также",)),
        ("STRASSE", ["Straße"], ("Straße",)),  # casefold, not lower
    ],
)
def test_find_phrases(text: str, phrases: list[str], found: tuple[str, ...]) -> None:
    assert find_phrases(fold(text), phrases) == found


def test_custom_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "lex.toml"
    path.write_text('version = "t1"\n[phrases]\nen = ["Foo bar", "Baz"]\nde = ["Baz", "Qux"]\n', encoding="utf-8")
    assert load_lexicon(path) == Lexicon(version="t1", phrases=("Foo bar", "Baz", "Qux"))


@pytest.mark.parametrize(
    "body",
    ['[phrases]\nen = ["x"]\n', 'version = "1"\n', 'version = "1"\n[phrases]\nen = ["", "x"]\n'],
)
def test_malformed_lexicon_names_the_file(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml"):
        load_lexicon(path)


def _one_by_one(folded_text: str, phrases: list[str]) -> tuple[str, ...]:
    """The definition, phrase by phrase: the compiled matcher must give exactly this."""
    import re

    found = []
    for phrase in phrases:
        folded = fold(phrase)
        if not folded:
            continue
        head = bool(re.match(r"\w", folded[0])) and not re.match("[\u3041-\u30ff\u4e00-\u9fff\uac00-\ud7af]",
                                                                 folded[0])
        tail = bool(re.match(r"\w", folded[-1])) and not re.match("[\u3041-\u30ff\u4e00-\u9fff\uac00-\ud7af]",
                                                                  folded[-1])
        pattern = ("(?<!\\w)" if head else "") + re.escape(folded) + ("(?!\\w)" if tail else "")
        if re.search(pattern, folded_text):
            found.append(phrase)
    return tuple(found)


def test_compiled_matcher_equals_the_phrase_by_phrase_definition() -> None:
    """Overlapping phrases, phrases that are prefixes of others, boundaries met and missed, many scripts."""
    import random

    phrases = list(load_lexicon().phrases) + ["Related", "Related articles", "art", "Most", "广告", "广告位"]
    pieces = [*phrases, "x", "s", "_", " ", " ", ": ", "\n", "related", "ads", "9", "é", "字", "를"]
    rng = random.Random(20080406)
    for _ in range(400):
        text = fold("".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))))
        assert find_phrases(text, phrases) == _one_by_one(text, phrases), text
