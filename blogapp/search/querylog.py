"""The team's search log: what readers searched for and how many results they got."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import SearchLogEntry, utcnow

PRUNE_EVERY = 200


def normalise(text: str) -> str:
    """Return the form a query is logged and grouped under: lowercase, single spaces."""
    return " ".join(text.lower().split())[:500]


def record_search(text: str, results: int, keep_days: int) -> None:
    """Add a search to the log (the caller commits), pruning entries older than `keep_days` now and then."""
    entry = SearchLogEntry(query=normalise(text), results=results)
    db.session.add(entry)
    db.session.flush()
    if entry.id % PRUNE_EVERY == 0:
        cutoff = utcnow() - timedelta(days=keep_days)
        db.session.execute(delete(SearchLogEntry).where(SearchLogEntry.searched_at < cutoff))


def top_queries(days: int, limit: int, zero_only: bool = False) -> list[tuple[str, int]]:
    """Return the most frequent queries of the last `days` days, optionally only those that found nothing."""
    since = utcnow() - timedelta(days=days)
    count = func.count(SearchLogEntry.id)
    stmt = select(SearchLogEntry.query, count).where(SearchLogEntry.searched_at >= since)
    if zero_only:
        stmt = stmt.where(SearchLogEntry.results == 0)
    stmt = stmt.group_by(SearchLogEntry.query).order_by(count.desc(), SearchLogEntry.query).limit(limit)
    return [(query, n) for query, n in db.session.execute(stmt)]
