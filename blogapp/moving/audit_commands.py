"""`flask audit prune` and `flask audit export`: the audit log kept to its period, taken out as JSON lines or CSV."""

import csv
import json
from typing import IO

import click
from flask import current_app
from flask.cli import AppGroup

from ..content import audit
from ..extensions import db
from ..models import AuditEvent

audit_group = AppGroup("audit", help="The audit log: prune old events, export them.")
COLUMNS = ("created_at", "actor", "action", "target_type", "target_id", "target_label", "address", "detail")
DATE = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


@audit_group.command("prune")
@click.option("--days", type=click.IntRange(min=1), help="Keep this many days (default: AUDIT_RETENTION_DAYS).")
def prune_command(days: int | None) -> None:
    """Delete audit events older than the retention period."""
    days = days or current_app.config["AUDIT_RETENTION_DAYS"]
    if not days:
        click.echo("AUDIT_RETENTION_DAYS is 0: audit events are kept for ever.")
        return
    deleted = audit.prune(days)
    if deleted:
        audit.record("audit.pruned", None, {"deleted": deleted, "days": days})
    db.session.commit()
    click.echo(f"Deleted {deleted} audit events older than {days} days.")


@audit_group.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--action", type=click.Choice(sorted(audit.ACTIONS)), help="Only events of this action.")
@click.option("--actor", help="Only events by this email.")
@click.option("--since", type=DATE, help="Only events at or after this UTC date (YYYY-MM-DD).")
@click.option("--until", type=DATE, help="Only events before this UTC date.")
def export_command(file, fmt: str, action: str | None, actor: str | None, since, until) -> None:
    """Write audit events, oldest first, as JSON lines or CSV (FILE may be - for standard output)."""
    count = write_events(file, fmt, audit.events(action, actor, since, until))
    audit.record("audit.exported", None, {"events": count, "format": fmt})
    db.session.commit()
    click.echo(f"Exported {count} audit events.", err=True)


def write_events(out: IO[str], fmt: str, stmt) -> int:
    """Write the events `stmt` selects, oldest first, one per line (JSON) or row (CSV); return how many."""
    stmt = stmt.order_by(None).order_by(AuditEvent.created_at, AuditEvent.id)
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    count = 0
    for event in db.session.scalars(stmt.execution_options(yield_per=1000)):
        record = audit.as_record(event)
        if writer:
            writer.writerow(record | {"detail": json.dumps(record["detail"], ensure_ascii=False)})
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
