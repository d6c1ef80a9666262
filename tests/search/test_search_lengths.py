"""Document lengths kept per segment for scoring: the same scores as Whoosh's BM25F, read once per segment."""

from whoosh.query import And, Or, Term
from whoosh.scoring import BM25F

from blogapp.search import get_index
from blogapp.search.lengths import KeptLengthsBM25F, field_lengths


class IndexLengthsBM25F(BM25F):
    """Whoosh's BM25F reading each length from the index, with the app's idf (BM25's own)."""

    idf = KeptLengthsBM25F.idf


def test_scores_match_whooshs_bm25f_and_lengths_are_read_once_per_segment(publish):
    for number in range(6):  # one segment each, fewer than the drain merges at
        publish(f"Sleep note {number}", "Sleep " * (number + 1) + "and pain relief. " * (6 - number))
    index = get_index()
    searcher = index.searcher()
    assert isinstance(searcher.weighting, KeptLengthsBM25F)
    queries = [
        Term("content", "sleep"),
        Or([Term("content", "sleep"), Term("content", "pain")]),
        And([Term("content", "pain"), Term("content", "relief")]),
    ]
    with index.open().searcher(weighting=IndexLengthsBM25F()) as plain:
        for query in queries:
            expected = [(hit.docnum, hit.score) for hit in plain.search(query, limit=20)]
            assert [(hit.docnum, hit.score) for hit in searcher.search(query, limit=20)] == expected
    assert field_lengths(searcher.reader(), "content") is None  # several segments: scorers get one at a time
    leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    lengths = field_lengths(leaves[0], "content")
    assert list(lengths) == [leaves[0].doc_field_length(n, "content", 1) for n in range(leaves[0].doc_count_all())]
    publish("Another", "A new segment.")
    reopened = [leaf.reader() for leaf, _ in index.searcher().leaf_searchers()]
    same_segment = next(r for r in reopened if r.segment().segment_id() == leaves[0].segment().segment_id())
    assert same_segment is not leaves[0] and field_lengths(same_segment, "content") is lengths
