"""Search models: the index change log and its nodes, kept related lists and the search log. Models never commit."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .content import utcnow


class SearchChange(db.Model):
    """One change to an article's (or a page's) index document, appended in the transaction that made it; never updated.

    Every node applies the log from its own position, an id; search/changelog.py says how no entry committed late
    with a lower id is skipped on PostgreSQL.
    """

    __tablename__ = "search_changes"
    # Ids are never reused: a pruned id handed out again would sit below the positions nodes have passed.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # The article whose document changed, or 0 when the entry is a page's (page_id).
    article_id: Mapped[int] = mapped_column()
    page_id: Mapped[int | None] = mapped_column()
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchNode(db.Model):
    """A node that keeps its own index: the log position it has applied up to and when it last said so."""

    __tablename__ = "search_nodes"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the node fell silent past the bound and the log was pruned without it: it must rebuild.
    must_rebuild: Mapped[bool] = mapped_column(default=False)


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
