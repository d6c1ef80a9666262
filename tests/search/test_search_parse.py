"""Reading a reader's query: phrases, exclusions, prefixes, filters, and nonsense turned into words."""

import pytest

from blogapp.search.parse import clean_text, parse


@pytest.mark.parametrize(
    "text, attribute, expected",
    [
        ("ketamine migraine", "words", ["ketamine", "migraine"]),
        ('"nicotine patch" works', "phrases", [["nicotine", "patch"]]),
        ('"unbalanced quote', "phrases", [["unbalanced", "quote"]]),
        ("covid-19", "phrases", [["covid", "19"]]),
        ("cannabis -synthetic", "excluded", ["synthetic"]),
        ("NOT weed", "excluded", ["weed"]),
        ('-"heavy use"', "excluded_phrases", [["heavy", "use"]]),
        ("migr* a* tr*", "prefixes", ["migr"]),
        ("a AND b OR c", "words", ["a", "b", "c"]),
        ("title:foo", "words", ["title", "foo"]),
        ("((( )))", "words", []),
    ],
)
def test_parse_parts(text, attribute, expected):
    assert getattr(parse(text), attribute) == expected


def test_filters_take_names_or_quoted_values():
    parsed = parse('sleep category:pain tag:"back pain" author:okafor')
    assert parsed.words == ["sleep"]
    assert parsed.filters == {"category": ["pain"], "tag": ["back pain"], "author": ["okafor"]}


def test_empty_filter_is_a_word():
    assert parse("tag:").words == ["tag"] and not parse("tag:").filters


def test_clean_text_caps_length_and_words():
    text, notices = clean_text("x" * 600, 500, 32)
    assert len(text) == 500 and "500 characters" in notices[0]
    text, notices = clean_text(" ".join(["word"] * 40), 500, 32)
    assert len(text.split()) == 32 and "first 32 words" in notices[0]
    assert clean_text("a\x00b\tc\u200b", 500, 32)[0] == "a b c"
