"""Every document a query matches, from raw posting lists: far cheaper than Whoosh's scoring matchers."""

from array import array
from bisect import bisect_right
from datetime import datetime

from whoosh.query import And, AndNot, DisjunctionMax, NullQuery, Or, Phrase, Query, Term

from .. import caches
from .lengths import segment_key
from .postings import leaf_values, term_docs
from .ranking import Scorer
from .schema import CONTENT

MAX_SEGMENTS = 64
_publication_orders = caches.lru(
    "search.publication_order",
    maxsize=MAX_SEGMENTS,
    holds="the documents of one index segment in order of publication time, with those times",
    cleared_by="nothing: a segment's documents never change; the least recently used segments go",
)


def matching_docs(searcher, query: Query, scorer: Scorer | None = None) -> set[int]:
    """Return the numbers of all (undeleted) documents that match `query`.

    With a `scorer`, content words are read through it, so a search that also ranks reads each list once.
    """
    if query is NullQuery:
        return set()
    kind = type(query)
    if kind is Term:
        if scorer is not None and query.fieldname == CONTENT:
            return set(scorer.term(query.text))
        return term_docs(searcher.reader(), query.fieldname, query.text)
    if kind in (Or, DisjunctionMax):
        found: set[int] = set()
        for sub in query.subqueries:
            found |= matching_docs(searcher, sub, scorer)
        return found
    if kind is And:
        parts = sorted((matching_docs(searcher, sub, scorer) for sub in query.subqueries), key=len)
        return set.intersection(*parts) if parts else set()
    if kind is AndNot:
        return matching_docs(searcher, query.a, scorer) - matching_docs(searcher, query.b, scorer)
    if kind is Phrase and query.slop == 1:
        words = And([Term(query.fieldname, word) for word in query.words])
        return phrase_docs(searcher, query, matching_docs(searcher, words, scorer))
    return set(searcher.docs_for_query(query))  # ranges and the like: let Whoosh check the values


def phrase_docs(searcher, phrase: Phrase, candidates: set[int]) -> set[int]:
    """Return the candidates in which the phrase's words stand one after the other.

    Only the candidates' positions are read (Whoosh's phrase matcher walks every posting of every word:
    0.7 s for four common words in 100,000 articles).
    """
    found: set[int] = set()
    for leaf, base in searcher.reader().leaf_readers():
        local = sorted(docnum - base for docnum in candidates if base <= docnum < base + leaf.doc_count_all())
        if not local:
            continue
        positions = [_positions(leaf, phrase.fieldname, word, local) for word in phrase.words]
        for docnum in local:
            starts = set(positions[0].get(docnum, ()))
            for offset, of_word in enumerate(positions[1:], 1):
                starts &= {position - offset for position in of_word.get(docnum, ())}
            if starts:
                found.add(base + docnum)
    return found


def _positions(leaf, fieldname: str, word: str, docnums: list[int]) -> dict[int, list[int]]:
    """Return the positions of a word in each of these (ascending) documents of one segment that hold it."""
    return leaf_values(leaf, fieldname, word, docnums, "positions")


def bound_phrases(searcher, query: Query, limit: int, scorer: Scorer | None = None) -> tuple[Query, bool]:
    """Replace each phrase whose words co-occur in more than `limit` documents by those words (AND).

    Checking word positions costs time for every document holding all the words, so a phrase of very
    common words could keep a worker busy for seconds. Return the query and whether anything was replaced.
    """
    replaced = False

    def visit(node: Query) -> Query:
        nonlocal replaced
        if isinstance(node, Phrase):
            words = And([Term(node.fieldname, word) for word in node.words], boost=node.boost)
            if len(matching_docs(searcher, words, scorer)) > limit:
                replaced = True
                return words
            return node
        return node.apply(visit)

    return visit(query), replaced


def published_after(searcher, moment: datetime) -> set[int]:
    """Return the numbers of the documents published after `moment` (scheduled ones), deleted ones included."""
    limit = searcher.schema["published"].to_column_value(moment)
    found: set[int] = set()
    for leaf, base in searcher.reader().leaf_readers():
        if leaf.segment() is not None:  # None: an empty index
            times, docnums = _publication_order(leaf)
            found.update(base + docnum for docnum in docnums[bisect_right(times, limit) :])
    return found


def _publication_order(leaf) -> tuple[array, array]:
    """Return a segment's publication times in ascending order and its document numbers in that order."""
    key = segment_key(leaf)
    found = _publication_orders.get(key)
    if found is None:
        column = leaf.column_reader("published", translate=False)
        # Unsigned 64-bit times; a document without one reads as the column's default (2**64 - 1), which no date
        # range matched before either, so it is left out rather than taken for scheduled.
        missing = leaf.schema["published"].column_type.default_value()
        values = ((column[docnum], docnum) for docnum in range(leaf.doc_count_all()))
        pairs = sorted(pair for pair in values if pair[0] != missing)
        found = (array("Q", (time for time, _ in pairs)), array("I", (docnum for _, docnum in pairs)))
        _publication_orders.put(key, found)
    return found
