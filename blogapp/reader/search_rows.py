"""The rows of a search result page: each hit with the article or page it links to, still visible to readers."""

from typing import NamedTuple

from ..content.pages import visible_slugs
from .queries import find_links


class PageLink(NamedTuple):
    """Where a page found by search lives (readers' results mark it "Page", with no topic or date)."""

    slug: str


def result_rows(hits: list) -> list[tuple]:
    """Return (hit, link) for the hits readers may still open, in order; pages cost a statement only when found."""
    articles = {link.id: link for link in find_links([hit.article_id for hit in hits if hit.page_id is None])}
    pages = visible_slugs([hit.page_id for hit in hits if hit.page_id is not None])
    rows = []
    for hit in hits:
        if hit.page_id is not None and hit.page_id in pages:
            rows.append((hit, PageLink(pages[hit.page_id])))
        elif hit.page_id is None and hit.article_id in articles:
            rows.append((hit, articles[hit.article_id]))
    return rows
