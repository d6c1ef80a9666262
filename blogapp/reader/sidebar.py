"""The right column of listing pages (home, topic, tag, author, no results, not found): recent, most read, topics."""

from dataclasses import dataclass

from ..content.version import remember
from .article_lists import SHOWN, recent_links
from .popularity import most_viewed
from .queries import topic_counts
from .rows import Link, Named

TOPICS_SHOWN = 8


@dataclass(frozen=True)
class Sidebar:
    """What the column holds: the newest articles (none on the home page, which lists them) and the topics."""

    recent: tuple[Link, ...]
    topics: tuple[tuple[Named, int], ...]
    most_read: tuple[Link, ...] = ()  # read at least once; none on a site nobody has read yet


def sidebar(*, with_recent: bool = True) -> Sidebar:
    """Return the column's lists, worked out once per content version (no statement on most pages)."""
    recent = recent_links()[:SHOWN] if with_recent else ()
    most_read = remember("lists:most-read", _most_read)
    return Sidebar(recent=tuple(recent), topics=remember("lists:topics", _topics), most_read=most_read)


def _most_read() -> tuple[Link, ...]:
    """Return the most viewed visible articles that someone has viewed, most viewed first."""
    # Counts change between content versions; the list follows them when the content changes, as cached pages do.
    return tuple(Link(a.id, a.slug, a.title, a.published_at) for a in most_viewed(SHOWN) if a.view_count)


def _topics() -> tuple[tuple[Named, int], ...]:
    """Return the topics with the most visible articles, largest first."""
    counted = [(Named(category.slug, category.name), n) for category, n in topic_counts() if n]
    return tuple(sorted(counted, key=lambda item: -item[1])[:TOPICS_SHOWN])
