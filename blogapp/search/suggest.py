"""Title suggestions for the search box: visible articles whose titles have the words typed so far."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

from whoosh.query import And, Or, Term

from .. import caches
from .build import MAX_PREFIX_TERMS
from .docsets import published_after
from .index import SearchIndex
from .page_docs import page_id_of
from .ranking import Scorer, best
from .search_key import spelling
from .spelling import fold
from .synonyms import analyse

MAX_SUGGEST_CHARS = 100
MAX_SUGGEST_SCAN = 100  # title words looked at for the typed prefix, in alphabetical order
# A word of one or two letters matches the most titles: scoring their commonest words cost 90-320 ms under load.
# Its suggestions are kept per index and content version, so each costs once per version and process.
SHORT_PREFIX_CHARS = 2
KEPT_SHORT_LISTS = 4096  # more than the one- and two-character spellings titles hold
caches.declare(
    "search.short_suggestions",
    holds="the title suggestions (id, title) for words of one or two characters, per index and content version",
    bound=f"{KEPT_SHORT_LISTS:,} lists of at most 8 titles per process",
    cleared_by="a new index or content version: the key changes, old lists fall out unused",
)


def suggest_bounded(
    index: SearchIndex,
    text: str,
    now: datetime,
    kept: tuple[caches.LRU, str],
    guard: Callable[[], AbstractContextManager],
) -> list[tuple[int, str]]:
    """Return `suggest_titles` for the text, a short word's from the lists `kept` = (lists, content version).

    Every lookup not answered from those lists runs inside `guard()` (a slot of bounded work).
    """
    words = text[:MAX_SUGGEST_CHARS].split()
    if len(words) != 1 or len(spelling(words[0])) > SHORT_PREFIX_CHARS:
        with guard():
            return suggest_titles(index, text, now)
    lists, content_version = kept
    key = (index.version(), content_version, spelling(words[0]))  # its folded and indexed forms are the word's
    found = lists.get(key)
    if found is None:
        with guard():
            found = suggest_titles(index, key[2], now)
        lists.put(key, found)
    return found


def suggest_titles(index: SearchIndex, prefix: str, now: datetime, limit: int = 8) -> list[tuple[int, str]]:
    """Return (id, title) of visible articles whose title has the typed words, the last one as a prefix."""
    words = prefix[:MAX_SUGGEST_CHARS].split()
    if not words:
        return []
    return index.run(lambda searcher: _suggest(searcher, words, now, limit))


def title_query(reader, words: list[str]) -> And | None:
    """Return the query of titles with every typed word, the last one as a prefix; None if nothing can match."""
    last = fold(words[-1])
    expansions = []
    for count, term in enumerate(reader.expand_prefix("title", last)):
        if count >= MAX_SUGGEST_SCAN:
            break
        expansions.append(term.decode() if isinstance(term, bytes) else term)
    commonest = sorted(expansions, key=lambda t: -reader.doc_frequency("title", t))[:MAX_PREFIX_TERMS]
    options = [Term("title", t) for t in commonest] + [Term("title", t) for t in analyse(words[-1])]
    if not options:
        return None
    return And([Term("title", token) for word in words[:-1] for token in analyse(word)] + [Or(options)])


def _suggest(searcher, words: list[str], now: datetime, limit: int) -> list[tuple[int, str]]:
    query = title_query(searcher.reader(), words)
    if query is None:
        return []
    scheduled = published_after(searcher, now)
    # Whoosh's scores from whole posting lists: a common prefix ("co", "han") matches thousands of titles, which
    # Whoosh's matchers scored one at a time (p95 150 ms at 100,000 articles). Scheduled ones are dropped after.
    scores = Scorer(searcher, ("title",)).scores(query) or {}
    found = [docnum for docnum in best(scores, limit + len(scheduled), scores.keys()) if docnum not in scheduled]
    titles = [(fields["id"], fields["title"]) for fields in map(searcher.stored_fields, found[:limit])]
    return [(int(doc_id), title) for doc_id, title in titles if page_id_of(doc_id) is None]  # articles only
