"""What the index's pages hold, so that the "common word" rule of a search is measured over articles alone.

A word in more than COMMON_SHARE of the articles is not required by a search's all-words clause. Counted over
every document, the site's few pages (About, Privacy…: a different kind of text) moved words across that line:
with the demo's 5 pages beside 25 articles "often" (22 articles and 1 page) fell from 88% to 77% and became
required, and "how often can i take painkillers for headaches" lost its best article's first place.
"""

from whoosh.query import And, DisjunctionMax, Or, Phrase, Query, Term

from .. import caches
from .page_docs import PAGE_PREFIX
from .postings import term_docs
from .schema import CONTENT
from .synonyms import analyse

_maps = caches.weak_map(
    "search.page_terms",
    holds="the indexed words of each page document, for one index reader",
    bound="one per open index reader (the site's pages: tens)",
    cleared_by="the reader closing: a new index version opens a new one",
)


class PageTerms:
    """The words of each live page in one index reader's view."""

    def __init__(self, reader):
        self.pages: list[frozenset[str]] = []
        for term in reader.expand_prefix("id", PAGE_PREFIX):
            text = term.decode() if isinstance(term, bytes) else term
            for docnum in term_docs(reader, "id", text):  # live documents only
                fields = reader.stored_fields(docnum)
                self.pages.append(frozenset(analyse(f"{fields['title']} {fields['body']}")))

    def holding(self, query: Query) -> int:
        """Count the pages a word, phrase, or group of them (as a search's units are built) may match."""
        return sum(1 for words in self.pages if _matches(query, words))


def _matches(query: Query, words: frozenset[str]) -> bool:
    if isinstance(query, Term):
        return query.fieldname == CONTENT and query.text in words
    if isinstance(query, Phrase):
        return all(word in words for word in query.words)
    if isinstance(query, And):
        return all(_matches(child, words) for child in query.children())
    if isinstance(query, (Or, DisjunctionMax)):
        return any(_matches(child, words) for child in query.children())
    return False


def page_terms(reader) -> PageTerms:
    """Return the page words of this reader, gathered once per index version."""
    found = _maps.get(reader)
    if found is None:
        found = PageTerms(reader)
        _maps.put(reader, found)
    return found


def article_count(reader) -> int:
    """Return how many live articles the reader holds (every document but the pages)."""
    return reader.doc_count() - len(page_terms(reader).pages)


def article_frequency(reader, query: Query) -> int:
    """Return about how many articles a unit of a search matches: its size less the pages it matches."""
    return max(0, query.estimate_size(reader) - page_terms(reader).holding(query))
