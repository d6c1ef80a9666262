"""The team's search log: what readers searched for and how many results they got."""

from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..content.batches import Batch, start_batch
from ..extensions import db
from ..models import SearchLogEntry, utcnow

_SEARCHES = "blogapp.search.log"


def normalise(text: str) -> str:
    """Return the form a query is logged and grouped under: lowercase, single spaces."""
    return " ".join(text.lower().split())[:500]


def searches(app: Flask) -> Batch:
    """Return the app's searches not written to the log yet."""
    return app.extensions[_SEARCHES]


def record_search(text: str, results: int, safety_panel: bool = False) -> None:
    """Add a reader's search to the log (and whether it showed the safety panel); written with the next batch."""
    entry = {"query": normalise(text), "results": results, "searched_at": utcnow(), "safety_panel": safety_panel}
    searches(current_app).add(entry)


def _write_searches(session: Session, entries: list[dict]) -> None:
    # One executemany: a worker's batch can hold thousands of searches, and the write lock is shared.
    session.execute(insert(SearchLogEntry), entries)
    cutoff = utcnow() - timedelta(days=current_app.config["SEARCH_LOG_DAYS"])
    session.execute(delete(SearchLogEntry).where(SearchLogEntry.searched_at < cutoff))


def init_app(app: Flask) -> None:
    """Give the app its search log batch, written every SEARCH_LOG_FLUSH_SECONDS and when the process exits."""
    start_batch(app, _SEARCHES, "search log entries", app.config["SEARCH_LOG_FLUSH_SECONDS"], _write_searches)


def top_queries(days: int, limit: int, zero_only: bool = False) -> list[tuple[str, int]]:
    """Return the most frequent queries of the last `days` days, optionally only those that found nothing."""
    since = utcnow() - timedelta(days=days)
    count = func.count(SearchLogEntry.id)
    stmt = select(SearchLogEntry.query, count).where(SearchLogEntry.searched_at >= since)
    if zero_only:
        stmt = stmt.where(SearchLogEntry.results == 0)
    stmt = stmt.group_by(SearchLogEntry.query).order_by(count.desc(), SearchLogEntry.query).limit(limit)
    return [(query, n) for query, n in db.session.execute(stmt)]
