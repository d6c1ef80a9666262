"""What the dashboard says about searches beyond their counts: results opened, results unopened, the safety panel.

Opens per search for the top queries, the searches that found results nobody opened, and how often the safety
panel was shown; each list is one statement.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, func, select

from ..extensions import db
from ..models import SearchClick, SearchLogEntry, utcnow


@dataclass(frozen=True)
class QueryClicks:
    """A query of the search log, how often it was searched and how many of its results were opened."""

    query: str
    searches: int
    opens: int

    @property
    def rate(self) -> float:
        """Return results opened per search (a reader who opens two results counts twice)."""
        return self.opens / self.searches if self.searches else 0.0


def _since(days: int):
    return utcnow() - timedelta(days=days)


def top_queries_with_clicks(days: int, limit: int) -> list[QueryClicks]:
    """Return the most frequent queries of the last `days` days with their opened results, in one statement."""
    since = _since(days)
    opens = (
        select(func.coalesce(func.sum(SearchClick.clicks), 0))
        .where(SearchClick.query == SearchLogEntry.query, SearchClick.day >= since.date())
        .scalar_subquery()
    )
    count = func.count(SearchLogEntry.id)
    stmt = (
        select(SearchLogEntry.query, count, opens)
        .where(SearchLogEntry.searched_at >= since)
        .group_by(SearchLogEntry.query)
        .order_by(count.desc(), SearchLogEntry.query)
        .limit(limit)
    )
    return [QueryClicks(query, searches, opens) for query, searches, opens in db.session.execute(stmt)]


def nothing_opened(days: int, limit: int) -> list[tuple[str, int]]:
    """Return the most frequent queries of the last `days` days that found results of which none was opened."""
    since = _since(days)
    opened = exists().where(and_(SearchClick.query == SearchLogEntry.query, SearchClick.day >= since.date()))
    count = func.count(SearchLogEntry.id)
    stmt = (
        select(SearchLogEntry.query, count)
        .where(SearchLogEntry.searched_at >= since, SearchLogEntry.results > 0, ~opened)
        .group_by(SearchLogEntry.query)
        .order_by(count.desc(), SearchLogEntry.query)
        .limit(limit)
    )
    return [(query, n) for query, n in db.session.execute(stmt)]


def safety_panel_shown(days: int) -> int:
    """Return how many logged searches of the last `days` days showed the safety panel."""
    stmt = select(func.count(SearchLogEntry.id)).where(
        SearchLogEntry.searched_at >= _since(days), SearchLogEntry.safety_panel.is_(True)
    )
    return db.session.scalar(stmt) or 0
