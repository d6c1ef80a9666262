"""Posting lists read a block at a time: the documents of a term, or its BM25F score in each of them.

Whoosh's matchers step through postings one call at a time (several Python calls per document); a search
that counts and ranks every match of common words spends most of its time there. Reading each block's
document numbers and weights as whole arrays gives the same numbers for a fraction of the cost, and the
lists of the commonest words, read by many searches (1.4 µs a posting to decode: 130 ms for a word in
90,000 articles), are kept decoded.
"""

import pickle
import zlib
from array import array
from bisect import bisect_left
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer

from .. import caches
from .lengths import field_lengths, segment_key

MIN_KEPT = 2000  # postings: shorter lists are decoded again by each search (a few milliseconds at most)
MAX_KEPT = 48  # lists, each at most 8 bytes a document of its segment: under 40 MB at 100,000 articles
MAX_NORMS = 16
# A block's values tuple: MARK, then the GLOBAL that protocol 2 rebuilds bytes with (Whoosh pickles at protocol 2).
_VALUES_START = b"(c_codecs\nencode\n"
_HEAD_BYTES = 4096  # inflated at a time: a block's ids and weights take at most 128 × 14 bytes
_norms = caches.lru(
    "search.length_norms",
    maxsize=MAX_NORMS,
    holds="BM25's length normalisation of each document of one index segment, for one average length",
    cleared_by="nothing: kept per segment and average length (a new index version has a new average)",
)
_kept = caches.lru(
    "search.posting_lists",
    maxsize=MAX_KEPT,
    holds=f"the document numbers and weights of a word in one index segment, for words in {MIN_KEPT:,}+ documents",
    cleared_by="nothing: a segment's postings never change; the least recently used lists go",
)


def _raw_postings(leaf, fieldname: str, text: str):
    """Return the segment's own matcher of a term (deleted documents not yet left out), or None."""
    try:
        matcher = leaf.postings(fieldname, text)
    except TermNotFound:
        return None
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _blocks(matcher):
    """Yield (document numbers, weights) of each block of a Whoosh 3 posting list."""
    if not isinstance(matcher, W3LeafMatcher):  # postings kept inside the term's entry: one at a time
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    # whoosh-reloaded 2.7.5's W3LeafMatcher: a block holds (id differences, weights, values) once read; the
    # running sum in C beats its own decoding (a Python generator) by a tenth of a search's time.
    while matcher.is_active():
        differences, weights = _ids_and_weights(matcher)
        if weights is None or isinstance(weights, float):  # every weight the same: Whoosh spells them out
            weights = array("f", [1.0 if weights is None else weights]) * matcher._blocklength
        yield accumulate(differences), weights
        matcher._next_block()


def _ids_and_weights(matcher) -> tuple:
    """Return the (id differences, weights) of a W3 matcher's current block, leaving its values unread.

    A block is one pickled (ids, weights, values) tuple, zlib-compressed. The values (each posting's positions
    and character offsets, pickled bytes object by bytes object) are four fifths of its size and of the time to
    decode it, and scoring or counting needs none of them: only the head before them is inflated and unpickled,
    closed with a TUPLE2 (5 times faster a block). Anything unexpected reads the whole block as Whoosh does.
    """
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    inflate = zlib.decompressobj() if matcher._compression else None
    head = inflate.decompress(raw, _HEAD_BYTES) if inflate else raw
    start = head.find(_VALUES_START)
    while start < 0 and inflate is not None and inflate.unconsumed_tail:
        head += inflate.decompress(inflate.unconsumed_tail, _HEAD_BYTES)
        start = head.find(_VALUES_START)
    length = matcher._blocklength
    if start > 0 and length > 3:  # longer tuples open with a MARK; the values' first item names the function
        try:
            found = pickle.loads(head[:start] + b"\x86.")  # TUPLE2, STOP: (ids, weights) off the stack
        except (pickle.UnpicklingError, ValueError, TypeError, EOFError, IndexError, KeyError):
            found = None
        if _whole_head(found, length):
            return found
    matcher._read_data()
    return matcher._data[0], matcher._data[1]


def _whole_head(found, length: int) -> bool:
    """Tell whether a block's head unpickled to `length` ids and their weights (spelled out or one for all)."""
    if not isinstance(found, tuple) or len(found) != 2 or not isinstance(found[0], tuple):
        return False
    ids, weights = found
    return len(ids) == length and (weights is None or isinstance(weights, float) or len(weights) == length)


def leaf_postings(leaf, fieldname: str, text: str) -> tuple[array, array]:
    """Return the document numbers (within its segment, deleted ones included) and weights of a term."""
    key = (*segment_key(leaf), fieldname, text)
    found = _kept.get(key)
    if found is None:
        found = (array("I"), array("f"))
        matcher = _raw_postings(leaf, fieldname, text)
        for ids, weights in _blocks(matcher) if matcher is not None else ():
            found[0].extend(ids)
            found[1].extend(weights)
        if len(found[0]) >= MIN_KEPT:
            _kept.put(key, found)
    return found


def leaf_ids(leaf, fieldname: str, text: str) -> list[int] | array:
    """Return the numbers (within its segment) of the live documents of one segment that hold a term."""
    if leaf.segment() is None:  # an empty index
        return []
    found = leaf_postings(leaf, fieldname, text)[0]
    deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
    return [docnum for docnum in found if docnum not in deleted] if deleted else found


def leaf_values(leaf, fieldname: str, text: str, docnums: list[int], kind: str) -> dict:
    """Return a term's postings values as `kind` ("characters", "positions") in these ascending documents of a segment.

    Blocks ending before the next document wanted are passed by their headers alone, and a block read is looked
    up by bisection: Whoosh's skip_to steps through every posting on the way, several calls each.
    """
    matcher = _raw_postings(leaf, fieldname, text) if leaf.segment() is not None else None
    if matcher is None:
        return {}
    decode, found = matcher.format.decoder(kind), {}
    if not isinstance(matcher, W3LeafMatcher):  # postings kept inside the term's entry: a few, one at a time
        for docnum in docnums:
            while matcher.is_active() and matcher.id() < docnum:
                matcher.next()
            if matcher.is_active() and matcher.id() == docnum:
                found[docnum] = decode(matcher.value())
        return found
    position = 0
    while matcher.is_active() and position < len(docnums):
        if matcher.block_max_id() >= docnums[position]:
            matcher._read_data()
            matcher._read_values()
            ids, values = list(accumulate(matcher._data[0])), matcher._values
            while position < len(docnums) and docnums[position] <= ids[-1]:
                docnum = docnums[position]
                at = bisect_left(ids, docnum)
                if ids[at] == docnum:
                    found[docnum] = decode(values[at])
                position += 1
        matcher._next_block()
    return found


def term_docs(reader, fieldname: str, text: str) -> set[int]:
    """Return the numbers of the live documents that hold a term, across every segment of an index reader."""
    found: set[int] = set()
    for leaf, base in reader.leaf_readers():
        found.update(base + docnum for docnum in leaf_ids(leaf, fieldname, text))
    return found


def term_scores(searcher, fieldname: str, text: str) -> dict[int, float]:
    """Return each live document's BM25F score for a term, as the searcher's weighting scores it."""
    scores: dict[int, float] = {}
    for leaf_searcher, base in searcher.leaf_searchers():
        leaf = leaf_searcher.reader()
        if leaf.segment() is None or (fieldname, text) not in leaf:
            continue
        ids, weights = leaf_postings(leaf, fieldname, text)
        scorer = searcher.weighting.scorer(leaf_searcher, fieldname, text)
        lengths = field_lengths(leaf, fieldname)
        if not isinstance(scorer, BM25FScorer) or lengths is None:
            raise TypeError("bulk scores need BM25F and a segment's kept lengths")
        idf, k1 = scorer.idf, scorer.K1
        norms = _length_norms(leaf, fieldname, lengths, k1, scorer.B, scorer.avgfl)
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
        # Whoosh's bm25() written out, operation for operation, so the scores are the same floats.
        scores.update(
            (base + docnum, idf * ((tf * (k1 + 1)) / (tf + norms[docnum])))
            for docnum, tf in zip(ids, weights, strict=True)
            if docnum not in deleted
        )
    return scores


def _length_norms(leaf, fieldname: str, lengths: array, k1: float, b: float, avgfl: float) -> array:
    """Return BM25's K1 * ((1 - B) + B * length / average length) for each document of a segment."""
    key = (*segment_key(leaf), fieldname, k1, b, avgfl)
    found = _norms.get(key)
    if found is None:
        found = array("d", (k1 * ((1 - b) + b * length / avgfl) for length in lengths))
        _norms.put(key, found)
    return found
