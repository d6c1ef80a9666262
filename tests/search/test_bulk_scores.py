"""Related lists and title suggestions scored from whole posting lists give Whoosh's own answers."""

from datetime import UTC, datetime

import pytest

from bench.synthetic import insert_synthetic
from blogapp.search import get_index, postings, related, suggest
from blogapp.search.schema import ANALYZER, CONTENT, TITLE, word_spans


@pytest.fixture
def synthetic_index(ctx):
    insert_synthetic(150, seed=11)
    get_index().rebuild()
    return get_index()


def test_related_lists_are_whooshs_more_like_lists(synthetic_index):
    for article_id in (1, 57, 99, 149):

        def both(searcher, article_id=article_id):
            docnum = searcher.document_number(id=str(article_id))
            body = searcher.stored_fields(docnum)["body"]
            top, numterms = related.CANDIDATES, related.KEY_TERMS
            hits = searcher.more_like(docnum, related.CONTENT, text=body, top=top, numterms=numterms)
            return [int(hit["id"]) for hit in hits], related.most_like(searcher, article_id)

        whooshs, ours = synthetic_index.run(both)
        assert len(ours) >= 5 and ours == whooshs


def test_suggestions_are_whooshs_best_titles(synthetic_index):
    titles = [synthetic_index.run(lambda s, n=n: s.document(id=str(n))["title"]) for n in (3, 40, 120, 140)]
    words = [title.lower().split()[:2] for title in titles]
    for typed in [typing for first, second in words for typing in (first[:2], first[:4], f"{first} {second[:3]}")]:
        ours = suggest.suggest_titles(synthetic_index, typed, datetime.now(UTC).replace(tzinfo=None))

        def whooshs(searcher, typed=typed):
            query = suggest.title_query(searcher.reader(), typed.split())
            return [(int(hit["id"]), hit["title"]) for hit in searcher.search(query, limit=8)]

        assert ours and ours == synthetic_index.run(whooshs), typed


def test_block_heads_read_the_ids_and_weights_whoosh_reads(synthetic_index):
    def check(searcher):
        checked = 0
        for leaf, _ in searcher.reader().leaf_readers():
            for fieldname, text in leaf.all_terms():
                if fieldname not in (CONTENT, TITLE) or leaf.doc_frequency(fieldname, text) < 4:
                    continue
                matcher, text = leaf.postings(fieldname, text), text.decode()
                ours = [
                    (docnum, weight)
                    for ids, weights in postings._blocks(matcher)
                    for docnum, weight in zip(ids, weights, strict=True)
                ]
                matcher = leaf.postings(fieldname, text)
                assert ours == list(zip(matcher.all_ids(), _weights(leaf, fieldname, text), strict=True)), text
                checked += 1
        return checked

    assert synthetic_index.run(check) > 100


def _weights(leaf, fieldname, text):
    matcher = leaf.postings(fieldname, text)
    while matcher.is_active():
        yield matcher.weight()
        matcher.next()


def test_postings_values_are_whooshs_for_chosen_documents(synthetic_index):
    def check(searcher):
        leaf = searcher.reader().leaf_readers()[0][0]
        for text in ("pain", "sleep", "migrain", "diet"):
            docnums = list(leaf.postings(CONTENT, text).all_ids())
            wanted = sorted(set(docnums[::7] + docnums[-1:] + [docnums[0] + 1]))
            for kind in ("characters", "positions"):
                whooshs = dict(leaf.postings(CONTENT, text).items_as(kind))
                expected = {docnum: whooshs[docnum] for docnum in wanted if docnum in whooshs}
                assert postings.leaf_values(leaf, CONTENT, text, wanted, kind) == expected

    synthetic_index.run(check)


def test_word_spans_are_the_analyzers_words():
    text = "Café au lait: Running, runners and the U.S.A.; 3.5mg vitamin-D, naïve ÉCOLE x a I \u212aelvin"
    assert list(word_spans(text)) == [(t.startchar, t.endchar, t.text) for t in ANALYZER(text, chars=True)]
