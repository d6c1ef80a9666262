"""Every document a query matches, from raw posting lists: far cheaper than Whoosh's scoring matchers."""

from whoosh.query import And, AndNot, NullQuery, Or, Phrase, Query, Term
from whoosh.reading import TermNotFound


def matching_docs(searcher, query: Query) -> set[int]:
    """Return the numbers of all (undeleted) documents that match `query`."""
    if query is NullQuery:
        return set()
    kind = type(query)
    if kind is Term:
        try:
            return set(searcher.reader().postings(query.fieldname, query.text).all_ids())
        except TermNotFound:
            return set()
    if kind is Or:
        found: set[int] = set()
        for sub in query.subqueries:
            found |= matching_docs(searcher, sub)
        return found
    if kind is And:
        parts = sorted((matching_docs(searcher, sub) for sub in query.subqueries), key=len)
        return set.intersection(*parts) if parts else set()
    if kind is AndNot:
        return matching_docs(searcher, query.a) - matching_docs(searcher, query.b)
    return set(searcher.docs_for_query(query))  # phrases, ranges: let Whoosh check positions and values


def bound_phrases(searcher, query: Query, limit: int) -> tuple[Query, bool]:
    """Replace each phrase whose words co-occur in more than `limit` documents by those words (AND).

    Checking word positions costs time for every document holding all the words, so a phrase of very
    common words could keep a worker busy for seconds. Return the query and whether anything was replaced.
    """
    replaced = False

    def visit(node: Query) -> Query:
        nonlocal replaced
        if isinstance(node, Phrase):
            words = And([Term(node.fieldname, word) for word in node.words], boost=node.boost)
            if len(matching_docs(searcher, words)) > limit:
                replaced = True
                return words
            return node
        return node.apply(visit)

    return visit(query), replaced
