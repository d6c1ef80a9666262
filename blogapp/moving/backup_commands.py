"""`flask backup` and `flask restore`: backups taken on a timer, kept for a while, checked and restored whole."""

import click
import flask_migrate
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..search import get_index
from .backup import backup, continue_version, restore
from .backup_retention import prune
from .database_dumps import schema_revision
from .export import ArchiveError


@click.command("backup")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--keep-daily", type=click.IntRange(min=0), help="Days whose newest backup is kept [BACKUP_KEEP_DAILY].")
@click.option(
    "--keep-weekly", type=click.IntRange(min=0), help="Weeks whose newest backup is kept [BACKUP_KEEP_WEEKLY]."
)
@with_appcontext
def backup_command(directory: str | None, keep_daily: int | None, keep_weekly: int | None) -> None:
    """Back up the database and uploads into a new folder under DIRECTORY [BACKUP_DIR], then drop old backups."""
    config = current_app.config
    directory = directory or config["BACKUP_DIR"]
    try:
        folder = backup(directory, config["UPLOADS_DIR"])
    except ArchiveError as exc:
        raise click.ClickException(f"No backup written: {exc}") from exc
    daily = config["BACKUP_KEEP_DAILY"] if keep_daily is None else keep_daily
    weekly = config["BACKUP_KEEP_WEEKLY"] if keep_weekly is None else keep_weekly
    for old in prune(directory, daily, weekly):
        click.echo(f"Removed old backup {old}")
    click.echo(f"Backup written to {folder}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.confirmation_option(prompt="Replace all current content with this backup?")
@with_appcontext
def restore_command(folder: str) -> None:
    """Check a backup, replace the database and uploads with it, run the migrations and rebuild the search index."""
    try:
        manifest = restore(folder, current_app.config["UPLOADS_DIR"])
    except ArchiveError as exc:
        raise click.ClickException(f"Nothing restored: {exc}") from exc
    flask_migrate.upgrade()
    continue_version(manifest["live_version"])
    db.session.commit()
    revision = schema_revision()
    if manifest.get("schema_revision") not in (None, revision):
        click.echo(f"Upgraded the restored schema from {manifest['schema_revision']} to {revision}.")
    click.echo(f"Restored {folder}; indexed {get_index().rebuild()} articles.")
