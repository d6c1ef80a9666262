"""Variants of a search share one key only when they search for the same: the same query, filters and spelling help."""

from contextlib import nullcontext
from datetime import UTC, datetime

from blogapp.caches import LRU
from blogapp.search import get_index, suggest
from blogapp.search.build import build, filter_query
from blogapp.search.parse import parse
from blogapp.search.search_key import search_key, spelling
from blogapp.search.spelling import correct_unknown, did_you_mean
from blogapp.search.synonyms import parse_synonyms

TRICKY = [
    "Café CRÈME brûlée",
    "İstanbul ıspanak",  # a dotted capital I lowercases into two characters, the second no word character
    "Straße STRASSE ǅemal",
    "covid-19 ÉTUDES études 3D_print",
    '"Back PAIN" -Opioids NOT "Sleep Aids" tag:Back_Pain author:"Ana  Ñúñez" Category:PAIN',
    "Ünïcode* MIGR* ﬁbre ＦＵＬＬ",
    "back pain BACK pain",
]
SYNONYMS = "back pain, lumbago\ncafe, coffee\n"


def test_one_spelling_builds_the_same_query_filters_and_spelling_help(ctx, publish):
    publish("Café crème and back pain", "Études of İstanbul coffee, ﬁbre, migraine and straße.", tags=["back-pain"])
    synonyms = parse_synonyms(SYNONYMS)

    def compare(searcher):
        reader = searcher.reader()
        for text in TRICKY:
            typed, kept = parse(text), search_key(text, None).parsed()
            assert build(typed, reader, synonyms) == build(kept, reader, synonyms), text
            assert filter_query(typed.filters, None, ()) == filter_query(kept.filters, None, ()), text
            for help_with in (correct_unknown, did_you_mean):
                typed_help = help_with(reader, typed.words)
                assert {spelling(word): fix for word, fix in typed_help.items()} == help_with(reader, kept.words)

    get_index().run(compare)


def test_case_accents_spaces_and_ignored_punctuation_make_one_key():
    variants = ["cafe creme", "Café  Crème", "CAFE, creme!", "cafe AND creme"]
    assert len({search_key(text, None) for text in variants}) == 1
    assert search_key('"cafe creme"', None) != search_key("cafe creme", None)
    assert search_key("creme cafe", None) != search_key("cafe creme", None)
    assert search_key("cafe creme", 1) != search_key("cafe creme", 2)  # the options: page, order, facets…


def test_short_suggestions_kept_are_the_ones_worked_out(ctx, publish):
    for title in ("Migraine relief", "Minerals and mood", "Mindful eating", "Kombucha myths", "Ketamine"):
        publish(title)
    now, kept = datetime.now(UTC).replace(tzinfo=None), (LRU(100), "v1")
    for typed in ("m", "M", "mi", "MI", "Mi!", "k", "ke", "min", "mi re"):
        worked_out = suggest.suggest_titles(get_index(), typed, now)
        assert suggest.suggest_bounded(get_index(), typed, now, kept, nullcontext) == worked_out, typed
        assert suggest.suggest_bounded(get_index(), typed, now, kept, nullcontext) == worked_out, typed
    assert len(kept[0]) == 4  # m, mi, k, ke
