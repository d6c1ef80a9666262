"""Slugs: how one is made from any text, and the one way to find or create a row by its slug."""

import re
import unicodedata
from typing import TypeVar

from sqlalchemy import select

from ..extensions import db

M = TypeVar("M")


def slugify(value: str, max_length: int = 80) -> str:
    """Turn any text into a lowercase ASCII slug of words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def get_or_create(model: type[M], slug: str, *, add: bool = True, **fields) -> tuple[M, bool]:
    """Return the row with this slug (added earlier in this session, stored, or new from `fields`) and if it is new."""
    # A new row is added to the session unless `add` is false (a dry run that must write nothing).
    pending = (obj for obj in db.session.new if isinstance(obj, model) and obj.slug == slug)
    row = next(pending, None) or db.session.scalar(select(model).where(model.slug == slug))
    if row is not None:
        return row, False
    row = model(slug=slug, **fields)
    if add:
        db.session.add(row)
    return row, True
