"""Truth tables for the one normalisation and tokenisation every metric relies on."""

from __future__ import annotations

import pytest

from benchmark.score.textnorm import markup_spans, normalize, token_pattern, tokenize, tokenize_normalized


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # whitespace of every kind collapses to one space, ends stripped
        ("  a\tb\n\nc\u00a0d\u2003e  ", "a b c d e"),
        # NFKC: full-width Latin, ligatures, superscripts
        ("ＦＵＬＬ ｗｉｄｔｈ ﬁne x²", "FULL width fine x2"),
        # leftover block tags separate words, inline tags do not split them
        ("<p>Hello</p><p>World</p>", "Hello World"),
        ("<div class='x'>a</div>b<br/>c", "a b c"),
        ("<b>W</b>orld <a href=\"/x\">link</a>", "World link"),
        ("before<!-- a comment -->after", "before after"),
        # undecoded entities are decoded; bare ampersands are text
        ("Tom &amp; Jerry&nbsp;caf&eacute; &#8212; &#x41;", "Tom & Jerry café — A"),
        ("AT&T &copy2019", "AT&T &copy2019"),
        # Markdown emphasis, headings and links
        ("**bold** and __strong__", "bold and strong"),
        ("# Title\n## Sub\ntext # not a heading", "Title Sub text # not a heading"),
        ("see [the report](https://x.org/a_(b)) now", "see the report now"),
        ("![a chart](img.png) caption", "a chart caption"),
        # things that only look like markup stay
        ("a < b > c, 3<4, snake_case, 2*3*4", "a < b > c, 3<4, snake_case, 2*3*4"),
        ("if x<y and z>w", "if x<y and z>w"),  # "y" is no HTML element
        ("<amp-img src=a.jpg></amp-img>text<o:p></o:p>", "text"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hello, World! It's 2019.", ["hello", "world", "it", "s", "2019"]),
        # casefold, not lower: ß -> ss
        ("STRASSE Straße", ["strasse", "strasse"]),
        # each Han character is a token (Chinese has no spaces)
        ("我们的新闻。", ["我", "们", "的", "新", "闻"]),
        # Hiragana and Katakana too, Latin next to them stays a word
        ("日本語のテキストABC", ["日", "本", "語", "の", "テ", "キ", "ス", "ト", "abc"]),
        # Hangul stays word-level
        ("한국어 문장입니다", ["한국어", "문장입니다"]),
        # combining marks continue a word (plain \w would cut at vowel signs)
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
        # markup is not tokens
        ("<p>one</p>&nbsp;**two** [three](http://four.example/five)", ["one", "two", "three"]),
        # NFKC before tokenising: full-width digits are digits
        ("ＡＢＣ１２３", ["abc123"]),
        ("", []),
        (" \n\t ", []),
        ("... — !!!", []),
    ],
)
def test_tokenize(raw: str, expected: list[str]) -> None:
    assert tokenize(raw) == expected


def test_tokenize_normalized_agrees_with_tokenize() -> None:
    text = "<p>Der **Bär**</p> & 熊 the bear"
    assert tokenize_normalized(normalize(text)) == tokenize(text)


def test_token_pattern_gives_offsets_of_the_same_tokens() -> None:
    text = "word 日本 हिन्दी"
    assert [m.group() for m in token_pattern().finditer(text)] == tokenize(text)


def test_normalize_is_idempotent_on_ordinary_text() -> None:
    text = "<h1>Title</h1>\n**x** &amp; [y](z)\u00a0日本"
    once = normalize(text)
    assert normalize(once) == once


def test_tokenize_is_fast_enough_for_thousands_of_pages() -> None:
    """~1 MB of mixed text must tokenise well under a second (measured ~0.06 s)."""
    import time

    page = ("The quick brown fox <b>jumps</b> over the lazy dog. 我们的新闻。 " * 40 + "\n\n") * 400
    start = time.perf_counter()
    tokens = tokenize(page)
    elapsed = time.perf_counter() - start
    assert len(tokens) > 100_000
    assert elapsed < 2.0  # generous: shared 2-core CI machines


def test_markup_spans_cover_what_normalize_drops() -> None:
    text = "a<b>c</b> x<y and z>w <!-- c --> &amp;"
    spans = markup_spans(text)
    assert [text[a:b] for a, b in spans] == ["<b>", "</b>", "<!-- c -->", "&amp;"]
    assert markup_spans("plain text") == []


def test_the_word_run_shortcut_cuts_exactly_as_the_token_pattern() -> None:
    """Text without Han, kana or marks is cut by plain \\w+: random texts on both sides of that line agree."""
    import random

    from benchmark.score.textnorm import _special_re

    pools = ["abc", "ÄÖÜßçéø", "’'—-_ .,!?\n", "0123٣", "日本テ", "\u0915\u093f\u0947\u094d", "\u200c\u200d",
             "\U00011000\U00011038", "ﬁＡ"]  # Latin, accents, punctuation, digits, Han/kana, marks, ZWNJ/ZWJ, Brahmi
    rng = random.Random(20080406)
    shortcut = 0
    for _ in range(3000):
        chosen = rng.sample(pools, rng.randint(1, 4))
        text = "".join(rng.choice(rng.choice(chosen)) for _ in range(rng.randint(0, 30)))
        shortcut += _special_re().search(text.casefold()) is None
        assert tokenize_normalized(text) == token_pattern().findall(text.casefold()), repr(text)
    assert 500 < shortcut < 2500  # both ways were taken
