"""Score every document a ranking query matches from whole posting lists, and pick the best few.

The same scores as Whoosh's matchers (sums of BM25F term scores, times each boost), worked out term by
term instead of document by document. A query of other kinds than these (ranges, phrases with positions)
is left to Whoosh: `scores` returns None for it.
"""

import heapq

from whoosh.query import And, AndNot, DisjunctionMax, NullQuery, Or, Query, Term

from .postings import term_scores
from .schema import CONTENT, TITLE

Scores = dict[int, float]


class Scorer:
    """One searcher's term scores, each term read once per search, for words of the text fields named."""

    def __init__(self, searcher, fieldnames: tuple[str, ...] = (CONTENT, TITLE)):
        self.searcher = searcher
        self.fieldnames = fieldnames  # BM25F fields with kept lengths; a term of another is left to Whoosh
        self._terms: dict[tuple[str, str], Scores] = {}
        self._queries: dict[Query, Scores | None] = {}

    def term(self, text: str, fieldname: str = CONTENT) -> Scores:
        """Return each document's score for a word of a field (the content field unless named)."""
        found = self._terms.get((fieldname, text))
        if found is None:
            found = self._terms[(fieldname, text)] = term_scores(self.searcher, fieldname, text)
        return found

    def scores(self, query: Query) -> Scores | None:
        """Return each matching document's score, or None for a query this module does not score."""
        if query not in self._queries:
            self._queries[query] = self._scores(query)
        return self._queries[query]

    def _scores(self, query: Query) -> Scores | None:
        kind = type(query)
        if query is NullQuery:
            return {}
        if kind is Term and query.fieldname in self.fieldnames:
            found = self.term(query.text, query.fieldname)
        elif kind in (And, Or) and len(query.subqueries) == 1:
            return self.scores(query.subqueries[0])  # Whoosh leaves a lone part's boost as it is, too
        elif kind is Or and _all_first(query):
            found = self._all_first(query)
        elif kind is Or:
            found = _union([self.scores(sub) for sub in query.subqueries])
        elif kind is DisjunctionMax:
            found = _best_of([self.scores(sub) for sub in query.subqueries])
        elif kind is And:
            found = _intersection([self.scores(sub) for sub in query.subqueries])
        elif kind is AndNot:
            found, excluded = self.scores(query.a), self.scores(query.b)
            if found is None or excluded is None:
                return None
            return {docnum: score for docnum, score in found.items() if docnum not in excluded}
        else:
            return None
        if found is None or query.boost == 1.0:
            return found
        return {docnum: score * query.boost for docnum, score in found.items()}

    def _all_first(self, query: Or) -> Scores | None:
        """Score Or([And(units, boost=b), Or(units)]) from one sum per document: b × sum + sum where all match."""
        every, some = query.subqueries
        parts = [self.scores(sub) for sub in some.subqueries]
        total = _union(parts)
        if total is None or not all(parts):
            return total
        smallest = min(parts, key=len)
        for docnum in set(smallest).intersection(*[part.keys() for part in parts if part is not smallest]):
            # The same floats as the two clauses summed apart: both add the parts in the same order.
            total[docnum] = total[docnum] * every.boost + total[docnum]
        return total


def _all_first(query: Or) -> bool:
    """Tell whether a query is build's "all words first" shape: the same units under a boosted And and an Or."""
    if len(query.subqueries) != 2:
        return False
    every, some = query.subqueries
    return (
        type(every) is And
        and type(some) is Or
        and some.boost == 1.0
        and len(some.subqueries) > 1
        and every.subqueries == some.subqueries
    )


def _union(parts: list[Scores | None]) -> Scores | None:
    if any(part is None for part in parts):
        return None
    total: Scores = dict(parts[0]) if parts else {}  # 0.0 + score is score: the first part is copied as it is
    for part in parts[1:]:
        for docnum, score in part.items():
            total[docnum] = total.get(docnum, 0.0) + score
    return total


def _best_of(parts: list[Scores | None]) -> Scores | None:
    """Return each document's best score among the parts that match it (as Whoosh's DisjunctionMax scores)."""
    if any(part is None for part in parts):
        return None
    total: Scores = dict(parts[0]) if parts else {}
    for part in parts[1:]:
        for docnum, score in part.items():
            if score > total.get(docnum, float("-inf")):
                total[docnum] = score
    return total


def _intersection(parts: list[Scores | None]) -> Scores | None:
    if any(part is None for part in parts):
        return None
    if not parts or not all(parts):
        return {}
    smallest = min(parts, key=len)
    shared = set(smallest).intersection(*[part.keys() for part in parts if part is not smallest])
    total = {docnum: parts[0][docnum] for docnum in shared}
    for part in parts[1:]:  # added in the parts' order, as Whoosh's sum is
        for docnum in shared:
            total[docnum] += part[docnum]
    return total


def best(scores: Scores, limit: int, allowed: set[int]) -> list[int]:
    """Return the `limit` allowed documents with the highest scores, ties to the lower number (as Whoosh)."""
    if limit <= 0:
        return []
    # The limit-th best score of all matches is a floor: usually every document above it is allowed, and only
    # those few are sorted (comparing bare floats first is several times cheaper than building 90,000 pairs).
    floor = heapq.nlargest(limit, scores.values())[-1] if len(scores) >= limit else float("-inf")
    above = [(-score, docnum) for docnum, score in scores.items() if score >= floor and docnum in allowed]
    if len(above) < limit:
        above = [(-score, docnum) for docnum, score in scores.items() if docnum in allowed]
    return [docnum for _, docnum in heapq.nsmallest(limit, above)]
