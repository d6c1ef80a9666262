"""Pages in the index: their document ids ("page-<id>", beside articles' plain numbers) and their documents."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.markup import render_markdown
from ..content.pages import visible_conditions
from ..models import Page
from .schema import build_document

PAGE_PREFIX = "page-"
# What a page has none of: left out of its document, so category and tag facets count articles only.
_ARTICLE_ONLY = ("category_slug", "tag_slugs", "author_slug")


def page_doc_id(page_id: int) -> str:
    """Return the index document id of a page."""
    return f"{PAGE_PREFIX}{page_id}"


def page_id_of(doc_id: str) -> int | None:
    """Return the page id a document id names, or None for an article's."""
    return int(doc_id.removeprefix(PAGE_PREFIX)) if doc_id.startswith(PAGE_PREFIX) else None


def page_document(page: Page) -> dict[str, Any]:
    """Build the index document of a published page: its title and text, dated when it was written."""
    # Pages keep no plain text of their own (articles do): a handful of them are rendered again when indexed.
    text = render_markdown(page.body).text
    doc = build_document(doc_id=page_doc_id(page.id), title=page.title, body=text, published=page.created_at)
    for name in _ARTICLE_ONLY:
        del doc[name]
    return doc


def apply_pages(session: Session, writer, page_ids: set[int]) -> None:
    """Bring the documents of these pages in step with the database: published ones written, others removed."""
    if not page_ids:
        return
    visible = {
        page.id: page for page in session.scalars(select(Page).where(Page.id.in_(page_ids), *visible_conditions()))
    }
    for page_id in sorted(page_ids):
        if page_id in visible:
            writer.update_document(**page_document(visible[page_id]))
        else:
            writer.delete_by_term("id", page_doc_id(page_id))


def index_pages(session: Session, writer) -> None:
    """Add every published page to a new index (a rebuild)."""
    for page in session.scalars(select(Page).where(*visible_conditions()).order_by(Page.id)):
        writer.add_document(**page_document(page))


def visible_page_digests(session: Session) -> dict[str, str]:
    """Return the document id and digest every published page should have in the index."""
    pages = session.scalars(select(Page).where(*visible_conditions()))
    return {page_doc_id(page.id): page_document(page)["digest"] for page in pages}
