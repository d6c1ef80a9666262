"""Full-text search over articles; the only package that imports whoosh."""

import os
from contextlib import nullcontext
from datetime import datetime

from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.exc import SQLAlchemyError

from .. import caches
from . import clicks, commands, follower, querylog, related, sync
from . import index as index_module
from .check import Drift
from .errors import SearchUnavailable
from .highlight import highlight_html
from .index import SearchIndex
from .query import SORTS, ResultPage, SearchRequest, page_as_json, page_from_json, rank_ids, search_articles
from .resultcache import ResultCache, SharedPages
from .suggest import KEPT_SHORT_LISTS, suggest_bounded, suggest_titles
from .synonym_store import SynonymSource
from .synonyms import Synonyms

__all__ = [
    "SORTS",
    "Drift",
    "ResultPage",
    "SearchIndex",
    "SearchRequest",
    "SearchUnavailable",
    "find",
    "get_index",
    "get_synonyms",
    "highlight_html",
    "init_app",
    "rank_ids",
    "related_article_ids",
    "search_articles",
    "suggest_titles",
    "title_suggestions",
]
_SYNONYMS_KEY = "blogapp.search.synonyms"


def init_app(app: Flask) -> None:
    """Give the app its index, synonyms and result pages; log index changes on every commit; add commands."""
    index = index_module.init_app(app)
    log_follower = follower.init_app(app, index)
    index.listeners.append(related.follow(index))
    app.extensions[_SYNONYMS_KEY] = SynonymSource(app.config["SEARCH_SYNONYMS_FILE"])
    shared = SharedPages(os.path.normpath(index.path) + "-results", page_as_json, page_from_json)
    caches.for_app(app, "search.result_pages", ResultCache(shared=shared))
    caches.for_app(app, "search.short_suggestions", caches.LRU(KEPT_SHORT_LISTS))
    sync.register(FlaskSession)
    querylog.init_app(app)
    clicks.init_app(app)
    app.cli.add_command(commands.search_group)
    started = False

    @app.before_request
    def follow_log_once() -> None:
        # The first request of each process starts its follower: other nodes' changes, and changes left by a
        # process that died after its commit, are applied from then on. Without one (tests), only the leftovers.
        nonlocal started
        if started:
            return
        started = True
        if app.config["SEARCH_FOLLOW_SECONDS"]:
            log_follower.start(app)
            return
        try:
            if index.exists() and index.pending():
                index.retry_in_background(app)
        except SQLAlchemyError:
            app.logger.warning("search change log not readable; is the database initialised?")


def get_index() -> SearchIndex:
    """Return the current app's search index."""
    return index_module.for_app(current_app)


def get_synonyms() -> Synonyms:
    """Return the current app's synonym groups as the newsroom's list, else its synonyms file, says now."""
    return current_app.extensions[_SYNONYMS_KEY].current()


def find(request: SearchRequest, now: datetime, content_version: str, guard=nullcontext) -> ResultPage:
    """Run a reader's search on the current app's index, reusing the page while the index and content stay.

    Only a search not answered from kept pages runs inside `guard()`.
    """
    kept = (caches.of(current_app, "search.result_pages"), content_version)
    return search_articles(get_index(), request, now, get_synonyms(), kept, guard)


def title_suggestions(text: str, now: datetime, content_version: str, guard=nullcontext) -> list[tuple[int, str]]:
    """Return title suggestions for what has been typed, from the current app's index.

    One- and two-character words are answered from lists kept per index and content version; every lookup
    worked out runs inside `guard()`.
    """
    kept = (caches.of(current_app, "search.short_suggestions"), content_version)
    return suggest_bounded(get_index(), text, now, kept, guard)


def related_article_ids(article_id: int) -> list[int]:
    """Return ids of articles like this one, best first; none when the index cannot be read (pages still work)."""
    try:
        return related.related_ids(get_index(), article_id)
    except SearchUnavailable:
        return []
