"""`flask seed-demo`, `export` and `import archive|wxr` (and `backup`, `restore`): content in and out of the site."""

from collections import Counter

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..content import audit
from ..extensions import db
from ..models import Article
from ..search import get_index
from .archive_import import import_archive
from .backup_commands import backup_command, restore_command
from .demo import load_demo
from .export import ArchiveError, export_archive
from .upload_commands import uploads_group
from .wordpress import WxrError, discard_files, import_wxr

import_group = AppGroup("import", help="Bring content in from elsewhere.")


def index_now() -> None:
    """Apply the logged index changes before the command exits (background threads die with it)."""
    try:
        get_index().drain()
    except Exception as exc:  # the log keeps the changes; say so instead of failing the command
        click.echo(f"Search index not updated yet ({exc}); changes stay in the log.", err=True)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no articles.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo articles, categories, authors and pages that are not there yet."""
    if if_empty and db.session.scalar(select(func.count(Article.id))):
        click.echo("Database already has articles; demo content not loaded.")
        return
    added = load_demo()
    db.session.commit()
    index_now()
    click.echo(f"Added {added} demo articles.")


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
    audit.record("site.exported", None, {"articles": count, "password_hashes": with_password_hashes})
    db.session.commit()
    click.echo(f"Exported {count} articles.")
    if with_password_hashes:
        click.echo("The archive holds password hashes: store and send it like a password.", err=True)


@import_group.command("archive")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_archive_command(file) -> None:
    """Load a JSON archive written by `export` into this (empty) instance, in one transaction."""
    try:
        summary = import_archive(file, current_app.config["UPLOADS_DIR"])
        audit.record("site.imported", None, {"format": "archive", "articles": summary.articles})
        db.session.commit()
    except (ArchiveError, SQLAlchemyError) as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing imported: {exc}") from exc
    index_now()
    click.echo(
        f"Imported {summary.articles} articles, {summary.revisions} revisions, {summary.users} users, "
        f"{summary.uploads} uploads, {summary.settings} settings, {summary.pages} pages "
        f"and {summary.redirects} old addresses."
    )
    click.echo(f"Restored {summary.audit_events} audit log events.")
    if summary.merged_tags:
        click.echo(f"Merged tags whose names differ only in case: {'; '.join(summary.merged_tags)}.")
    if summary.inactive_users:
        click.echo(
            f"{summary.inactive_users} users cannot sign in yet: give each a password with "
            "`flask users set-password`, then `flask users activate`."
        )


@import_group.command("wxr")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Read and report everything, write nothing.")
@click.option(
    "--media",
    type=click.Path(exists=True, file_okay=False),
    help="A copy of the site's wp-content/uploads: attachments found there become uploads (nothing is fetched).",
)
def wxr_command(file: str, dry_run: bool, media: str | None) -> None:
    """Import posts, pages, categories, tags, authors and attachments from a WordPress export (WXR), all or nothing."""
    with open(file, "rb") as handle:
        total = sum(
            chunk.count(b"<item>") + chunk.count(b"<item ") for chunk in iter(lambda: handle.read(1 << 20), b"")
        )
    try:
        with click.progressbar(length=total, label="Importing posts") as bar:
            report = import_wxr(file, dry_run=dry_run, progress=bar.update, media_dir=media)
        if dry_run:
            db.session.rollback()
        else:
            audit.record("site.imported", None, {"format": "wxr", "posts": report.imported})
            db.session.commit()
    except (WxrError, SQLAlchemyError) as exc:
        db.session.rollback()
        if "report" in locals():
            discard_files(report)
        raise click.ClickException(f"Nothing imported: {exc}") from exc
    if not dry_run:
        index_now()
    verb = "Would import" if dry_run else "Imported"
    pages = f" and {report.pages} pages" if report.pages else ""
    click.echo(f"{verb} {report.imported} posts{pages}; skipped {len(report.skipped)}.")
    for reason, count in Counter(reason for _, reason in report.skipped).most_common():
        click.echo(f"  skipped ({reason}): {count}")
    for name, count in sorted(report.counters.items()):
        if count:
            click.echo(f"  {name.replace('_', ' ')}: {count}")


COMMANDS = (seed_demo_command, export_command, import_group, backup_command, restore_command, uploads_group)
