"""The audit log kept and taken out: pruning (by command and by itself), JSON lines and CSV, whole-site archives."""

import csv
import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from wordpress_exports import WPI, needs_shared_exports, run

from blogapp import caches
from blogapp.content import audit
from blogapp.extensions import db
from blogapp.models import Article, AuditEvent, User, utcnow


def event(action: str, days_ago: float, actor=None, target=None, **detail) -> AuditEvent:
    """Record an event through the app's function, dated `days_ago`, and commit it."""
    recorded = audit.record(action, target or ("setting", None, "disclaimer"), detail, actor=actor)
    recorded.created_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return recorded


def kept() -> list[str]:
    """Return the actions of the events in the log, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.created_at, AuditEvent.id)))


@pytest.fixture
def app_overrides():
    return {"AUDIT_RETENTION_DAYS": 30}


def test_prune_command_deletes_what_is_past_the_period_and_says_so(runner, ctx):
    event("settings.changed", 45)
    event("article.published", 10)
    result = runner.invoke(args=["audit", "prune"])
    assert result.exit_code == 0 and "Deleted 1 audit events older than 30 days." in result.output
    assert kept() == ["article.published", "audit.pruned"]
    assert runner.invoke(args=["audit", "prune", "--days", "5"]).exit_code == 0
    assert kept() == ["audit.pruned", "audit.pruned"]
    assert runner.invoke(args=["audit", "prune", "--days", "0"]).exit_code == 2  # at least a day


def test_recording_prunes_at_most_once_a_day_per_process(app, ctx):
    last_prune = caches.of(app, "content.audit_last_prune")
    event("settings.changed", 45)  # the process's first event pruned (nothing was old yet)
    event("article.published", 1)
    assert kept() == ["settings.changed", "article.published"]
    last_prune["at"] = time.monotonic() - audit.PRUNE_EVERY_SECONDS + 60  # pruned a little under a day ago
    event("article.trashed", 0)
    assert kept() == ["settings.changed", "article.published", "article.trashed"]
    last_prune["at"] = time.monotonic() - audit.PRUNE_EVERY_SECONDS  # a day ago
    event("article.restored", 0)
    assert kept() == ["article.published", "article.trashed", "article.restored"]


def test_retention_of_zero_keeps_events_for_ever(app, runner, ctx):
    app.config["AUDIT_RETENTION_DAYS"] = 0
    event("settings.changed", 4000)
    result = runner.invoke(args=["audit", "prune"])
    assert "kept for ever" in result.output and kept() == ["settings.changed"]


def test_export_writes_json_lines_or_csv_oldest_first_with_filters(runner, team, tmp_path):
    event("signin.failed", 3, email="x@example.org")
    event("settings.changed", 2, actor=team["admin"], changed=["disclaimer"])
    event("article.published", 1, actor=team["editor"], target=("article", 7, "Ketamine, “for” migraine"))
    result = runner.invoke(args=["audit", "export", str(tmp_path / "log.jsonl")])
    assert result.exit_code == 0 and "Exported 3 audit events." in result.output
    lines = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [line["action"] for line in lines] == ["signin.failed", "settings.changed", "article.published"]
    assert lines[2] | {"created_at": None} == {
        "created_at": None,
        "actor": "editor@example.org",
        "action": "article.published",
        "target_type": "article",
        "target_id": 7,
        "target_label": "Ketamine, “for” migraine",
        "address": "command line",
        "detail": {},
    }
    args = ["audit", "export", str(tmp_path / "log.csv"), "--format", "csv", "--actor", "Admin@example.org"]
    assert runner.invoke(args=args).exit_code == 0
    with open(tmp_path / "log.csv", encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["action"] == "settings.changed" and json.loads(row["detail"]) == {"changed": ["disclaimer"]}
    since = (utcnow() - timedelta(days=1, hours=12)).strftime("%Y-%m-%d %H:%M:%S").replace(" ", "T")
    result = runner.invoke(args=["audit", "export", "-", "--since", since])
    exported = [json.loads(line)["action"] for line in result.stdout.splitlines()]
    assert exported == ["article.published", "audit.exported", "audit.exported"]
    assert kept()[-3:] == ["audit.exported"] * 3  # taking the log out is itself recorded


def test_site_archive_carries_the_log_and_import_restores_it(app, runner, team, publish, tmp_path):
    article = publish("Ketamine for migraine")
    event("signin.succeeded", 3, actor=team["editor"], target=team["editor"])
    event("article.trashed", 2, actor=team["editor"], target=article)
    article_id = article.id
    archive = tmp_path / "site.json"
    assert runner.invoke(args=["export", str(archive), "--with-password-hashes"]).exit_code == 0
    data = json.loads(archive.read_text())
    assert [record["action"] for record in data["audit_events"]] == ["signin.succeeded", "article.trashed"]
    assert kept()[-1] == "site.exported"
    db.session.remove()
    db.drop_all()
    db.create_all()
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0 and "Restored 2 audit log events." in result.output, result.output
    db.session.expire_all()
    signed_in, trashed, imported = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    editor = db.session.scalar(select(User).where(User.email == "editor@example.org"))
    assert (signed_in.actor_id, signed_in.target_id, signed_in.actor_email) == (editor.id, editor.id, editor.email)
    assert (trashed.target_label, trashed.target_id) == ("Ketamine for migraine", None)
    assert trashed.detail == {"exported_target_id": article_id} and trashed.address == "command line"
    assert abs(trashed.created_at - (utcnow() - timedelta(days=2))) < timedelta(minutes=1)
    assert imported.action == "site.imported" and imported.detail == {"format": "archive", "articles": 1}
    assert db.session.scalar(select(Article.title)) == "Ketamine for migraine"


def test_unknown_actions_are_refused(ctx):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record("article.deleted_everything")


@needs_shared_exports
def test_wordpress_import_is_recorded_and_a_dry_run_is_not(runner, ctx):
    assert run(runner, WPI / "phpunit_data_small-export.xml", "--dry-run").exit_code == 0
    assert kept() == []
    assert run(runner, WPI / "phpunit_data_small-export.xml").exit_code == 0
    (imported,) = db.session.scalars(select(AuditEvent))
    assert imported.action == "site.imported" and imported.detail == {"format": "wxr", "posts": 6}
