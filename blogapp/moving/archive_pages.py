"""Pages in the archive: each page's record with its revisions, and the page and its history made again on import."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from ..content.pages import save_page
from ..extensions import db
from ..models import Page, PageRevision, PageStatus, User


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: str | None) -> datetime | None:
    """Parse an archive time into the naive UTC form stored (an offset, if given, is applied)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def page_records(emails: dict[int, str]) -> list[dict[str, Any]]:
    """Return every page's record: its Markdown, where it stands and its revisions (HTML is made again on import)."""
    revisions: dict[int, list[PageRevision]] = {}
    for revision in db.session.scalars(select(PageRevision).order_by(PageRevision.id)):
        revisions.setdefault(revision.page_id, []).append(revision)
    return [
        _page(page, revisions.get(page.id, []), emails) for page in db.session.scalars(select(Page).order_by(Page.id))
    ]


def _page(page: Page, revisions: list[PageRevision], emails: dict[int, str]) -> dict[str, Any]:
    fields = ("slug", "title", "body", "status", "in_header", "in_footer", "menu_order")
    times = {name: _iso(getattr(page, name)) for name in ("created_at", "updated_at", "deleted_at")}
    history = [
        {
            "created_at": _iso(revision.created_at),
            "user": emails.get(revision.user_id),
            "title": revision.title,
            "body": revision.body,
            "fields": revision.fields,
        }
        for revision in revisions
    ]
    return {name: getattr(page, name) for name in fields} | times | {"revisions": history}


def load_page(record: dict[str, Any], users: dict[str, User]) -> tuple[Page, int]:
    """Make a page and its revisions again from its record; return it and how many revisions it has now."""
    page = save_page(
        Page(created_at=_time(record["created_at"])),
        title=record["title"],
        slug=record["slug"],
        body=record["body"],
        status=PageStatus(record["status"]),
        in_footer=bool(record["in_footer"]),
        in_header=bool(record.get("in_header", False)),  # archives written before header menus have none
        menu_order=int(record["menu_order"]),
        updated_at=_time(record["updated_at"]),
        # Archives written before page revisions carry none: record the page as it arrives instead.
        record_revision="revisions" not in record,
    )
    page.deleted_at = _time(record.get("deleted_at"))
    for revision in record.get("revisions", []):
        db.session.add(
            PageRevision(
                page=page,
                user=users.get(revision.get("user") or ""),
                created_at=_time(revision["created_at"]),
                title=revision["title"],
                body=revision["body"],
                fields=dict(revision["fields"]),
            )
        )
    return page, len(record.get("revisions", [])) or 1
