"""Reader listings (home, category, tag, author): a page of article cards read as plain rows, newest first."""

import math
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select

from . import freshness
from .article_page import WITH_CATEGORY_AND_AUTHOR, Named
from .articles import check_page
from .extensions import db
from .models import Article, Author, Category, Tag, utcnow
from .models.content import ArticleFacts
from .raw_query import reading


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


@dataclass(frozen=True)
class Listing:
    """One page of a listing, with what its page links need."""

    items: list[Card]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Return the number of pages (0 when the listing is empty)."""
        return math.ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        """Tell whether a newer page comes before this one."""
        return self.page > 1

    @property
    def prev_num(self) -> int:
        """Return the number of the page before."""
        return self.page - 1

    @property
    def has_next(self) -> bool:
        """Tell whether an older page comes after this one."""
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        """Return the number of the page after."""
        return self.page + 1


_NOW = bindparam("now")
# Which articles each listing shows, by the parameter it takes.
_FILTERS = {
    "home": None,
    "category": Article.category_id == bindparam("key"),
    "author": Article.author_id == bindparam("key"),
    "tag": Article.tags.any(Tag.id == bindparam("key")),
}


def _page_statement(condition):
    stmt = (
        select(
            Article.id,
            Article.slug,
            Article.title,
            Article.summary,
            Article.body_text,
            Article.published_at,
            Article.updated_at,
            Category.slug,
            Category.name,
            Author.slug,
            Author.name,
        )
        .select_from(WITH_CATEGORY_AND_AUTHOR)
        .where(Article.visible_at(_NOW))
    )
    if condition is not None:
        stmt = stmt.where(condition)
    order = (Article.published_at.desc(), Article.id.desc())
    return stmt.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset"))


def _count_statement(condition):
    stmt = select(func.count(Article.id)).where(Article.visible_at(_NOW))
    return stmt if condition is None else stmt.where(condition)


# What each listing's page shows of the category, author or tag it lists.
_HEADINGS = {
    "category": select(Category.id, Category.slug, Category.name, Category.description),
    "author": select(Author.id, Author.slug, Author.name, Author.bio),
    "tag": select(Tag.id, Tag.slug, Tag.name),
}
_BY_SLUG = {kind: stmt.where(stmt.selected_columns.slug == bindparam("slug")) for kind, stmt in _HEADINGS.items()}
_PAGES = {kind: _page_statement(condition) for kind, condition in _FILTERS.items()}
_COUNTS = {kind: _count_statement(condition) for kind, condition in _FILTERS.items()}


def find_heading(kind: str, slug: str) -> SimpleNamespace | None:
    """Return the category, author or tag with this slug (its id, slug, name and text), if there is one."""
    statement = _BY_SLUG[kind]
    with reading(db.engine) as reader:
        row = reader.first(statement, slug=slug)
    return None if row is None else SimpleNamespace(**dict(zip(statement.selected_columns.keys(), row, strict=True)))


def listing(kind: str, page: int, per_page: int, key: int | None = None) -> Listing:
    """Return a page of the `kind` listing (of category, author or tag `key`), or 404 past its last page."""
    check_page(page)
    now = utcnow()
    # Counting thousands of rows costs more than rendering the page, and the total changes only with content.
    total = freshness.remember(f"total:{kind}:{key}", lambda: _count(kind, key, now))
    check_page(page, math.ceil(total / per_page))
    keyed = {} if key is None else {"key": key}
    with reading(db.engine) as reader:
        rows = reader.rows(_PAGES[kind], now=now, limit=per_page, offset=(page - 1) * per_page, **keyed)
    cards = [Card(*row[:7], category=Named(row[7], row[8]), author=Named(row[9], row[10])) for row in rows]
    return Listing(cards, page, per_page, total)


def _count(kind: str, key: int | None, now: datetime) -> int:
    keyed = {} if key is None else {"key": key}
    with reading(db.engine) as reader:
        return reader.first(_COUNTS[kind], now=now, **keyed)[0]
