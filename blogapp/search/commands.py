"""`flask search …`: rebuild the index, check it against the database, list what readers search for."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from ..models import Article
from .errors import SearchUnavailable
from .index import for_app
from .querylog import top_queries

search_group = AppGroup("search", help="Maintain the search index.")


@search_group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database."""
    total = db.session.scalar(select(func.count(Article.id)).where(Article.is_live))
    with click.progressbar(length=total, label="Indexing articles") as bar:
        count = for_app(current_app).rebuild(progress=bar.update)
    click.echo(f"Indexed {count} articles.")


@search_group.command("check")
def check_command() -> None:
    """Report articles missing from or stale in the index; exit 1 on any drift."""
    index = for_app(current_app)
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
