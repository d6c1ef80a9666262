"""Article view counts, gathered in memory and written in batches so reading a page never writes."""

import atexit
import logging
import threading
import time
from collections import Counter

from flask import Flask, current_app, g
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .articles import published
from .extensions import db
from .models import Article

log = logging.getLogger(__name__)


class ViewCounter:
    """Counts views per article and adds them to the database at most every `interval` seconds."""

    def __init__(self, interval: float):
        self.interval = interval
        self._counts: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()

    def count(self, article_id: int) -> None:
        """Count one view, writing the batch when it is due."""
        with self._lock:
            self._counts[article_id] += 1
            due = time.monotonic() - self._last_flush >= self.interval
        if due:
            self.flush()

    def flush(self) -> None:
        """Write the gathered counts; on a database error they are dropped (counts are best effort)."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._last_flush = time.monotonic()
        if not counts:
            return
        try:
            with Session(db.engine) as session:
                for article_id, views in counts.items():
                    stmt = update(Article).where(Article.id == article_id)
                    session.execute(stmt.values(view_count=Article.view_count + views))
                session.commit()
        except SQLAlchemyError as exc:
            log.warning("view counts not saved: %s", exc)


def count_view(article_id: int) -> None:
    """Count a reader's view of an article."""
    g.viewed_article_id = article_id  # a cached copy of the page counts its views too
    current_app.extensions["blogapp.views"].count(article_id)


def count_view_of(app: Flask, article_id: int) -> None:
    """Count a view of an article served without a Flask request (a page-cache hit on the fast path)."""
    app.extensions["blogapp.views"].count(article_id)


def most_viewed(limit: int = 5) -> list[Article]:
    """Return the most viewed visible articles, newest first among equals."""
    stmt = (
        published().order_by(None).order_by(Article.view_count.desc(), Article.published_at.desc(), Article.id.desc())
    )
    return list(db.session.scalars(stmt.limit(limit)))


def init_app(app: Flask) -> None:
    """Give the app its view counter, written once more when the process exits."""
    counter = ViewCounter(app.config["VIEW_COUNT_FLUSH_SECONDS"])
    app.extensions["blogapp.views"] = counter

    def flush_at_exit() -> None:
        with app.app_context():
            counter.flush()

    atexit.register(flush_at_exit)
