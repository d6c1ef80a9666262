"""More-like-this articles and title suggestions for the search box."""

import threading
import weakref
from datetime import datetime

from whoosh.query import And, DateRange, Or, Term

from .build import MAX_PREFIX_TERMS
from .docsets import matching_docs
from .index import SearchIndex
from .schema import CONTENT
from .spelling import fold
from .synonyms import analyse

_related_cache: "weakref.WeakKeyDictionary[object, dict[int, list[int]]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()
MAX_SUGGEST_CHARS = 100
MAX_SUGGEST_SCAN = 100  # title words looked at for the typed prefix, in alphabetical order


def related_ids(index: SearchIndex, article_id: int, limit: int = 5) -> list[int]:
    """Return ids of the articles most like this one by their key body terms (cached per index version)."""
    return index.run(lambda searcher: _related(searcher, article_id, limit))


def _related(searcher, article_id: int, limit: int) -> list[int]:
    reader = searcher.reader()
    with _lock:
        cached = _related_cache.setdefault(reader, {}).get(article_id)
    if cached is not None:
        return cached
    docnum = searcher.document_number(id=str(article_id))
    found = []
    if docnum is not None:
        # Over-fetch: scheduled articles are dropped when the caller loads only visible ones.
        body = searcher.stored_fields(docnum)["body"]
        hits = searcher.more_like(docnum, CONTENT, text=body, top=limit + 5, numterms=12)
        found = [int(hit["id"]) for hit in hits]
    with _lock:
        _related_cache.setdefault(reader, {})[article_id] = found
    return found


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
    scheduled = matching_docs(searcher, DateRange("published", now, None, startexcl=True))
    # Unfiltered, Whoosh can skip what cannot reach the top; scheduled articles are dropped afterwards.
    hits = searcher.search(And(parts), limit=limit + len(scheduled))
    return [(int(hit["id"]), hit["title"]) for hit in hits if hit.docnum not in scheduled][:limit]
