"""The right column of listing pages (home, topic, tag, author, no results, not found): recent posts and topics."""

from dataclasses import dataclass

from ..content.version import remember
from .article_lists import SHOWN, recent_links
from .queries import topic_counts
from .rows import Link, Named

TOPICS_SHOWN = 8


@dataclass(frozen=True)
class Sidebar:
    """What the column holds: the newest articles (none on the home page, which lists them) and the topics."""

    recent: tuple[Link, ...]
    topics: tuple[tuple[Named, int], ...]


def sidebar(*, with_recent: bool = True) -> Sidebar:
    """Return the column's lists, worked out once per content version (no statement on most pages)."""
    recent = recent_links()[:SHOWN] if with_recent else ()
    return Sidebar(recent=tuple(recent), topics=remember("lists:topics", _topics))


def _topics() -> tuple[tuple[Named, int], ...]:
    """Return the topics with the most visible articles, largest first."""
    counted = [(Named(category.slug, category.name), n) for category, n in topic_counts() if n]
    return tuple(sorted(counted, key=lambda item: -item[1])[:TOPICS_SHOWN])
