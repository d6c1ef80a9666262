"""Run reader searches: one page of highlighted hits with counts, facets and spelling help."""

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from whoosh.query import And, AndNot, NullQuery, Phrase, Term

from ..content.pagination import Pages
from . import feedback, spelling
from .build import build, filter_query, typed_terms
from .docsets import bound_phrases, matching_docs, published_after
from .facets import facet_map
from .index import SearchIndex
from .page_docs import page_id_of
from .parse import MAX_QUERY_CHARS, MAX_TERMS, ParsedQuery, clean_text, parse
from .ranking import Scorer, best
from .resultcache import ResultCache
from .schema import CONTENT
from .search_key import SearchKey, replace_words, search_key
from .snippets import body_spans, mark_words, snippet
from .synonyms import Synonyms, analyse, parse_synonyms

SORTS = ("relevance", "newest")
PHRASE_CHECK_LIMIT = 1000  # documents holding all of a phrase's words that may be position-checked
# Postings a search reads and scores (1–2 µs each): past this, its commonest words are left out.
MAX_POSTINGS = 60_000
# The offline ranking (relevance evaluation) takes whole test questions: longer than readers', still bounded.
RANK_MAX_CHARS, RANK_MAX_TERMS = 2000, 200
NO_SYNONYMS = parse_synonyms("")


@dataclass(frozen=True)
class SearchRequest:
    """What a reader asked for: words, page, order and narrowing filters."""

    text: str
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    category: str | None = None
    tags: tuple[str, ...] = ()
    exact: bool = False  # no spelling correction
    verbatim: bool = False  # no synonyms: the typed words only


@dataclass
class Hit:
    article_id: int | None  # None for a page
    title: Markup
    snippet: Markup
    page_id: int | None = None


@dataclass
class ResultPage(Pages):
    """One page of a search's hits, with the whole search's count, facets and spelling help."""

    query: str
    page: int
    per_page: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    corrected: str | None = None
    suggestion: str | None = None
    expansions: list[str] = field(default_factory=list)  # synonyms searched too, as the synonyms file spells them
    # Kept pages hold no typed text (variants of a search share them): the words to correct and to suggest,
    # by their spelling, from which each request's `corrected` and `suggestion` are written with its own text.
    fixes: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)


def _apply_fixes(parsed: ParsedQuery, fixes: dict[str, str]) -> None:
    parsed.words = [fixes.get(word, word) for word in parsed.words]


def rank_ids(searcher, text: str, limit: int = 1000, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """Return the ids of the best documents for `text`, through the same parsing and weighting readers get."""
    text, _ = clean_text(text, RANK_MAX_CHARS, RANK_MAX_TERMS)
    query = build(parse(text), searcher.reader(), synonyms, MAX_POSTINGS)
    if query is NullQuery:
        return []
    scorer = Scorer(searcher)
    query, _ = bound_phrases(searcher, query, PHRASE_CHECK_LIMIT, scorer)
    ranked = _top_docs(scorer, query, limit, matching_docs(searcher, query, scorer))
    return [searcher.stored_fields(docnum)["id"] for docnum in ranked]


def search_articles(
    index: SearchIndex,
    request: SearchRequest,
    now: datetime,
    synonyms: Synonyms = NO_SYNONYMS,
    kept: tuple[ResultCache, str] | None = None,
    guard: Callable[[], AbstractContextManager] = nullcontext,
) -> ResultPage:
    """Run a reader's search and return one page of hits with highlights, facets and spelling help.

    With `kept` = (result cache, content version) (a version that changes whenever what readers may see
    changes, scheduled articles going live included), the page is reused until it or the index changes, by
    every variant of the search (search_key.py). The search itself, when the page is not kept, runs inside
    `guard()` (e.g. a slot of bounded work).
    """
    text, notices = clean_text(request.text, MAX_QUERY_CHARS, MAX_TERMS)
    key = search_key(text, dataclasses.replace(request, text=""))

    def run() -> ResultPage:
        with guard():
            return index.run(lambda searcher: _search_page(searcher, key, now, synonyms))

    if kept is None:
        return _shown_for(run(), request.text, text, notices)
    cache, content_version = kept
    page = cache.get_or_compute((index.version(), content_version, key), synonyms, run)
    return _shown_for(page, request.text, text, notices)


def _shown_for(page: ResultPage, typed: str, text: str, notices: list[str]) -> ResultPage:
    """Return a copy of a (kept) page with what this request typed: its text, notices and corrected text."""
    return dataclasses.replace(
        page,
        query=typed,
        notices=notices + page.notices,
        corrected=replace_words(text, page.fixes) if page.fixes else None,
        suggestion=replace_words(text, page.hints) if page.hints else None,
    )


def page_as_json(page: ResultPage) -> dict:
    """Return a result page as JSON data (for the pages shared between workers)."""
    return dataclasses.asdict(page)


def page_from_json(data: dict) -> ResultPage:
    """Return the result page `page_as_json` gave."""
    # Titles and snippets were escaped and marked by this module before they were stored.
    hits = [
        Hit(hit["article_id"], Markup(hit["title"]), Markup(hit["snippet"]), hit.get("page_id")) for hit in data["hits"]
    ]
    facets = {kind: [(slug, count) for slug, count in counts] for kind, counts in data["facets"].items()}
    return ResultPage(**{**data, "hits": hits, "facets": facets})


def _search_page(searcher, key: SearchKey, now: datetime, synonyms: Synonyms) -> ResultPage:
    request: SearchRequest = key.options
    result = ResultPage(query="", page=request.page, per_page=request.per_page)
    reader = searcher.reader()
    parsed = key.parsed()
    synonyms = NO_SYNONYMS if request.verbatim else synonyms
    if not request.exact:
        # A word of the synonym list ("pot") is known even where no article spells it: its synonyms find them.
        result.fixes = spelling.correct_unknown(reader, [w for w in parsed.words if not synonyms.expand(analyse(w))])
        _apply_fixes(parsed, result.fixes)
    query = build(parsed, reader, synonyms, MAX_POSTINGS)
    result.notices = parsed.notices
    result.expansions = parsed.expansions
    narrow = filter_query(parsed.filters, request.category, request.tags)
    sort = request.sort
    if query is NullQuery:
        if narrow is None:
            return result
        query, sort = narrow, "newest"  # filters alone have no relevance to rank by
    scorer = Scorer(searcher)
    query, loosened = bound_phrases(searcher, query, PHRASE_CHECK_LIMIT, scorer)
    if loosened:
        result.notices.append(
            "A phrase you searched for is too common to check word by word here, "
            "so these results have its words anywhere in the article."
        )
    # Without phrases to check, what the query matches is what it scores, worked out once for both.
    scores = scorer.scores(query) if _words_for_phrases(query) == query else None
    allowed = set(scores) if scores is not None else matching_docs(searcher, query, scorer)
    if narrow is not None:
        allowed &= matching_docs(searcher, narrow)
    allowed -= published_after(searcher, now)
    result.total = len(allowed)
    result.facets = facet_map(searcher).counts(allowed)
    if result.total < 3 and not result.fixes:
        result.hints = spelling.did_you_mean(reader, parsed.words)
    if result.total == 0 or request.page > result.pages:
        return result
    if sort == "newest":
        published = reader.column_reader("published", translate=False)
        ranked = sorted(allowed, key=lambda docnum: published[docnum], reverse=True)
    else:
        ranked = _top_docs(scorer, query, request.page * request.per_page, allowed)
    page_docs = ranked[(request.page - 1) * request.per_page : request.page * request.per_page]
    _fill_hits(result, searcher, page_docs, _positive_terms(query), typed_terms(query))
    return result


def _top_docs(scorer: Scorer, query, limit: int, allowed: set[int]) -> list[int]:
    """Return the best `limit` of the allowed documents, by relevance."""
    ranking = _words_for_phrases(query)
    scores = scorer.scores(ranking)
    if scores is not None:
        return best(feedback.rerank(scorer, ranking, scores, allowed), limit, allowed)
    # A query of other parts than build() makes: Whoosh's matchers rank it.
    return [hit.docnum for hit in scorer.searcher.search(ranking, limit=limit, filter=allowed)]


def _words_for_phrases(query):
    """Rank phrases by their words (cheaper); the allowed set already holds only true phrase matches."""
    if isinstance(query, Phrase):
        return And([Term(query.fieldname, word) for word in query.words], boost=query.boost)
    return query.apply(_words_for_phrases)


def _positive_terms(query) -> set[str]:
    """Return the content words a query looks for, leaving out excluded ones."""
    positive = query.a if isinstance(query, AndNot) else query
    return {text for name, text in positive.iter_all_terms() if name == CONTENT}


def _fill_hits(result: ResultPage, searcher, docnums: list[int], terms: set[str], typed: set[str]) -> None:
    """Add the hits with snippets cut around all the words found, marking only the ones typed."""
    spans = body_spans(searcher.reader(), docnums, terms)
    for docnum in docnums:
        fields = searcher.stored_fields(docnum)
        text = snippet(fields["body"], spans[docnum], typed) or mark_words(fields["summary"], typed)
        page_id = page_id_of(fields["id"])
        article_id = int(fields["id"]) if page_id is None else None
        result.hits.append(Hit(article_id, mark_words(fields["title"], typed), text, page_id))
