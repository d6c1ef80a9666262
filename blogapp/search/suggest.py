"""Title suggestions for the search box: visible articles whose titles have the words typed so far."""

from datetime import datetime

from whoosh.query import And, Or, Term

from .build import MAX_PREFIX_TERMS
from .docsets import published_after
from .index import SearchIndex
from .spelling import fold
from .synonyms import analyse

MAX_SUGGEST_CHARS = 100
MAX_SUGGEST_SCAN = 100  # title words looked at for the typed prefix, in alphabetical order


def suggest_titles(index: SearchIndex, prefix: str, now: datetime, limit: int = 8) -> list[tuple[int, str]]:
    """Return (id, title) of visible articles whose title has the typed words, the last one as a prefix."""
    words = prefix[:MAX_SUGGEST_CHARS].split()
    if not words:
        return []
    return index.run(lambda searcher: _suggest(searcher, words, now, limit))


def _suggest(searcher, words: list[str], now: datetime, limit: int) -> list[tuple[int, str]]:
    reader = searcher.reader()
    last = fold(words[-1])
    expansions = []
    for count, term in enumerate(reader.expand_prefix("title", last)):
        if count >= MAX_SUGGEST_SCAN:
            break
        expansions.append(term.decode() if isinstance(term, bytes) else term)
    best = sorted(expansions, key=lambda t: -reader.doc_frequency("title", t))[:MAX_PREFIX_TERMS]
    stemmed_last = analyse(words[-1])
    options = [Term("title", t) for t in best] + [Term("title", t) for t in stemmed_last]
    if not options:
        return []
    parts = [Term("title", token) for word in words[:-1] for token in analyse(word)] + [Or(options)]
    scheduled = published_after(searcher, now)
    # Unfiltered, Whoosh can skip what cannot reach the top; scheduled articles are dropped afterwards.
    hits = searcher.search(And(parts), limit=limit + len(scheduled))
    return [(int(hit["id"]), hit["title"]) for hit in hits if hit.docnum not in scheduled][:limit]
