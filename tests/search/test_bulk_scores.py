"""Related lists and title suggestions scored from whole posting lists give Whoosh's own answers."""

from datetime import UTC, datetime

import pytest

from bench.synthetic import insert_synthetic
from blogapp.search import get_index, related, suggest


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
