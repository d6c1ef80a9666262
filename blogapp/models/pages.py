"""Pages: the site's standing texts (About, Editorial policy, Privacy…) at short addresses. Models never commit."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .content import utcnow


class PageStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Page(db.Model):
    """A page readers find at /<slug>/, written in the same Markdown as articles; listed in the footer if asked."""

    __tablename__ = "pages"
    # The footer menu reads published pages in menu order on every content version.
    __table_args__ = (Index("ix_pages_menu", "deleted_at", "status", "in_footer", "menu_order", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=PageStatus.DRAFT)
    in_footer: Mapped[bool] = mapped_column(default=True)
    menu_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the page is in the trash: readers never see it, editors may restore it or delete it for good.
    deleted_at: Mapped[datetime | None] = mapped_column()

    @property
    def is_visible(self) -> bool:
        """Tell whether readers may see the page: published and not in the trash."""
        return self.status == PageStatus.PUBLISHED and self.deleted_at is None
