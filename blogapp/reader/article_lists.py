"""The lists an article page shows with it: recent posts, more in its category and related articles."""

from flask import g

from ..content.markup import excerpt
from ..content.raw_query import reading
from ..content.version import remember
from ..extensions import db
from ..models import utcnow
from ..search import related_article_ids
from ..web.busy import Busy, costly_work
from .listings import newest
from .queries import visible_links
from .rows import ArticlePage, Card, Link

SHOWN = 5
EXCERPT_CHARS = 110


def _links(cards: list[Card]) -> tuple[Link, ...]:
    return tuple(
        Link(
            card.id,
            card.slug,
            card.title,
            card.published_at,
            excerpt=excerpt(card.summary or card.body_text, EXCERPT_CHARS),
        )
        for card in cards
    )


def recent_links() -> tuple[Link, ...]:
    """Return the SHOWN + 1 newest visible articles (one more, for a page that leaves out its own)."""
    # The same for every page until the content changes, so worked out once per content version.
    return remember("lists:recent", lambda: _links(newest("home", SHOWN + 1)))


def recent(article: ArticlePage) -> list[Link]:
    """Return the newest visible articles other than this one."""
    return [link for link in recent_links() if link.id != article.id][:SHOWN]


def more_in_category(article: ArticlePage, shown_already: tuple[Link, ...] | list[Link] = ()) -> list[Link]:
    """Return the newest other visible articles of this article's category, but those `shown_already`."""
    key = f"lists:category:{article.category_id}"
    # Enough to fill the list when the related articles (at most SHOWN) are the category's newest.
    latest = remember(key, lambda: _links(newest("category", 2 * SHOWN + 1, article.category_id)))
    skip = {article.id, *(link.id for link in shown_already)}
    return [link for link in latest if link.id not in skip][:SHOWN]


def related(article: ArticlePage) -> list[Link]:
    """Return the visible articles most like this one, best first (none for now while the machine is busy)."""
    if article.related is not None:  # read with the article, from its kept list
        return list(article.related[:SHOWN])
    try:
        # Working a list out is a search (30-140 ms): costly work, bounded like searches. When every slot is
        # taken the page goes without, and is not stored, so a later view works the list out.
        with costly_work().hold():
            ids = related_article_ids(article.id)
    except Busy:
        g.unfinished_page = True
        return []
    if not ids:
        return []
    with reading(db.engine) as reader:
        return visible_links(reader, ids, utcnow())[:SHOWN]
