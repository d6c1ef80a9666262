"""The content field's own indexing loop gives exactly what Whoosh's analyser chain gives."""

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT

from blogapp.search.schema import CONTENT_ANALYZER, build_document, make_schema

_CHAIN = TEXT(analyzer=CONTENT_ANALYZER, chars=True)
_FAST = make_schema()["content"]

# Words, stop words, accents, one-letter words, dotted numbers, stars, ligatures and the part separator.
_PIECES = ["The", "a", "of", "migraine", "Migraines", "café", "naïve", "Straße", "œdema", "3.141", "i.e.", "x*",
           "über", "ÆTHER", "running", "runs", "-", " ", "  ", "\n", ",", ".", "\x1e", "Ketamine", "ИБУПРОФЕН", "头痛"]


def postings(field, value):
    """Return a field's postings of `value` in word order."""
    return sorted(field.index(value))


def test_an_article_document_indexes_the_same_both_ways():
    doc = build_document(
        doc_id="1",
        title="Does ketamine help migraines? The evidence",
        body="The short answer: a little. In 2024, trials of café-goers' migraine (3.141 mg) … Œdema aside.",
        published=datetime(2026, 12, 1),
        summary="What the trials say about ketamine and migraine.",
        tags=[("pain", "Pain relief"), ("k", "Ketamine")],
        category=("neuro", "Neurology"),
        author=("ann", "Ann Example"),
    )
    assert postings(_FAST, doc["content"]) == postings(_CHAIN, doc["content"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(" ".join))
def test_any_text_indexes_the_same_both_ways(text):
    assert postings(_FAST, text) == postings(_CHAIN, text)
