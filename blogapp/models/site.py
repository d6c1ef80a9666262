"""The site's change counter, which HTTP validators and page caches follow. Models never commit."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .content import utcnow


class SiteVersion(db.Model):
    """One row counting changes to what readers see; HTTP validators and the page cache are keyed on it."""

    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
