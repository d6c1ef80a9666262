"""Reader listings (home, category, tag, author): a page of article cards read as plain rows, newest first."""

from datetime import datetime
from types import SimpleNamespace

from flask import g
from sqlalchemy import bindparam, exists, func, select

from ..content.pagination import Page, check_page, page_count
from ..content.raw_query import reading
from ..content.version import remember
from ..extensions import db
from ..models import Article, Author, Category, Tag, Upload, article_tags, utcnow
from .queries import FILTERS
from .rows import CARD_COLUMNS, IMAGE_COLUMNS, WITH_CATEGORY_AND_AUTHOR, Card, card

_NOW = bindparam("now")
_NEWEST = (Article.published_at.desc(), Article.id.desc())
_KEY = bindparam("key")


def _in_tag(key):
    """Look each article up in the tag's links (by primary key), instead of reading all the tag's ids first."""
    return exists().where(article_tags.c.article_id == Article.id, article_tags.c.tag_id == key)


def _page_statement(condition):
    # The page's ids first, from the listing's index alone, then their cards: skipping the rows of earlier pages
    # in the index costs little, where skipping whole rows cost 0.9 s for page 10,000 of 100,000 articles.
    ids = select(Article.id).where(Article.is_visible(_NOW))
    if condition is not None:
        ids = ids.where(condition(_KEY))
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
_PAGES = {kind: _page_statement(condition) for kind, condition in FILTERS.items()}
# A tag on many articles: the first pages come from a few rows of the live index, each looked up in the tag's
# links, where reading the tag's ids first read all of them (37,674 for a tag on a third of 100,000 articles).
_PAGES["dense tag"] = _page_statement(_in_tag)
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
    offset = (page - 1) * per_page
    if kind == "tag" and _walks_fewer_than(total, offset + per_page, now):
        kind = "dense tag"
    return Page(newest(kind, per_page, key, now, offset=offset), page, per_page, total)


def tag_condition(key: int, wanted: int):
    """Return the condition on articles of tag `key` that finds its newest `wanted` fastest (a feed's items)."""
    now = utcnow()
    total = remember(f"total:tag:{key}", lambda: _count("tag", key, now))
    return _in_tag(key) if _walks_fewer_than(total, wanted, now) else FILTERS["tag"](key)


def _walks_fewer_than(total: int, wanted: int, now: datetime) -> bool:
    """Tell whether walking the live index to the `wanted`-th of a tag's `total` articles reads fewer than `total`."""
    visible = remember("total:home:None", lambda: _count("home", None, now))
    return wanted * visible < total * total


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
