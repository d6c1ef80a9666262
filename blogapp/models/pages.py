"""Pages: the site's standing texts (About, Editorial policy, Privacy…) at short addresses. Models never commit."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .content import utcnow


class PageStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Page(db.Model):
    """A page readers find at /<slug>/, in the same Markdown as articles; in the header or footer menu if asked."""

    __tablename__ = "pages"
    # The menus read published pages in menu order once per content version, keeping those in either menu.
    __table_args__ = (Index("ix_pages_menu", "deleted_at", "status", "menu_order", "id", "in_header", "in_footer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=PageStatus.DRAFT)
    in_footer: Mapped[bool] = mapped_column(default=True)
    in_header: Mapped[bool] = mapped_column(default=False)
    menu_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the page is in the trash: readers never see it, editors may restore it or delete it for good.
    deleted_at: Mapped[datetime | None] = mapped_column()

    @property
    def is_visible(self) -> bool:
        """Tell whether readers may see the page: published and not in the trash."""
        return self.status == PageStatus.PUBLISHED and self.deleted_at is None


class PageRevision(db.Model):
    """A snapshot of a page as one save left it."""

    __tablename__ = "page_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # Everything else the page editor sets: slug, status, menus and position.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    page: Mapped[Page] = relationship()
    user: Mapped[User | None] = relationship()
