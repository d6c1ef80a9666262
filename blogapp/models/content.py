"""Content models: articles, what they are filed under, and their old addresses. Models never commit."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, func, or_
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


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
    # Qualifications and role as readers should see them, e.g. "MD, MRCPsych · Consultant addiction psychiatrist".
    credentials: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # A portrait chosen from the uploads, shown on the author page. use_alter: authors -> uploads -> users ->
    # authors is a cycle, and this link is the one created and dropped apart, so tables still sort for drop_all.
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id", ondelete="SET NULL", use_alter=True))

    articles: Mapped[list["Article"]] = relationship(back_populates="author")
    photo: Mapped["Upload | None"] = relationship()  # noqa: F821 (defined in models.newsroom)


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    articles: Mapped[list["Article"]] = relationship(back_populates="category")


# Two categories may not share a name, whatever its case: readers (and editors choosing one) could not tell them apart.
Index("uq_categories_name_lower", func.lower(Category.name), unique=True)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    articles: Mapped[list["Article"]] = relationship(secondary=article_tags, back_populates="tags")


# Nor two tags: "Sleep" and "SLEEP" would list the same articles under two names.
Index("uq_tags_name_lower", func.lower(Tag.name), unique=True)

_LIVE_ALSO = ("updated_at", "category_id", "author_id", "slug")


class Article(db.Model):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published", "status", "published_at"),
        # Listings filter on deleted_at IS NULL and read newest first straight from these, without sorting.
        # The rest of the live index answers the sitemap (dates, URLs) and the topics page's counts by itself.
        Index("ix_articles_live", "deleted_at", "published_at", "id", "status", *_LIVE_ALSO),
        # With the status, they also cover counting a category's or author's visible articles.
        Index("ix_articles_category_published", "category_id", "deleted_at", "published_at", "id", "status"),
        Index("ix_articles_author_published", "author_id", "deleted_at", "published_at", "id", "status"),
        Index("ix_articles_newsroom", "deleted_at", "updated_at"),
        # The dashboard's lists: drafts, in review and scheduled by status, and articles due a medical review in
        # the order they fell due, each found in the index alone rather than by reading every article's row.
        Index("ix_articles_workflow", "deleted_at", "status", "updated_at", "id", "author_id", "published_at"),
        Index("ix_articles_review_due", "deleted_at", "reviewed_at", "published_at", "id", "status"),
        # An author's own newsroom list, most recently changed first, without reading every article's row.
        Index("ix_articles_author_updated", "author_id", "deleted_at", "updated_at", "id"),
        # The most-read list: with statistics (ANALYZE), the most viewed visible articles are walked in this order.
        Index("ix_articles_views", "view_count", "published_at", "id"),
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
    featured_image_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id", ondelete="SET NULL"))

    author: Mapped[Author] = relationship(back_populates="articles")
    category: Mapped[Category] = relationship(back_populates="articles")
    reviewer: Mapped["User | None"] = relationship()  # noqa: F821 (defined in models.accounts)
    featured_image: Mapped["Upload | None"] = relationship()  # noqa: F821 (defined in models.newsroom)
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, back_populates="articles", order_by=Tag.name)

    @hybrid_property
    def is_live(self) -> bool:
        """Tell whether the article is published or scheduled and not in the trash: the search index holds it."""
        return self.status in LIVE_STATUSES and self.published_at is not None and self.deleted_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls):
        # One bind per status, as plain text: statements compiled once and run raw cannot expand an IN list,
        # and psycopg would send the enum by its name.
        live = or_(*(cls.status == str(status) for status in LIVE_STATUSES))
        return live & cls.published_at.is_not(None) & cls.deleted_at.is_(None)

    @hybrid_method
    def is_visible(self, now: datetime | None = None) -> bool:
        """Tell whether readers may see the article at `now` (by default, now): the one rule every page follows."""
        return self.is_live and self.published_at <= (utcnow() if now is None else now)

    @is_visible.inplace.expression
    @classmethod
    def _is_visible_expression(cls, now=None):
        # `now` may be a bind parameter, for statements compiled once.
        return cls.is_live & (cls.published_at <= (utcnow() if now is None else now))


class Redirect(db.Model):
    """An old address (a WordPress permalink, `/?p=ID`, a former slug) and the article, category, tag or page there."""

    __tablename__ = "redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_path: Mapped[str] = mapped_column(String(500), unique=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article | None] = relationship()
    category: Mapped[Category | None] = relationship()
    tag: Mapped[Tag | None] = relationship()
    page: Mapped["Page | None"] = relationship()  # noqa: F821 (defined in models.pages)
