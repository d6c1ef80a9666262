"""The shapes in which reader pages show articles, built from plain rows by column label.

Three shapes, by how much of an article a page shows: a `Link` in a list on another page (related, recent
posts, search results), a `Card` in a listing, and the `ArticlePage` itself. `Named` is what they link to by
slug and show by name: a category, an author, a tag.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import join

from .. import caches
from ..models import Article, Author, Category, Upload

# Articles joined to their category and author, which every page listing or showing an article names, and to
# their featured image if they have one (read in the same statement: no query per card).
WITH_CATEGORY_AND_AUTHOR = (
    join(Article, Category, Category.id == Article.category_id)
    .join(Author, Author.id == Article.author_id)
    .outerjoin(Upload, Upload.id == Article.featured_image_id)
)
# The featured image's columns, labelled as `featured_image` reads them.
IMAGE_COLUMNS = (
    Upload.filename.label("image_filename"),
    Upload.width.label("image_width"),
    Upload.height.label("image_height"),
    Upload.alt_text.label("image_alt"),
)

_reading_minutes = caches.lru(
    "reader.reading_minutes",
    maxsize=50_000,
    holds="each article's reading time, by (id, updated_at, body length)",
    cleared_by="an edit: the key changes and the old entry falls out unread",
)


@dataclass(frozen=True)
class Named:
    """Something a page links to by slug and shows by name: a category, an author, a tag."""

    slug: str
    name: str


@dataclass(frozen=True)
class Topic(Named):
    """A category as the topic lists show it: its link, name and description."""

    description: str | None


@dataclass(frozen=True)
class Image:
    """An uploaded image a page shows (a featured image, an author's photo): file name (under /uploads/), size, alt."""

    filename: str
    width: int
    height: int
    alt: str


def featured_image(row) -> Image | None:
    """Return the featured image of a row holding IMAGE_COLUMNS, or None."""
    if row.image_filename is None:
        return None
    return Image(row.image_filename, row.image_width, row.image_height, row.image_alt or "")


@dataclass(frozen=True)
class Link:
    """An article as a list on another page shows it: by title, with its date, topic or excerpt where shown."""

    id: int
    slug: str
    title: str
    published_at: datetime | None = None
    category: Named | None = None
    excerpt: str = ""
    image: Image | None = None  # shown as a thumbnail by search results


class ArticleFacts:
    """What pages say of an article that follows from its columns."""

    @property
    def was_updated(self) -> bool:
        """Tell whether the article changed noticeably after it was published."""
        return bool(self.published_at) and (self.updated_at - self.published_at).total_seconds() > 3600

    @property
    def reading_minutes(self) -> int:
        """Estimate reading time at 220 words a minute, at least one minute."""
        # Listings show it for every card; counting a body's words costs more than the rest of the card.
        key = (self.id, self.updated_at, len(self.body_text))
        minutes = _reading_minutes.get(key)
        if minutes is None:
            minutes = max(1, round(len(self.body_text.split()) / 220))
            _reading_minutes.put(key, minutes)
        return minutes


@dataclass(frozen=True)
class Card(ArticleFacts):
    """A visible article as a listing shows it."""

    id: int
    slug: str
    title: str
    summary: str
    body_text: str
    published_at: datetime
    updated_at: datetime
    category: Named
    author: Named
    image: Image | None = None


@dataclass(frozen=True)
class ArticlePage(ArticleFacts):
    """A visible article as its page shows it."""

    id: int
    slug: str
    title: str
    summary: str
    body_html: str
    body_text: str
    toc: list[dict[str, Any]]
    references: list[dict[str, Any]]
    published_at: datetime
    updated_at: datetime
    category_id: int
    category: Named
    author: Named
    reviewer: Named | None  # the reviewer's author profile
    reviewed_at: datetime | None
    related: tuple[Link, ...] | None  # the visible ones of its kept related list; None when not worked out yet
    tags: tuple[Named, ...] = ()
    image: Image | None = None
    author_photo: Image | None = None  # shown small beside the byline


# The columns a card is read from, labelled as `card` reads them.
CARD_COLUMNS = (
    Article.id,
    Article.slug,
    Article.title,
    Article.summary,
    Article.body_text,
    Article.published_at,
    Article.updated_at,
    Category.slug.label("category_slug"),
    Category.name.label("category_name"),
    Author.slug.label("author_slug"),
    Author.name.label("author_name"),
    *IMAGE_COLUMNS,
)


def card(row) -> Card:
    """Return the card of a row of CARD_COLUMNS."""
    return Card(
        id=row.id,
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        body_text=row.body_text,
        published_at=row.published_at,
        updated_at=row.updated_at,
        category=Named(row.category_slug, row.category_name),
        author=Named(row.author_slug, row.author_name),
        image=featured_image(row),
    )
