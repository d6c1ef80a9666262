"""Full-text search over articles; the only package that imports whoosh."""

from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.exc import SQLAlchemyError

from . import querylog, sync
from .highlight import highlight_html
from .index import Drift, SearchIndex, SearchUnavailable
from .query import SORTS, ResultPage, SearchRequest, rank_ids, search_articles
from .related import related_ids
from .suggest import suggest_titles
from .synonyms import SynonymFile

__all__ = [
    "SORTS",
    "Drift",
    "ResultPage",
    "SearchIndex",
    "SearchRequest",
    "SearchUnavailable",
    "get_index",
    "get_synonyms",
    "highlight_html",
    "init_app",
    "rank_ids",
    "related_article_ids",
    "search_articles",
    "suggest_titles",
]


def init_app(app: Flask) -> None:
    """Give the app its index and queue changes to it on every commit."""
    index = SearchIndex(
        app.config["SEARCH_INDEX_DIR"],
        writer_timeout=app.config["SEARCH_WRITER_TIMEOUT"],
        batch=app.config["SEARCH_DRAIN_BATCH"],
        rebuild_procs=app.config["SEARCH_REBUILD_PROCS"],
    )
    app.extensions["blogapp.search"] = index
    app.extensions["blogapp.synonyms"] = SynonymFile(app.config["SEARCH_SYNONYMS_FILE"])
    sync.register(FlaskSession)
    querylog.init_app(app)
    leftovers_checked = False

    @app.before_request
    def drain_leftovers_once() -> None:
        # Changes queued by a process that died after its commit are applied on the next start.
        nonlocal leftovers_checked
        if leftovers_checked:
            return
        leftovers_checked = True
        try:
            if index.pending():
                index.retry_in_background(app)
        except SQLAlchemyError:
            app.logger.warning("search queue not readable; is the database initialised?")


def get_index() -> SearchIndex:
    """Return the current app's search index."""
    return current_app.extensions["blogapp.search"]


def get_synonyms():
    """Return the current app's synonym groups as its synonyms file says now."""
    return current_app.extensions["blogapp.synonyms"].current()


def related_article_ids(article_id: int) -> list[int]:
    """Return ids of articles like this one, best first; none when the index cannot be read (pages still work)."""
    try:
        return related_ids(get_index(), article_id)
    except SearchUnavailable:
        return []
