"""blogapp: a server-rendered blog engine with first-class search."""

import os

from flask import Flask

from . import cli, content, logs, moving, newsroom, reader, search, serving, web
from .extensions import csrf, db, limiter, migrate

# A source checkout keeps templates/, static/ and migrations/ beside the package; an installed one inside it.
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_CHECKOUT = os.path.dirname(_PACKAGE)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then instance/config.py, then BLOGAPP_* env, then `test_config`."""
    app = Flask(__name__, instance_relative_config=True, **_folders())
    app.config.from_object("blogapp.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BLOGAPP")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)
    _fill_instance_defaults(app)
    logs.init_app(app)
    _set_sqlite_busy_timeout(app)
    _ping_pooled_connections(app)
    web.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Batch mode: SQLite can only change a table's columns and constraints by copying the table.
    migrate.init_app(app, db, directory=_resource("migrations"), render_as_batch=True)
    content.init_app(app)
    search.init_app(app)
    reader.init_app(app)
    serving.init_app(app)
    newsroom.init_app(app)
    moving.init_app(app)
    cli.init_app(app)
    return app


def _resource(name: str) -> str:
    """Return the folder `name` (templates, static, migrations) of a checkout or of the installed package."""
    inside = os.path.join(_PACKAGE, name)
    return inside if os.path.isdir(inside) else os.path.join(_CHECKOUT, name)


def _folders() -> dict[str, str]:
    """Return Flask's folder options: the checkout's instance/ beside the code, else Flask's default for a package."""
    folders = {"template_folder": _resource("templates"), "static_folder": _resource("static")}
    if not os.path.isdir(os.path.join(_PACKAGE, "templates")):
        folders["instance_path"] = os.path.join(_CHECKOUT, "instance")
    return folders


def _fill_instance_defaults(app: Flask) -> None:
    """Point the database and index at the instance folder unless configured elsewhere."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "blogapp.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = os.path.join(app.instance_path, "search-index")
    if not app.config.get("UPLOADS_DIR"):
        app.config["UPLOADS_DIR"] = os.path.join(app.instance_path, "uploads")
    if not app.config.get("BACKUP_DIR"):
        app.config["BACKUP_DIR"] = os.path.join(app.instance_path, "backups")
    if not app.config.get("LOCKS_DIR"):
        app.config["LOCKS_DIR"] = os.path.join(app.instance_path, "locks")
    if not app.config.get("SITEMAP_FILES_DIR"):
        app.config["SITEMAP_FILES_DIR"] = os.path.join(app.instance_path, "sitemaps")
    if not app.config.get("SEARCH_SYNONYMS_FILE"):
        app.config["SEARCH_SYNONYMS_FILE"] = os.path.join(app.instance_path, "synonyms.txt")


def _set_sqlite_busy_timeout(app: Flask) -> None:
    """Give SQLite connections the configured busy timeout (how long a statement waits for another's lock)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Python's sqlite3 passes its connect timeout to sqlite3_busy_timeout.
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        connect_args = {**options.get("connect_args", {}), "timeout": float(app.config["SQLITE_BUSY_TIMEOUT"])}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


def _ping_pooled_connections(app: Flask) -> None:
    """Check a pooled server connection before each use (PostgreSQL), replacing one the server has closed."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Without it a connection closed by a server restart or failover, an idle reaper or pg_terminate_backend
        # failed the next request on it with the busy page (503), once per pooled connection of each worker.
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **options}
