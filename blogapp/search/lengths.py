"""BM25F that reads document lengths from an array kept per index segment instead of the index file, hit by hit."""

from array import array
from math import log

from whoosh.scoring import BM25F, WeightLengthScorer

from .. import caches

MAX_ARRAYS = 64
_arrays = caches.lru(
    "search.field_lengths",
    maxsize=MAX_ARRAYS,
    holds="the length of a field in each document of one index segment",
    cleared_by="nothing: a segment's lengths never change; the least recently used (segment, field) go",
)


class KeptLengthsBM25F(BM25F):
    """Whoosh's BM25F with BM25's own idf; a broad search scores thousands of hits, each needing its length.

    Whoosh's idf, log(N / (df + 1)) + 1, gives a word in every article a weight of 1 against about 3.5 for a
    word in one article of 24, so generic words ("how", "help") outweighed the topic word of a question.
    BM25's log(1 + (N - df + 0.5) / (df + 0.5)) falls to about 0 for them; on the four test collections every
    metric rose with it (MAP +1.5% to +10.5%), with k1 and b kept at Whoosh's 1.2 and 0.75 (others measured
    worse on at least one collection).
    """

    def idf(self, searcher, fieldname, text):
        """Return BM25's idf of a term, from the whole index's counts."""
        parent = searcher.get_parent()
        n, dc = parent.doc_frequency(fieldname, text), parent.doc_count_all()
        return log(1 + (dc - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, WeightLengthScorer):
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


def segment_key(reader) -> tuple:
    """Return what names a one-segment reader's segment in this process, for what is kept per segment."""
    storage = reader.storage()
    folder = getattr(getattr(storage, "b", storage), "folder", None)  # a compound segment's files overlay the folder
    # With the folder and document count, two indexes whose segment names collide (seeded `random`) never mix up.
    return (folder, reader.segment().segment_id(), reader.doc_count_all())


def field_lengths(reader, fieldname: str) -> array | None:
    """Return the length of `fieldname` in each document of a segment's reader (None for a reader of several)."""
    if reader.segment() is None:
        return None
    key = (*segment_key(reader), fieldname)
    found = _arrays.get(key)
    if found is not None:
        return found
    # Scorers ask for a missing length with a default of 1, so the array holds the same values they would read;
    # a document with nothing in the field (None) is never scored for it, and holds 0.
    lengths = (reader.doc_field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all()))
    found = array("I", (length or 0 for length in lengths))
    _arrays.put(key, found)
    return found
