"""The lists an article page shows with it: recent posts, more in its category and related articles."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from . import articles, freshness
from .extensions import db
from .markup import excerpt
from .models import Article, utcnow
from .search import related_article_ids

SHOWN = 5
EXCERPT_CHARS = 110
# Visibility is a column, not a condition: as a condition SQLite would read the live articles' index from end
# to end instead of looking up the few ids.
_LINKS = select(Article.id, Article.slug, Article.title, Article.visible(bindparam("now")).label("visible")).where(
    Article.id.in_(bindparam("ids", expanding=True))
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


def recent(article: Article) -> list[Link]:
    """Return the newest visible articles other than this one."""
    # The same for every article page until the content changes, so worked out once per content version.
    newest = freshness.remember("lists:recent", lambda: _links(articles.recent(SHOWN + 1)))
    return [link for link in newest if link.id != article.id][:SHOWN]


def more_in_category(article: Article) -> list[Link]:
    """Return the newest other visible articles of this article's category."""
    key = f"lists:category:{article.category_id}"
    newest = freshness.remember(key, lambda: _links(articles.newest_in_category(article.category_id, SHOWN + 1)))
    return [link for link in newest if link.id != article.id][:SHOWN]


def related(article: Article) -> list[Link]:
    """Return the visible articles most like this one, best first."""
    ids = related_article_ids(article.id)
    if not ids:
        return []
    rows = db.session.execute(_LINKS, {"ids": ids, "now": utcnow()})
    by_id = {row.id: Link(row.id, row.slug, row.title) for row in rows if row.visible}
    return [by_id[i] for i in ids if i in by_id][:SHOWN]
