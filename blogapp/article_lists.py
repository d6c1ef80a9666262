"""The lists an article page shows with it: recent posts, more in its category and related articles."""

from . import articles, freshness
from .article_page import ArticlePage, Link, visible_links
from .extensions import db
from .markup import excerpt
from .models import Article, utcnow
from .raw_query import reading
from .search import related_article_ids

SHOWN = 5
EXCERPT_CHARS = 110


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
    if article.related is not None:  # read with the article, from its kept list
        return list(article.related[:SHOWN])
    ids = related_article_ids(article.id)
    if not ids:
        return []
    with reading(db.engine) as reader:
        return visible_links(reader, ids, utcnow())[:SHOWN]
