"""The audit log: record who did what (one INSERT in the caller's transaction), prune it, read it back.

The app only ever adds rows; the one path that deletes them is pruning events older than AUDIT_RETENTION_DAYS,
done by `flask audit prune` and, at most once a day per process, by the first event recorded after that day.
"""

import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, delete, select

from .. import caches
from ..extensions import db
from ..models import Article, AuditEvent, Setting, Upload, User, utcnow

# Every action name the site records, by family. Others may only be recorded once they are added here.
ACTIONS = frozenset(
    {
        "signin.succeeded",
        "signin.failed",
        "signin.locked_out",
        "signout",
        "user.created",
        "user.role_changed",
        "user.deactivated",
        "user.activated",
        "invitation.sent",
        "invitation.accepted",
        "invitation.cancelled",
        "password.changed",
        "password.reset",
        "totp.enabled",
        "totp.disabled",
        "totp.reset",
        "recovery_code.used",
        "recovery_codes.renewed",
        "settings.changed",
        "synonyms.changed",
        "best_bet.created",
        "best_bet.changed",
        "best_bet.deleted",
        "article.published",
        "article.unpublished",
        "article.scheduled",
        "article.trashed",
        "article.restored",
        "trash.emptied",
        "upload.created",
        "upload.deleted",
        "upload.alt_changed",
        "site.imported",
        "site.exported",
        "audit.exported",
        "audit.pruned",
    }
)
COMMAND_LINE = "command line"  # the address of events recorded by `flask` commands
PRUNE_EVERY_SECONDS = 24 * 3600
_TARGETS = {
    Article: ("article", lambda article: article.title),
    User: ("user", lambda user: user.email),
    Upload: ("upload", lambda upload: upload.original_name or upload.filename),
    Setting: ("setting", lambda setting: setting.key),
}
_LAST_PRUNE = "content.audit_last_prune"
caches.declare(
    _LAST_PRUNE,
    holds="when this process last pruned the audit log (time.monotonic seconds)",
    bound="one number",
    cleared_by="nothing: it moves forward at most once a day",
)
_LABEL_CHARS = AuditEvent.target_label.type.length


def init_app(app: Flask) -> None:
    """Keep the time of this process's last pruning (never, so the first event of a process prunes)."""
    caches.for_app(app, _LAST_PRUNE, {"at": None})


def record(
    action: str,
    target: Any = None,
    detail: dict[str, Any] | None = None,
    *,
    actor: User | None = None,
) -> AuditEvent:
    """Add an event to the session (the caller commits); the actor is the signed-in user unless given.

    `target` is an article, user, upload or setting, or a (type, id, label) tuple for anything else.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    actor = actor if actor is not None else _signed_in_user()
    target_type, target_id, target_label = _describe(target)
    event = AuditEvent(
        created_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:_LABEL_CHARS],
        address=_address(),
        detail=detail or {},
    )
    db.session.add(event)
    _prune_if_due()
    return event


def _signed_in_user() -> User | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _address() -> str:
    return (request.remote_addr or "unknown")[:64] if has_request_context() else COMMAND_LINE


def _describe(target: Any) -> tuple[str, int | None, str]:
    """Return the type, id and label of an event's target."""
    if target is None:
        return "", None, ""
    if isinstance(target, tuple):
        return target
    kind, label = _TARGETS[type(target)]
    if getattr(target, "id", 0) is None:
        db.session.flush()  # a new row: its INSERT runs now rather than at commit, and it has its id
    return kind, getattr(target, "id", None), label(target) or ""


def _prune_if_due() -> None:
    """Prune old events if this process has not in the last day (the first event of a process does)."""
    last = caches.of(current_app, _LAST_PRUNE)
    now = time.monotonic()
    if last["at"] is None or now - last["at"] >= PRUNE_EVERY_SECONDS:
        prune()


def prune(days: int | None = None) -> int:
    """Delete events older than `days` (default AUDIT_RETENTION_DAYS); return how many. The caller commits."""
    days = current_app.config["AUDIT_RETENTION_DAYS"] if days is None else days
    caches.of(current_app, _LAST_PRUNE)["at"] = time.monotonic()
    if not days or days <= 0:
        return 0  # 0 or None: keep events for ever
    cutoff = utcnow() - timedelta(days=days)
    return db.session.execute(delete(AuditEvent).where(AuditEvent.created_at < cutoff)).rowcount or 0


def events(
    action: str | None = None, actor: str | None = None, since: datetime | None = None, until: datetime | None = None
) -> Select:
    """Select events matching the filters given, newest first."""
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        stmt = stmt.where(AuditEvent.actor_email == actor.strip().lower())
    if since:
        stmt = stmt.where(AuditEvent.created_at >= since)
    if until:
        stmt = stmt.where(AuditEvent.created_at < until)
    return stmt


def as_record(event: AuditEvent) -> dict[str, Any]:
    """Return an event as the plain record exports carry (no database ids but the target's)."""
    return {
        "created_at": event.created_at.isoformat(),
        "actor": event.actor_email,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "address": event.address,
        "detail": event.detail or {},
    }


def from_record(record: dict[str, Any], created_at: datetime) -> AuditEvent:
    """Return a new event made from an exported record (its actor and target not linked to any row yet)."""
    return AuditEvent(
        created_at=created_at,
        actor_email=record["actor"] or "",
        action=record["action"],
        target_type=record["target_type"],
        target_label=record["target_label"],
        address=record["address"],
        detail=record.get("detail") or {},
    )


def recorded_since(action: str, label: str, within: timedelta) -> bool:
    """Tell whether this address recorded `action` on the target labelled `label` within the last `within`."""
    stmt = select(AuditEvent.id).where(
        AuditEvent.action == action,
        AuditEvent.target_label == label[:_LABEL_CHARS],
        AuditEvent.address == _address(),
        AuditEvent.created_at >= utcnow() - within,
    )
    return db.session.scalar(stmt.limit(1)) is not None


def record_account_change(user: User, role_before: str, active_before: bool) -> None:
    """Add the events for a change of a user's role or of whether they can sign in (none if neither changed)."""
    if user.role != role_before:
        record("user.role_changed", user, {"from": str(role_before), "to": str(user.role)})
    if user.active != active_before:
        record("user.activated" if user.active else "user.deactivated", user)
