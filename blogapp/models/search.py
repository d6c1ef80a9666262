"""Search models: the index change log and its nodes, related lists, the search log, result clicks, best bets."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .content import Article, utcnow


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
    # Whether the search named a crisis term and was shown the safety panel (the dashboard counts them).
    safety_panel: Mapped[bool] = mapped_column(default=False, server_default=false())


class BestBet(db.Model):
    """Articles an editor recommends for a search (and its synonyms), shown first in the editor's order."""

    __tablename__ = "best_bets"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))  # as the editor typed it
    key: Mapped[str] = mapped_column(String(200), unique=True)  # its analysed words, joined by spaces
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    pins: Mapped[list["BestBetArticle"]] = relationship(
        order_by="BestBetArticle.position", cascade="all, delete-orphan", passive_deletes=True
    )


class BestBetArticle(db.Model):
    """One article of a best bet at its place (0 first)."""

    __tablename__ = "best_bet_articles"

    best_bet_id: Mapped[int] = mapped_column(ForeignKey("best_bets.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    article: Mapped[Article] = relationship()


class SearchClick(db.Model):
    """How often readers opened the result at one position for one query on one day; nothing about who or when.

    Counts only: no address, cookie, user or time of day, so no row can be traced to a reader or a visit.
    """

    __tablename__ = "search_clicks"

    query: Mapped[str] = mapped_column(String(500), primary_key=True)  # normalised as the search log's
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(primary_key=True)  # 1 is the first result of the first page
    clicks: Mapped[int] = mapped_column(default=0)
