"""Bounded search cost: long or repeated input, many prefixes, unknown words, and the fast paths' equal results."""

import time
from datetime import timedelta

from whoosh.query import And, AndNot, Or, Phrase, Term
from whoosh.scoring import BM25F

from blogapp.models import ArticleStatus, utcnow
from blogapp.search import SearchRequest, get_index, search_articles, spelling
from blogapp.search import build as build_module
from blogapp.search.build import build
from blogapp.search.docsets import matching_docs, phrase_docs, published_after
from blogapp.search.parse import parse
from blogapp.search.query import rank_ids
from blogapp.search.ranking import Scorer, best
from blogapp.search.synonyms import parse_synonyms
from blogapp.search.vocabulary import words_within

NO_SYNONYMS = parse_synonyms("")


def test_thousands_of_words_are_capped_not_a_recursion_error(publish):
    for number in range(25):  # Whoosh nested its matchers past the recursion limit from about 20 documents
        publish(f"Migraine diary {number}", "Migraine days and migraine nights.")
    started = time.perf_counter()
    page = search_articles(get_index(), SearchRequest(text="migraine " * 2000), utcnow())
    assert page.total == 25 and len(page.hits) == 10
    assert any("first 32 words" in notice for notice in page.notices)
    assert any("longer than 500 characters" in notice for notice in page.notices)
    assert len(get_index().run(lambda searcher: rank_ids(searcher, "migraine " * 2000))) == 25
    assert time.perf_counter() - started < 5


def test_a_repeated_word_ranks_as_it_did_but_is_read_once(publish):
    publish("Sleep and pain", "Sleep sleep sleep, and some pain.")
    publish("Pain and sleep", "Pain pain pain, and some sleep.")
    searcher = get_index().searcher()
    query = build(parse("sleep sleep pain"), searcher.reader(), NO_SYNONYMS)
    assert Term("content", "sleep", boost=2.0) in query.subqueries[1].subqueries
    repeated = And([Term("content", "sleep"), Term("content", "sleep"), Term("content", "pain")])
    with get_index().open().searcher(weighting=BM25F()) as plain:
        expected = [hit.docnum for hit in plain.search(Or([And(repeated.subqueries, boost=50.0), repeated]))]
    assert [hit.docnum for hit in searcher.search(query)] == expected


def test_bulk_scores_are_whooshs_scores_across_segments(publish):
    for number in range(8):  # one segment each, fewer than the drain merges at
        publish(f"Sleep note {number}", "Sleep " * (number + 1) + "and pain relief. " * (8 - number))
    publish("Unrelated", "Nothing to see.")
    searcher = get_index().searcher()
    assert len(searcher.leaf_searchers()) > 1
    queries = [
        Term("content", "sleep"),
        Or([Term("content", "sleep"), Term("content", "pain", boost=0.7)]),
        And([Term("content", "pain"), Term("content", "relief")], boost=50.0),
        Or([And([Term("content", "sleep"), Term("content", "pain")], boost=50.0), Term("content", "relief")]),
        AndNot(Term("content", "sleep"), Term("content", "relief")),
        Term("content", "absent"),
    ]
    for query in queries:
        hits = searcher.search(query, limit=None)
        scores = Scorer(searcher).scores(query)
        assert scores == {hit.docnum: hit.score for hit in hits}
        assert best(scores, 5, set(scores)) == [hit.docnum for hit in hits[:5]]


def test_near_words_are_the_ones_whoosh_finds(publish):
    publish("Migraine and nicotine", "Body.", summary="Acupuncture, buprenorphine, ketamine and naltrexone.")
    publish("Another migraine note", "Body.", summary="Nicotene typo, paracetamol and mirgaine.")
    reader = get_index().searcher().reader()
    for typed in ("migrane", "migraien", "nicotin", "buprenorfine", "ketamin", "acupunture", "zzzz", "parcetamoll"):
        for distance in (1, 2):
            expected = {word for word in reader.terms_within("spell", typed, distance, prefix=1) if word != typed}
            assert words_within(reader, "spell", typed, distance) == expected, (typed, distance)


def test_many_unknown_words_are_looked_up_a_few_at_a_time(publish, monkeypatch):
    publish("Migraine relief", "Triptans help.")
    looked_up = []
    monkeypatch.setattr(spelling, "_closest_in", lambda reader, word: looked_up.append(word))
    page = search_articles(get_index(), SearchRequest(text=" ".join(f"qqzz{n}x" for n in range(30))), utcnow())
    assert page.total == 0
    assert len(set(looked_up)) == spelling.MAX_WORDS_CHECKED


def test_prefixes_share_one_bound(publish, monkeypatch):
    publish("Words", " ".join(f"pain{letter}{other}" for letter in "abcdefgh" for other in "abcdefgh"))
    reader = get_index().searcher().reader()
    alone = build(parse("pain*"), reader, NO_SYNONYMS)
    assert len(alone.subqueries) == build_module.MAX_PREFIX_TERMS
    many = build(parse(" ".join(["pain*"] * 3 + [f"pai{letter}*" for letter in "nopqrstu"])), reader, NO_SYNONYMS)
    expansions = [term for name, term in many.iter_all_terms() if name == "content"]
    assert len(set(expansions)) <= build_module.MAX_QUERY_PREFIX_TERMS


def test_long_queries_keep_their_most_specific_words(publish):
    for number in range(6):
        rarer = [word for word, count in (("rare", 1), ("scarce", 2), ("alpha", 3), ("beta", 4)) if number < count]
        publish(f"Common {number}", " ".join(["pain sleep", *rarer]))
    reader = get_index().searcher().reader()
    parsed = parse("pain sleep rare scarce alpha beta")
    query = build(parsed, reader, NO_SYNONYMS, max_postings=12)
    assert {text for _, text in query.iter_all_terms()} == {"rare", "scarc", "alpha", "beta"}
    assert parsed.notices == ["Your search had many common words: articles were found by the 4 rarest."]
    everything = build(parse("pain sleep rare scarce alpha beta"), reader, NO_SYNONYMS, max_postings=22)
    assert len({text for _, text in everything.iter_all_terms()}) == 6
    page = search_articles(get_index(), SearchRequest(text=" ".join(["pain", "sleep"] * 8 + ["rare"])), utcnow())
    assert page.total == 6 and page.hits[0].title.striptags() == "Common 0"


def test_phrases_match_the_documents_whoosh_finds(publish):
    publish("Chronic pain", "Chronic pain and pain that is chronic. The pain chronic.")
    publish("Pain relief", "Relief of chronic back pain; pain relief; chronic, pain.")
    publish("Pain pain", "Pain pain pain relief pain.")
    searcher = get_index().searcher()
    for words in (["chronic", "pain"], ["pain", "chronic"], ["pain", "pain"], ["pain", "relief"], ["back", "relief"]):
        phrase = Phrase("content", words)
        candidates = matching_docs(searcher, And([Term("content", word) for word in words]))
        assert phrase_docs(searcher, phrase, candidates) == set(searcher.docs_for_query(phrase)), words


def test_scheduled_documents_are_found_by_their_time(publish):
    publish("Live one", hours_ago=2)
    later = publish("Later one", status=ArticleStatus.SCHEDULED, hours_ago=-2)
    searcher = get_index().searcher()
    scheduled = published_after(searcher, utcnow())
    assert [searcher.stored_fields(docnum)["id"] for docnum in scheduled] == [str(later.id)]
    assert published_after(searcher, utcnow() + timedelta(hours=3)) == set()


def test_a_document_without_a_publication_time_is_not_taken_for_scheduled(publish):
    publish("Live one", hours_ago=2)
    writer = get_index().open().writer()
    # As a document written without a time reads: the column's default, 2**64 - 1 (it overflowed a signed array).
    writer.add_document(id="999999", title="No time", content="no time at all")
    writer.commit()
    searcher = get_index().searcher()
    assert published_after(searcher, utcnow()) == set()
