"""`flask init`, which sets up every part of an instance, and `flask caches`; each area adds its own commands."""

import importlib
import importlib.util
import os
import secrets
import shutil
from pathlib import Path

import click
import flask_migrate
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from . import caches
from .extensions import db
from .search import SearchUnavailable, get_index
from .search.synonyms import DEFAULT_FILE as DEFAULT_SYNONYMS

BASELINE_REVISION = "0001_baseline"
CHECKOUT = Path(__file__).resolve().parent.parent


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


@click.command("caches")
def caches_command() -> None:
    """List every cache a worker process keeps: what it holds, its bound, and what clears it."""
    for info in caches.declared():
        click.echo(f"{info.name}\n  holds: {info.holds}\n  bound: {info.bound}\n  cleared by: {info.cleared_by}")


def _add_checkout_tools(app: Flask) -> None:
    """Add the measuring tools a source checkout keeps in bench/ (`seed-synthetic`, `search evaluate`)."""
    spec = importlib.util.find_spec("bench")
    # An installed package has no bench/, and another package of that name is not ours.
    if spec is None or spec.origin is None or Path(spec.origin).parent != CHECKOUT / "bench":
        return
    importlib.import_module("bench.commands").add_commands(app)


def init_app(app: Flask) -> None:
    """Add `flask init` and `flask caches`, and the checkout's tools when there are any."""
    app.cli.add_command(init_command)
    app.cli.add_command(caches_command)
    _add_checkout_tools(app)
