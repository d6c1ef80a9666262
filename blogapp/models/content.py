"""Content models: articles and what they are filed under. Models never commit."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..markup import render_markdown


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    SCHEDULED = "scheduled"

    @property
    def label(self) -> str:
        """Return the name writers see for this status."""
        return "in review" if self is ArticleStatus.REVIEW else self.value


LIVE_STATUSES = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)


article_tags = Table(
    "article_tags",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Author(db.Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(Text, default="")

    articles: Mapped[list["Article"]] = relationship(back_populates="author")


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    articles: Mapped[list["Article"]] = relationship(back_populates="category")


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    articles: Mapped[list["Article"]] = relationship(secondary=article_tags, back_populates="tags")


_READING_MINUTES: dict[tuple, int] = {}  # by (id, updated_at, body length), in this process


class ArticleFacts:
    """What pages say of an article that follows from its columns (shared by the model and plain page data)."""

    @property
    def was_updated(self) -> bool:
        """Tell whether the article changed noticeably after it was published."""
        return bool(self.published_at) and (self.updated_at - self.published_at).total_seconds() > 3600

    @property
    def reading_minutes(self) -> int:
        """Estimate reading time at 220 words a minute, at least one minute."""
        # Listings show it for every card; counting a body's words costs more than the rest of the card.
        key = (self.id, self.updated_at, len(self.body_text))
        minutes = _READING_MINUTES.get(key)
        if minutes is None:
            minutes = max(1, round(len(self.body_text.split()) / 220))
            if self.id is not None:
                if len(_READING_MINUTES) >= 50_000:
                    _READING_MINUTES.clear()
                _READING_MINUTES[key] = minutes
        return minutes


class Article(ArticleFacts, db.Model):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published", "status", "published_at"),
        # Listings filter on deleted_at IS NULL and read newest first straight from these, without sorting.
        Index("ix_articles_live", "deleted_at", "published_at", "id", "status"),
        # With the status, they also cover counting a category's or author's visible articles.
        Index("ix_articles_category_published", "category_id", "deleted_at", "published_at", "id", "status"),
        Index("ix_articles_author_published", "author_id", "deleted_at", "published_at", "id", "status"),
        Index("ix_articles_newsroom", "deleted_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    view_count: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    # Set when the article is in the trash; readers, feeds and search never see it.
    deleted_at: Mapped[datetime | None] = mapped_column()
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column()
    # [{"title", "source", "year", "identifier"}, …] in the order they are cited.
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    author: Mapped[Author] = relationship(back_populates="articles")
    category: Mapped[Category] = relationship(back_populates="articles")
    reviewer: Mapped["User | None"] = relationship()  # noqa: F821 (defined in models.accounts)
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, back_populates="articles", order_by=Tag.name)

    def set_body(self, markdown: str) -> None:
        """Store the Markdown body with its sanitised HTML, plain text and table of contents."""
        rendered = render_markdown(markdown)
        self.body = markdown
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.toc = rendered.toc

    @classmethod
    def visible(cls, now: datetime | None = None):
        """Return the SQL condition for articles readers may see at `now`."""
        return cls.indexable() & (cls.published_at <= (utcnow() if now is None else now))

    @classmethod
    def visible_at(cls, now):
        """Return `visible` spelt without IN, for statements compiled once and run raw (see raw_query)."""
        # Plain text, which every driver sends as it is (psycopg sends enums by name).
        live = or_(*(cls.status == str(status) for status in LIVE_STATUSES))
        return live & cls.published_at.is_not(None) & cls.deleted_at.is_(None) & (cls.published_at <= now)

    @classmethod
    def indexable(cls):
        """Return the SQL condition for articles kept in the search index (live or scheduled)."""
        return cls.status.in_(LIVE_STATUSES) & cls.published_at.is_not(None) & cls.deleted_at.is_(None)

    @property
    def is_indexable(self) -> bool:
        """Tell whether the article belongs in the search index."""
        return self.status in LIVE_STATUSES and self.published_at is not None and self.deleted_at is None

    def is_visible(self, now: datetime | None = None) -> bool:
        """Tell whether readers may see the article at `now`."""
        return self.is_indexable and self.published_at <= (now or utcnow())


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


class Redirect(db.Model):
    """An old address (a WordPress permalink, `/?p=ID`, a former slug) and the article, category or tag now there."""

    __tablename__ = "redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_path: Mapped[str] = mapped_column(String(500), unique=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article | None] = relationship()
    category: Mapped[Category | None] = relationship()
    tag: Mapped[Tag | None] = relationship()


class SiteVersion(db.Model):
    """One row counting changes to what readers see; HTTP validators and the page cache are keyed on it."""

    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
