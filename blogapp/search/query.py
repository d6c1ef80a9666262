"""Turn what a reader typed into a bounded Whoosh query and a page of highlighted hits."""

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from whoosh import qparser
from whoosh.highlight import ContextFragmenter, Highlighter, HtmlFormatter, WholeFragmenter
from whoosh.query import DateRange, NullQuery, Or, Query, Term

from .index import SearchIndex
from .schema import ANALYZER, TEXT_FIELDS


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
    notices: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Return the number of result pages."""
        return max(1, math.ceil(self.total / self.per_page))


def clean_query(raw: str, max_chars: int, max_terms: int) -> tuple[str, list[str]]:
    """Drop control characters and cap the length and word count; return the text and notices."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw)
    text = " ".join(text.split())
    notices = []
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] if " " in text[:max_chars] else text[:max_chars]
        notices.append(f"Your search was longer than {max_chars} characters, so only its start was used.")
    words = text.split()
    if len(words) > max_terms:
        text = " ".join(words[:max_terms])
        notices.append(f"Only the first {max_terms} words of your search were used.")
    return text, notices


def _parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.OrGroup.factory(0.9))
    # No wildcards, ranges, field prefixes, boosts or nesting: each can make one query cost seconds.
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.EveryPlugin)
    parser.remove_plugin_class(qparser.GroupPlugin)
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


def plain_words_query(text: str) -> Query:
    """Match any of the analysed words of `text` in any text field."""
    words = {token.text for token in ANALYZER(text)}
    terms = [Term(name, word) for word in sorted(words) for name in TEXT_FIELDS]
    return Or(terms) if terms else NullQuery


def build_query(text: str, schema) -> Query:
    """Parse the reader's text; anything the parser cannot handle becomes plain words."""
    try:
        query = _parser(schema).parse(text)
    except Exception:  # the parser's failure modes are not documented; fall back, never fail
        return plain_words_query(text)
    return query if query is not None else NullQuery


def rank_ids(searcher, text: str, limit: int = 1000) -> list[str]:
    """Return the ids of the best documents for `text`, through the same parsing and weighting readers get."""
    query = build_query(text, searcher.schema)
    if query is NullQuery:
        return []
    return [hit["id"] for hit in searcher.search(query, limit=limit)]


def search_articles(index: SearchIndex, request: SearchRequest, now: datetime) -> ResultPage:
    """Run a reader's search and return one page of hits with highlighted titles and snippets."""
    page, per_page = request.page, request.per_page
    result = ResultPage(query=request.text, page=page, per_page=per_page)
    searcher = index.searcher()
    query = build_query(request.text, searcher.schema)
    if query is NullQuery:
        return result
    hits = searcher.search_page(query, page, pagelen=per_page, filter=DateRange("published", None, now))
    result.total = len(hits)
    if page > result.pages:
        return result
    hits.results.fragmenter = ContextFragmenter(maxchars=240, surround=70)
    hits.results.formatter = MarkFormatter()
    title_highlighter = Highlighter(fragmenter=WholeFragmenter(), formatter=MarkFormatter())
    for hit in hits:
        title = title_highlighter.highlight_hit(hit, "title") or escape(hit["title"])
        snippet = hit.highlights("body", top=2) or hit.highlights("summary") or escape(hit["summary"])
        result.hits.append(Hit(article_id=int(hit["id"]), title=Markup(title), snippet=Markup(snippet)))
    return result
