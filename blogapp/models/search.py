"""Search models: the index queue, kept related lists and the search log. Models never commit."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .content import utcnow


class SearchQueueItem(db.Model):
    """An article whose index entry must be brought in step with the database."""

    __tablename__ = "search_queue"
    # Ids are never reused: a drain deletes the ids it applied, and a reused id would be a newer change.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)


class RelatedList(db.Model):
    """The articles most like one article, worked out from the search index once and shared by every worker."""

    __tablename__ = "related_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    related_ids: Mapped[list[int]] = mapped_column(JSON)  # best first; may name articles no longer visible
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchLogEntry(db.Model):
    """One reader search: normalised text, result count and time; nothing about who searched."""

    __tablename__ = "search_log"
    # Covers the newsroom's "top searches" (group by query within a period) without reading the rows.
    __table_args__ = (Index("ix_search_log_query_time", "query", "searched_at", "results"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(500))
    results: Mapped[int] = mapped_column()
    searched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
