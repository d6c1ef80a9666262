"""`flask search …`: rebuild the index, check it against the database and the log, list what readers search for."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from ..models import Article, utcnow
from . import changelog, follower, stages
from .errors import SearchUnavailable
from .index import for_app
from .querylog import top_queries

STAGE_RECORDS = 500  # the latest applies and searcher openings whose stage timings `search check` summarises
search_group = AppGroup("search", help="Maintain the search index.")


@search_group.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database."""
    total = db.session.scalar(select(func.count(Article.id)).where(Article.is_live))
    with click.progressbar(length=total, label="Indexing articles") as bar:
        count = for_app(current_app).rebuild(progress=bar.update)
    changelog.rebuilt(follower.node_name(current_app), for_app(current_app).position())
    click.echo(f"Indexed {count} articles.")


@search_group.command("check")
def check_command() -> None:
    """Report this node's log position and lag, and articles missing from or stale in its index; exit 1 on drift."""
    index = for_app(current_app)
    pending, oldest = index.lag()
    lag = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    click.echo(f"node: {follower.node_name(current_app)}  log position: {index.position()}  lag: {lag:.1f} s")
    click.echo(f"apply stages, last {STAGE_RECORDS}: {stages.describe(stages.read(index.path)[-STAGE_RECORDS:])}")
    try:
        drift = index.check()
    except SearchUnavailable as exc:
        click.echo(f"Search index unavailable: {exc}", err=True)
        sys.exit(1)
    counts = f"missing: {len(drift.missing)}  stale: {len(drift.stale)}  extra: {len(drift.extra)}"
    click.echo(f"{counts}  queued: {pending}")  # queued: log entries this node has not applied yet
    for label, ids in (("missing", drift.missing), ("stale", drift.stale), ("extra", drift.extra)):
        if ids:
            click.echo(f"{label} documents (article ids, page-<id>): {', '.join(ids[:50])}")
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
