"""Site settings the team edits: stored values, and the two the site reads (disclaimer, review period)."""

from flask import current_app

from ..extensions import db
from ..models import Setting
from .version import remember

DEFAULT_DISCLAIMER = (
    "This article is for general information and does not replace advice from a clinician who knows you."
)


def get_setting(key: str, default: str = "") -> str:
    """Return a site setting, or `default` when it was never set."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(key: str, value: str) -> None:
    """Store a site setting; the caller commits."""
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    db.session.add(row)


def disclaimer() -> str:
    """Return the line shown under every article."""
    return remember("disclaimer", lambda: get_setting("disclaimer", DEFAULT_DISCLAIMER))


def review_due_months() -> int:
    """Return how many months after a medical review an article is due for another."""
    value = get_setting("review_due_months")
    return int(value) if value.isdigit() else current_app.config["REVIEW_DUE_MONTHS"]
