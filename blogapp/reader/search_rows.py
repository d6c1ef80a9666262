"""The rows of a search result page: each hit with the article or page it links to, still visible to readers."""

from typing import NamedTuple

from ..content.pages import visible_slugs
from ..search.best_bets import MAX_ARTICLES
from .queries import find_links


class PageLink(NamedTuple):
    """Where a page found by search lives (readers' results mark it "Page", with no topic or date)."""

    slug: str


def result_rows(hits: list, pinned: list[int]) -> tuple[list, list[tuple]]:
    """Return the recommended articles' links, then (hit, link) for the hits readers may still open, in order.

    A recommended article is not repeated among the hits; pages cost a statement only when found.
    """
    articles = {link.id: link for link in find_links(pinned + [hit.article_id for hit in hits if hit.page_id is None])}
    recommended = [articles[article_id] for article_id in pinned if article_id in articles][:MAX_ARTICLES]
    listed = articles.keys() - {link.id for link in recommended}
    pages = visible_slugs([hit.page_id for hit in hits if hit.page_id is not None])
    rows = []
    for hit in hits:
        if hit.page_id is not None and hit.page_id in pages:
            rows.append((hit, PageLink(pages[hit.page_id])))
        elif hit.page_id is None and hit.article_id in listed:
            rows.append((hit, articles[hit.article_id]))
    return recommended, rows
