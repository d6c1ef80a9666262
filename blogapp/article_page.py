"""Articles as the article page and search results show them, read as plain rows: the pages readers load most."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, join, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import Article, Author, Category, RelatedList, Tag, User, article_tags, utcnow
from .models.content import ArticleFacts
from .raw_query import RawReader, id_params, ids_in, reading


@dataclass(frozen=True)
class Named:
    """Something a page links to by slug and shows by name: a category, an author, a tag."""

    slug: str
    name: str


@dataclass(frozen=True)
class Link:
    """An article as a list on another article's page shows it."""

    id: int
    slug: str
    title: str
    excerpt: str = ""
    published_at: datetime | None = None


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


# Articles joined to their category and author, which every page listing or showing an article names.
WITH_CATEGORY_AND_AUTHOR = join(Article, Category, Category.id == Article.category_id).join(
    Author, Author.id == Article.author_id
)


_REVIEWER = aliased(Author)
_PAGE = (
    select(
        Article.id,
        Article.slug,
        Article.title,
        Article.summary,
        Article.body_html,
        Article.body_text,
        Article.toc,
        Article.references,
        Article.published_at,
        Article.updated_at,
        Article.category_id,
        Category.slug,
        Category.name,
        Author.slug,
        Author.name,
        _REVIEWER.slug,
        _REVIEWER.name,
        Article.reviewed_at,
        RelatedList.related_ids,
    )
    .select_from(WITH_CATEGORY_AND_AUTHOR)
    .outerjoin(User, User.id == Article.reviewer_id)
    .outerjoin(_REVIEWER, _REVIEWER.id == User.author_id)
    .outerjoin(RelatedList, RelatedList.article_id == Article.id)
    .where(Article.slug == bindparam("slug"), Article.visible_at(bindparam("now")))
)
_TAGS = (
    select(Tag.slug, Tag.name)
    .join(article_tags, article_tags.c.tag_id == Tag.id)
    .where(article_tags.c.article_id == bindparam("article_id"))
    .order_by(Tag.name)
)


@dataclass(frozen=True)
class ResultArticle:
    """A visible article as a search result shows it, beside its highlighted title and snippet."""

    id: int
    slug: str
    published_at: datetime
    category: Named


@lru_cache(maxsize=64)
def _results_by_ids(count: int):
    # Visibility is a column, not a condition, for the reason given at _links_by_ids.
    return (
        select(Article.id, Article.slug, Article.published_at, Category.slug, Category.name)
        .add_columns(Article.visible_at(bindparam("now")))
        .join(Category, Category.id == Article.category_id)
        .where(ids_in(Article.id, count))
    )


def find_results(ids: list[int]) -> list[ResultArticle]:
    """Return the visible articles among `ids` in their order (search relevance)."""
    if not ids:
        return []
    with reading(db.engine) as reader:
        rows = reader.rows(_results_by_ids(len(ids)), now=utcnow(), **id_params(ids))
    return _in_order(ids, {row[0]: ResultArticle(*row[:3], Named(row[3], row[4])) for row in rows if row[5]})


def _in_order(ids: list[int], found: dict) -> list:
    """Return what was found for `ids` in the order of `ids` (rows come back in the database's order)."""
    return [found[i] for i in ids if i in found]


@lru_cache(maxsize=32)
def _links_by_ids(count: int):
    # Visibility is a column, not a condition: as a condition SQLite would read the live articles' index from end
    # to end instead of looking up the few ids.
    return select(Article.id, Article.slug, Article.title, Article.visible_at(bindparam("now"))).where(
        ids_in(Article.id, count)
    )


def visible_links(reader: RawReader, ids: list[int], now: datetime) -> list[Link]:
    """Return links to the visible articles among `ids`, in their order."""
    if not ids:
        return []
    rows = reader.rows(_links_by_ids(len(ids)), now=now, **id_params(ids))
    return _in_order(ids, {id_: Link(id_, slug, title) for id_, slug, title, visible in rows if visible})


def find_visible(slug: str) -> ArticlePage | None:
    """Return the visible article with this slug as its page shows it, if there is one."""
    now = utcnow()
    with reading(db.engine) as reader:
        row = reader.first(_PAGE, slug=slug, now=now)
        if row is None:
            return None
        tags = tuple(Named(*tag) for tag in reader.rows(_TAGS, article_id=row[0]))
        related = None if row[18] is None else tuple(visible_links(reader, row[18], now))
    *columns, category_slug, category_name, author_slug, author_name, reviewer_slug, reviewer_name = row[:17]
    return ArticlePage(
        *columns,
        category=Named(category_slug, category_name),
        author=Named(author_slug, author_name),
        reviewer=Named(reviewer_slug, reviewer_name) if reviewer_slug is not None else None,
        reviewed_at=row[17],
        related=related,
        tags=tags,
    )
