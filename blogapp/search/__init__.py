"""Full-text search over articles; the only package that imports whoosh."""

from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.exc import SQLAlchemyError

from . import sync
from .index import Drift, SearchIndex, SearchUnavailable
from .query import ResultPage, SearchRequest, clean_query, rank_ids, search_articles

__all__ = [
    "Drift",
    "ResultPage",
    "SearchIndex",
    "SearchRequest",
    "SearchUnavailable",
    "clean_query",
    "get_index",
    "init_app",
    "rank_ids",
    "search_articles",
]


def init_app(app: Flask) -> None:
    """Give the app its index and queue changes to it on every commit."""
    index = SearchIndex(
        app.config["SEARCH_INDEX_DIR"],
        writer_timeout=app.config["SEARCH_WRITER_TIMEOUT"],
        batch=app.config["SEARCH_DRAIN_BATCH"],
    )
    app.extensions["blogapp.search"] = index
    sync.register(FlaskSession)
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
