"""The lists an article page shows with it: recent posts, more in its category and related articles."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, select

from . import articles, freshness
from .article_page import ArticlePage
from .extensions import db
from .markup import excerpt
from .models import Article, utcnow
from .raw_query import id_params, ids_in, reading
from .search import related_article_ids

SHOWN = 5
EXCERPT_CHARS = 110


@lru_cache(maxsize=32)
def _links_by_ids(count: int):
    # Visibility is a column, not a condition: as a condition SQLite would read the live articles' index from end
    # to end instead of looking up the few ids.
    return select(Article.id, Article.slug, Article.title, Article.visible_at(bindparam("now"))).where(
        ids_in(Article.id, count)
    )


@dataclass(frozen=True)
class Link:
    """An article as a list on another article's page shows it."""

    id: int
    slug: str
    title: str
    excerpt: str = ""
    published_at: datetime | None = None


def _links(found: list[Article]) -> tuple[Link, ...]:
    return tuple(
        Link(a.id, a.slug, a.title, excerpt(a.summary or a.body_text, EXCERPT_CHARS), a.published_at) for a in found
    )


def recent(article: ArticlePage) -> list[Link]:
    """Return the newest visible articles other than this one."""
    # The same for every article page until the content changes, so worked out once per content version.
    newest = freshness.remember("lists:recent", lambda: _links(articles.recent(SHOWN + 1)))
    return [link for link in newest if link.id != article.id][:SHOWN]


def more_in_category(article: ArticlePage) -> list[Link]:
    """Return the newest other visible articles of this article's category."""
    key = f"lists:category:{article.category_id}"
    newest = freshness.remember(key, lambda: _links(articles.newest_in_category(article.category_id, SHOWN + 1)))
    return [link for link in newest if link.id != article.id][:SHOWN]


def related(article: ArticlePage) -> list[Link]:
    """Return the visible articles most like this one, best first."""
    ids = article.related_ids if article.related_ids is not None else related_article_ids(article.id)
    if not ids:
        return []
    with reading(db.engine) as reader:
        rows = reader.rows(_links_by_ids(len(ids)), now=utcnow(), **id_params(ids))
    by_id = {id_: Link(id_, slug, title) for id_, slug, title, visible in rows if visible}
    return [by_id[i] for i in ids if i in by_id][:SHOWN]
