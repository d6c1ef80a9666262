"""Run reader searches: one page of highlighted hits with counts, facets and spelling help."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from whoosh.highlight import ContextFragmenter, Highlighter, HtmlFormatter, WholeFragmenter
from whoosh.query import DateRange, NullQuery

from . import spelling
from .build import build, filter_query
from .facets import facet_map
from .index import SearchIndex
from .parse import ParsedQuery, parse
from .synonyms import Synonyms, parse_synonyms

SORTS = ("relevance", "newest")
NO_SYNONYMS = parse_synonyms("")


class MarkFormatter(HtmlFormatter):
    """Wrap matched words in <mark>, escaping everything else."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


@dataclass(frozen=True)
class SearchRequest:
    """What a reader asked for: words, page, order and narrowing filters."""

    text: str
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    category: str | None = None
    tags: tuple[str, ...] = ()
    exact: bool = False


@dataclass
class Hit:
    article_id: int
    title: Markup
    snippet: Markup


@dataclass
class ResultPage:
    query: str
    page: int
    per_page: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    corrected: str | None = None
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        """Return the number of result pages."""
        return max(1, math.ceil(self.total / self.per_page))


def _replace_words(text: str, fixes: dict[str, str]) -> str:
    return " ".join(fixes.get(word, word) for word in text.split())


def _apply_fixes(parsed: ParsedQuery, fixes: dict[str, str]) -> None:
    parsed.words = [fixes.get(word, word) for word in parsed.words]


def rank_ids(searcher, text: str, limit: int = 1000, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """Return the ids of the best documents for `text`, through the same parsing and weighting readers get."""
    query = build(parse(text), searcher.reader(), synonyms)
    if query is NullQuery:
        return []
    return [hit["id"] for hit in searcher.search(query, limit=limit)]


def search_articles(
    index: SearchIndex, request: SearchRequest, now: datetime, synonyms: Synonyms = NO_SYNONYMS
) -> ResultPage:
    """Run a reader's search and return one page of hits with highlights, facets and spelling help."""
    result = ResultPage(query=request.text, page=request.page, per_page=request.per_page)
    searcher = index.searcher()
    reader = searcher.reader()
    parsed = parse(request.text)
    if not request.exact:
        fixes = spelling.correct_unknown(reader, parsed.words)
        if fixes:
            _apply_fixes(parsed, fixes)
            result.corrected = _replace_words(request.text, fixes)
    query = build(parsed, reader, synonyms)
    narrow = filter_query(parsed.filters, request.category, request.tags)
    if query is NullQuery:
        if narrow is None:
            return result
        query, request = narrow, _newest(request)
    allowed = set(searcher.docs_for_query(query))
    if narrow is not None:
        allowed &= set(searcher.docs_for_query(narrow))
    allowed -= set(searcher.docs_for_query(DateRange("published", now, None, startexcl=True)))
    result.total = len(allowed)
    result.facets = facet_map(searcher).counts(allowed)
    if result.total < 3 and not result.corrected:
        hints = spelling.did_you_mean(reader, parsed.words)
        result.suggestion = _replace_words(request.text, hints) if hints else None
    if result.total == 0 or request.page > result.pages:
        return result
    sort = {"sortedby": "published", "reverse": True} if request.sort == "newest" else {}
    hits = searcher.search(query, limit=request.page * request.per_page, filter=allowed, **sort)
    _fill_hits(result, hits[(request.page - 1) * request.per_page :])
    return result


def _newest(request: SearchRequest) -> SearchRequest:
    """Filters alone have no relevance to rank by: list them newest first."""
    return SearchRequest(**{**request.__dict__, "sort": "newest"})


def _fill_hits(result: ResultPage, hits) -> None:
    if not hits:
        return
    results = hits[0].results
    results.fragmenter = ContextFragmenter(maxchars=200, surround=60)
    results.formatter = MarkFormatter()
    title_highlighter = Highlighter(fragmenter=WholeFragmenter(), formatter=MarkFormatter())
    for hit in hits:
        title = title_highlighter.highlight_hit(hit, "title") or escape(hit["title"])
        snippet = hit.highlights("body", top=2) or hit.highlights("summary") or escape(hit["summary"])
        result.hits.append(Hit(article_id=int(hit["id"]), title=Markup(title), snippet=Markup(snippet)))
