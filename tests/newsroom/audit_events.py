"""Reading the audit log back in tests: the events recorded, oldest first."""

from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import AuditEvent


def audit_events(action: str | None = None) -> list[AuditEvent]:
    """Return the committed audit events (of `action`, if given), oldest first."""
    db.session.expire_all()
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def actions() -> list[str]:
    """Return the actions of every committed audit event, oldest first."""
    return [event.action for event in audit_events()]
