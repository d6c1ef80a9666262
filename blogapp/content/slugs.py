"""Slugs: how one is made from any text, and the one way to find or create a row by its slug."""

from typing import TypeVar

from slugify import slugify as _transliterated_slug
from sqlalchemy import select

from ..extensions import db

M = TypeVar("M")


def slugify(value: str, max_length: int = 80) -> str:
    """Turn any text into a lowercase ASCII slug of words joined by hyphens, transliterating other scripts."""
    # Transliterated rather than stripped: "Straße" is "strasse", "œdema" "oedema", "Здоровье" "zdorove" and
    # "健康" "jian-kang"; dropping what is not ASCII made such names empty, and their tags were lost.
    return _transliterated_slug(value, max_length=max_length, lowercase=True).strip("-")


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
