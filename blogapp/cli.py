"""Flask commands: set-up, demo content and search index maintenance."""

import os
import secrets
import shutil
import sys

import click
import flask_migrate
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from .archive import ArchiveError, backup, export_archive, restore
from .archive_import import import_archive
from .extensions import db
from .models import Article
from .search import SearchUnavailable, get_index
from .search.evaluate import evaluate_command
from .search.querylog import top_queries
from .search.synonyms import DEFAULT_FILE as DEFAULT_SYNONYMS
from .synthetic import seed_synthetic_command
from .user_commands import users_group
from .wxr import wxr_command


def _instance_config_path() -> str:
    return os.path.join(current_app.instance_path, "config.py")


def _write_secret_key() -> bool:
    """Create instance/config.py with a random SECRET_KEY unless it exists; tell whether it was written."""
    path = _instance_config_path()
    if os.path.exists(path):
        return False
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(
            "# Local settings for this blogapp instance; keep this file private.\n"
            f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
        )
    os.chmod(path, 0o600)
    return True


def _index_now() -> None:
    """Apply queued index changes before the command exits (background threads die with it)."""
    try:
        get_index().drain()
    except Exception as exc:  # the queue keeps the changes; say so instead of failing the command
        click.echo(f"Search index not updated yet ({exc}); changes stay queued.", err=True)


BASELINE_REVISION = "0001_baseline"


def _upgrade_database() -> None:
    """Bring the database schema to the newest migration (creating it when empty)."""
    tables = set(inspect(db.engine).get_table_names())
    if tables and "alembic_version" not in tables:
        # Databases made before migrations existed were created whole by create_all() at the baseline.
        click.echo(f"Marking the existing database as migration {BASELINE_REVISION}.")
        flask_migrate.stamp(revision=BASELINE_REVISION)
    flask_migrate.upgrade()


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade instance/ state: secret key, database schema, search index (keeps existing data)."""
    os.makedirs(current_app.instance_path, exist_ok=True)
    if _write_secret_key():
        click.echo(f"Wrote a new SECRET_KEY to {_instance_config_path()}")
    _upgrade_database()
    synonyms_path = current_app.config["SEARCH_SYNONYMS_FILE"]
    if not os.path.exists(synonyms_path):
        os.makedirs(os.path.dirname(os.path.abspath(synonyms_path)), exist_ok=True)
        shutil.copyfile(DEFAULT_SYNONYMS, synonyms_path)
        click.echo(f"Wrote the editable search synonyms list to {synonyms_path}")
    index = get_index()
    try:
        index.open()
    except SearchUnavailable as exc:
        click.echo(f"Search index not usable ({exc}); rebuilding it.")
        click.echo(f"Indexed {index.rebuild()} articles.")
    click.echo("Instance ready.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no articles.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo articles, categories and authors that are not there yet."""
    from .demo import load_demo

    if if_empty and db.session.scalar(select(func.count(Article.id))):
        click.echo("Database already has articles; demo content not loaded.")
        return
    added = load_demo()
    db.session.commit()
    _index_now()
    click.echo(f"Added {added} demo articles.")


search_group = AppGroup("search", help="Maintain the search index.")


@search_group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database."""
    total = db.session.scalar(select(func.count(Article.id)).where(Article.indexable()))
    with click.progressbar(length=total, label="Indexing articles") as bar:
        count = get_index().rebuild(progress=bar.update)
    click.echo(f"Indexed {count} articles.")


@search_group.command("check")
def check_command() -> None:
    """Report articles missing from or stale in the index; exit 1 on any drift."""
    index = get_index()
    try:
        drift = index.check()
    except SearchUnavailable as exc:
        click.echo(f"Search index unavailable: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"missing: {len(drift.missing)}  stale: {len(drift.stale)}  extra: {len(drift.extra)}  "
        f"queued: {index.pending()}"
    )
    for label, ids in (("missing", drift.missing), ("stale", drift.stale), ("extra", drift.extra)):
        if ids:
            click.echo(f"{label} article ids: {', '.join(map(str, ids[:50]))}")
    if not drift.clean:
        click.echo("Drift found: run `flask --app blogapp search rebuild`.", err=True)
        sys.exit(1)


@search_group.command("queries")
@click.option("--days", default=30, show_default=True, help="How far back to look.")
@click.option("--limit", default=20, show_default=True, help="How many queries to list.")
def queries_command(days: int, limit: int) -> None:
    """List the most frequent searches and the searches that found nothing."""
    for title, rows in (
        (f"Top searches, last {days} days", top_queries(days, limit)),
        (f"Searches with no results, last {days} days", top_queries(days, limit, zero_only=True)),
    ):
        click.echo(title)
        for query, count in rows:
            click.echo(f"{count:>7}  {query}")
        if not rows:
            click.echo("      (none)")


search_group.add_command(evaluate_command)
import_group = AppGroup("import", help="Bring content in from elsewhere.")
import_group.add_command(wxr_command)


@click.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
@click.option(
    "--with-password-hashes",
    is_flag=True,
    help="Include password hashes so accounts can sign in after import (keep the file private).",
)
@with_appcontext
def export_command(file, with_password_hashes: bool) -> None:
    """Write the whole site to a portable JSON archive (see README: Moving in and out)."""
    count = export_archive(file, current_app.config["UPLOADS_DIR"], with_password_hashes=with_password_hashes)
    click.echo(f"Exported {count} articles.")
    if with_password_hashes:
        click.echo("The archive holds password hashes: store and send it like a password.", err=True)


@import_group.command("archive")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_archive_command(file) -> None:
    """Load a JSON archive written by `export` into this (empty) instance, in one transaction."""
    try:
        summary = import_archive(file, current_app.config["UPLOADS_DIR"])
        db.session.commit()
    except (ArchiveError, SQLAlchemyError) as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing imported: {exc}") from exc
    _index_now()
    click.echo(
        f"Imported {summary.articles} articles, {summary.revisions} revisions, {summary.users} users, "
        f"{summary.uploads} uploads, {summary.settings} settings and {summary.redirects} old addresses."
    )
    if summary.inactive_users:
        click.echo(
            f"{summary.inactive_users} users cannot sign in yet: give each a password with "
            "`flask users set-password`, then `flask users activate`."
        )


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(directory: str) -> None:
    """Snapshot the SQLite database and uploads into a new folder under DIRECTORY (safe while serving)."""
    try:
        folder = backup(directory, current_app.config["UPLOADS_DIR"])
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {folder}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.confirmation_option(prompt="Replace all current content with this backup?")
@with_appcontext
def restore_command(folder: str) -> None:
    """Replace the database and uploads with a backup's, then rebuild the search index."""
    try:
        restore(folder, current_app.config["UPLOADS_DIR"])
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {folder}; indexed {get_index().rebuild()} articles.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (
        init_command,
        seed_demo_command,
        seed_synthetic_command,
        search_group,
        export_command,
        import_group,
        backup_command,
        restore_command,
        users_group,
    ):
        app.cli.add_command(command)
