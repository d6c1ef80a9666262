"""blogapp: a server-rendered blog engine with first-class search."""

import os
from itertools import chain

from flask import Flask, abort, render_template, request
from flask_login import current_user
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import fastpath, freshness, popularity, search, security
from .extensions import csrf, db, login_manager, migrate
from .models import MAX_ID


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults, then instance/config.py, then BLOGAPP_* env, then `test_config`."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.path.join(root, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.from_object("blogapp.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BLOGAPP")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)
    _fill_instance_defaults(app)
    _set_sqlite_busy_timeout(app)
    security.init_app(app)
    fastpath.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.before_request(_refuse_nul_characters)

    db.init_app(app)
    csrf.init_app(app)
    # Batch mode: SQLite can only change a table's columns and constraints by copying the table.
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"), render_as_batch=True)
    search.init_app(app)
    popularity.init_app(app)
    freshness.init_app(app)

    from . import admin, auth, cli, feeds, health, media, reader, templating
    from .search import views as search_views

    app.register_blueprint(reader.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(health.bp)
    auth.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    _register_error_pages(app)
    return app


class IdConverter(IntegerConverter):
    """`<int:…>` in our URLs: at most MAX_ID, so a larger number is not found instead of overflowing the database."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _fill_instance_defaults(app: Flask) -> None:
    """Point the database and index at the instance folder unless configured elsewhere."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "blogapp.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = os.path.join(app.instance_path, "search-index")
    if not app.config.get("UPLOADS_DIR"):
        app.config["UPLOADS_DIR"] = os.path.join(app.instance_path, "uploads")
    if not app.config.get("SEARCH_SYNONYMS_FILE"):
        app.config["SEARCH_SYNONYMS_FILE"] = os.path.join(app.instance_path, "synonyms.txt")


def _set_sqlite_busy_timeout(app: Flask) -> None:
    """Give SQLite connections the configured busy timeout (how long a statement waits for another's lock)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Python's sqlite3 passes its connect timeout to sqlite3_busy_timeout.
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        connect_args = {**options.get("connect_args", {}), "timeout": float(app.config["SQLITE_BUSY_TIMEOUT"])}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse_nul_characters() -> None:
    """Answer 400 to a request with a NUL character in its path, query or form."""
    # No address or form of ours takes one, and PostgreSQL cannot store or compare one (SQLite can).
    fields = request.args.items(multi=True)
    if request.mimetype in _FORM_TYPES:  # the only requests Werkzeug reads a form from (saves parsing none)
        fields = chain(fields, request.form.items(multi=True))
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in fields):
        abort(400)


def _register_error_pages(app: Flask) -> None:
    """Render errors as pages in the site's style."""

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(413)
    @app.errorhandler(429)
    def client_error(error):
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(OperationalError)
    def database_busy(_error):
        # A write that waited longer than the busy timeout (SQLite) or a dropped connection: retryable.
        db.session.rollback()
        _forget_unreadable_user()
        return render_template("errors/busy.html"), 503, {"Retry-After": "5"}

    @app.errorhandler(search.SearchUnavailable)
    def search_unavailable(_error):
        return render_template("errors/search_unavailable.html"), 503

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        _forget_unreadable_user()
        return render_template("errors/500.html"), 500


def _forget_unreadable_user() -> None:
    """Render this error page as for a reader when the database cannot say who is signed in."""
    # Every template render loads the signed-in user (Flask-Login's context processor); with the database locked
    # or gone that query would fail again inside the error handler and turn the page into a bare 500.
    try:
        current_user._get_current_object()
    except SQLAlchemyError:
        db.session.rollback()
        login_manager._update_request_context_with_user()  # anonymous for this response; the session cookie stays
