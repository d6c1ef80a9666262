"""Reader listings (home, category, tag, author): a page of article cards read as plain rows, newest first."""

from datetime import datetime
from types import SimpleNamespace

from flask import g
from sqlalchemy import bindparam, func, select

from ..content.pagination import Page, check_page, page_count
from ..content.raw_query import reading
from ..content.version import remember
from ..extensions import db
from ..models import Article, Author, Category, Tag, Upload, utcnow
from .queries import FILTERS
from .rows import CARD_COLUMNS, IMAGE_COLUMNS, WITH_CATEGORY_AND_AUTHOR, Card, card

_NOW = bindparam("now")
_NEWEST = (Article.published_at.desc(), Article.id.desc())
_KEY = bindparam("key")


def _page_statement(kind: str):
    # The page's ids first, from the listing's index alone, then their cards: skipping the rows of earlier pages
    # in the index costs little, where skipping whole rows cost 0.9 s for page 10,000 of 100,000 articles.
    ids = select(Article.id).where(Article.is_visible(_NOW))
    if FILTERS[kind] is not None:
        ids = ids.where(FILTERS[kind](_KEY))
    ids = ids.order_by(*_NEWEST).limit(bindparam("limit")).offset(bindparam("offset"))
    return select(*CARD_COLUMNS).select_from(WITH_CATEGORY_AND_AUTHOR).where(Article.id.in_(ids.scalar_subquery()))


def _count_statement(kind: str):
    stmt = select(func.count(Article.id).label("total")).where(Article.is_visible(_NOW))
    return stmt if FILTERS[kind] is None else stmt.where(FILTERS[kind](_KEY))


# What each listing's page shows of the category, author or tag it lists.
_HEADINGS = {
    "category": select(Category.id, Category.slug, Category.name, Category.description),
    "author": select(Author.id, Author.slug, Author.name, Author.bio, Author.credentials, *IMAGE_COLUMNS).outerjoin(
        Upload, Upload.id == Author.photo_id
    ),
    "tag": select(Tag.id, Tag.slug, Tag.name),
}
_BY_SLUG = {kind: stmt.where(stmt.selected_columns.slug == bindparam("slug")) for kind, stmt in _HEADINGS.items()}
_PAGES = {kind: _page_statement(kind) for kind in FILTERS}
_COUNTS = {kind: _count_statement(kind) for kind in FILTERS}


def find_heading(kind: str, slug: str) -> SimpleNamespace | None:
    """Return the category, author or tag with this slug (its id, slug, name and text), if there is one."""
    with reading(db.engine) as reader:
        row = reader.first(_BY_SLUG[kind], slug=slug)
    return None if row is None else SimpleNamespace(**row._asdict())


def listing(kind: str, page: int, per_page: int, key: int | None = None) -> Page:
    """Return a page of the `kind` listing (of category, author or tag `key`), or 404 past its last page."""
    check_page(page)
    now = utcnow()
    # Counting thousands of rows costs more than rendering the page, and the total changes only with content.
    total = remember(f"total:{kind}:{key}", lambda: _count(kind, key, now))
    check_page(page, page_count(total, per_page))
    g.numbered_page = page  # a real page of a listing: kept in the page cache under its number (serving/freshness)
    return Page(newest(kind, per_page, key, now, offset=(page - 1) * per_page), page, per_page, total)


def newest(kind: str, limit: int, key: int | None = None, now: datetime | None = None, offset: int = 0) -> list[Card]:
    """Return the newest visible articles of the `kind` listing (of category, author or tag `key`)."""
    keyed = {} if key is None else {"key": key}
    with reading(db.engine) as reader:
        rows = reader.rows(_PAGES[kind], now=now or utcnow(), limit=limit, offset=offset, **keyed)
    # Ordered here: the page's ten rows, not a sort in the database of rows fetched by id.
    return [card(row) for row in sorted(rows, key=lambda row: (row.published_at, row.id), reverse=True)]


def _count(kind: str, key: int | None, now: datetime) -> int:
    keyed = {} if key is None else {"key": key}
    with reading(db.engine) as reader:
        return reader.first(_COUNTS[kind], now=now, **keyed).total
