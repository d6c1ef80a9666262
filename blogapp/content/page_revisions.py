"""Page revisions: what a save of a page recorded, the lines two of them are compared by, and a slug to restore."""

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Page, PageRevision, User


def snapshot(page: Page) -> dict[str, Any]:
    """Return the revision columns that record `page` as it is now."""
    return {
        "title": page.title,
        "body": page.body,
        "fields": {
            "slug": page.slug,
            "status": str(page.status),
            "in_header": bool(page.in_header),
            "in_footer": bool(page.in_footer),
            "menu_order": page.menu_order,
        },
    }


def record(page: Page, editor: User | None) -> None:
    """Keep the page as it is now as a new revision by `editor` (None: an import or a command); the caller commits."""
    db.session.add(PageRevision(page=page, user=editor, created_at=page.updated_at, **snapshot(page)))


def list_revisions(page_id: int) -> list[PageRevision]:
    """Return the page's revisions, newest first."""
    stmt = select(PageRevision).where(PageRevision.page_id == page_id).order_by(PageRevision.id.desc())
    return list(db.session.scalars(stmt))


def get_revision(page_id: int, revision_id: int) -> PageRevision:
    """Return one revision of the page, or 404."""
    stmt = select(PageRevision).where(PageRevision.page_id == page_id, PageRevision.id == revision_id)
    return db.first_or_404(stmt)


def as_text(revision: PageRevision) -> list[str]:
    """Return the revision as the lines an editor compares: fields first, then the body."""
    fields = revision.fields
    menus = [name for name in ("header", "footer") if fields.get(f"in_{name}")]
    lines = [
        f"Title: {revision.title}",
        f"Slug: {fields.get('slug', '')}",
        f"Status: {fields.get('status', '')}",
        f"Menus: {' and '.join(menus) or 'none'}",
        f"Menu position: {fields.get('menu_order', 0)}",
    ]
    return [*lines, "", *revision.body.splitlines()]
