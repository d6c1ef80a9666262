"""Backups on SQLite and PostgreSQL: a manifest of checksums, restores that refuse a damaged or partial backup,
run the migrations over a backup from an older schema, and the newest daily and weekly backups kept."""

import json
from pathlib import Path

import flask_migrate
import pytest
from alembic.script import ScriptDirectory
from test_archive_round_trip import snapshot

from blogapp.extensions import db
from blogapp.models import Article, SiteVersion
from blogapp.moving.backup_retention import complete_backups
from blogapp.moving.database_dumps import schema_revision


@pytest.fixture
def app_overrides(tmp_path):
    return {"BACKUP_DIR": str(tmp_path / "backups"), "UPLOADS_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def site(app, client, runner, ctx, tmp_path):
    """The demo site with one uploaded file."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    (tmp_path / "uploads").mkdir(exist_ok=True)  # the demo stored its images there already
    (tmp_path / "uploads" / ("ab" * 16 + ".png")).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return snapshot(client)


def take_backup(runner) -> Path:
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().splitlines()[-1].split(" to ")[-1])


def restore(runner, folder: Path):
    return runner.invoke(args=["restore", "--yes", str(folder)])


def test_backup_lists_every_file_with_its_checksum_and_the_schema_revision(runner, site, tmp_path):
    folder = take_backup(runner)
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("blogapp-")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["schema_revision"] == schema_revision()
    assert manifest["database"] == db.engine.url.get_backend_name()
    assert manifest["database_file"] in manifest["files"]
    assert f"uploads/{'ab' * 16}.png" in manifest["files"]
    assert all(len(digest) == 64 for digest in manifest["files"].values())
    assert not list((tmp_path / "backups").glob(".partial-*"))


def test_restore_brings_back_content_uploads_and_search(client, runner, site, tmp_path):
    folder = take_backup(runner)
    db.session.execute(db.delete(Article).where(Article.slug.like("c%")))
    db.session.commit()
    upload = tmp_path / "uploads" / ("ab" * 16 + ".png")
    upload.unlink()
    version_before = db.session.scalar(db.select(SiteVersion.version))
    result = restore(runner, folder)
    assert result.exit_code == 0, result.output
    assert "indexed 25 articles" in result.output
    assert snapshot(client) == site
    assert upload.is_file()
    # The restored site counts as a change: no page cached or ETag given before it is served again.
    assert db.session.scalar(db.select(SiteVersion.version)) > version_before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda folder: (folder / "uploads" / ("ab" * 16 + ".png")).unlink(), "is incomplete: 1 files missing"),
        (lambda folder: next(folder.glob("blogapp.*")).unlink(), "is incomplete"),
        (lambda folder: _flip_a_byte(next(folder.glob("blogapp.*"))), "differ from their checksums"),
        (lambda folder: (folder / "manifest.json").write_text('{"format": "blogapp-ba'), "manifest.json is damaged"),
        (lambda folder: (folder / "manifest.json").unlink(), "not a blogapp backup"),
    ],
    ids=["upload-missing", "database-missing", "database-changed", "manifest-cut", "manifest-missing"],
)
def test_damaged_or_partial_backup_is_refused_and_nothing_changes(client, runner, site, damage, message):
    folder = take_backup(runner)
    db.session.execute(db.delete(Article).where(Article.slug.like("c%")))
    db.session.commit()
    changed = snapshot(client)
    damage(folder)
    result = restore(runner, folder)
    assert result.exit_code == 1 and "Nothing restored" in result.output and message in result.output
    assert snapshot(client) == changed


def test_backup_of_another_database_kind_is_refused(client, runner, site):
    folder = take_backup(runner)
    manifest = json.loads((folder / "manifest.json").read_text())
    other = "sqlite" if manifest["database"] == "postgresql" else "postgresql"
    (folder / "manifest.json").write_text(json.dumps({**manifest, "database": other}))
    result = restore(runner, folder)
    assert result.exit_code == 1 and f"holds a {other} database" in result.output


def test_backup_from_the_previous_schema_revision_is_restored_and_upgraded(app, client, runner, site):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    db.session.remove()  # a transaction left open would hold PostgreSQL's locks against the migration
    flask_migrate.downgrade(revision=previous)
    assert schema_revision() == previous
    folder = take_backup(runner)
    assert json.loads((folder / "manifest.json").read_text())["schema_revision"] == previous
    flask_migrate.upgrade()
    db.session.remove()
    db.session.execute(db.delete(Article))
    db.session.commit()
    result = restore(runner, folder)
    assert result.exit_code == 0, result.output
    assert f"Upgraded the restored schema from {previous} to {head}." in result.output
    assert schema_revision() == head
    assert snapshot(client) == site


def test_newest_backup_of_each_recent_day_and_week_is_kept(runner, site, tmp_path):
    backups = tmp_path / "backups"
    old = [
        "20200115-100000",
        "20200115-080000",
        "20200114-090000",
        "20200113-090000",
        "20200108-090000",
        "20200101-090000",
        "20191225-090000",
    ]
    for stamp in old:
        (backups / f"blogapp-{stamp}").mkdir(parents=True)
        (backups / f"blogapp-{stamp}" / "manifest.json").write_text("{}")
    (backups / "notes").mkdir()  # not a backup: never touched
    result = runner.invoke(args=["backup", "--keep-daily", "3", "--keep-weekly", "3"])
    assert result.exit_code == 0, result.output
    new = Path(result.output.strip().splitlines()[-1].split(" to ")[-1])
    # Days: today's, 15 and 14 January; weeks: this one, 13-19 January (the 15th's newest) and 6-12 January.
    kept = ["blogapp-20200115-100000", "blogapp-20200114-090000", "blogapp-20200108-090000"]
    assert [path.name for _, path in complete_backups(str(backups))] == [new.name, *kept]
    assert result.output.count("Removed old backup") == 4
    assert (backups / "notes").is_dir()


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(data)
