"""Error pages in the site's style, including when the database is busy or cannot say who is signed in."""

from flask import Flask, render_template
from flask_login import current_user
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..extensions import db, login_manager
from ..logs import request_id


def init_app(app: Flask) -> None:
    """Render errors as pages in the site's style."""

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(413)
    @app.errorhandler(429)
    def client_error(error):
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(503)
    def busy(error):
        # Costly work with every slot taken (web/busy.py): say so at once rather than queue the reader.
        retry_after = getattr(error, "retry_after", None) or 5
        return render_template("errors/busy.html", reason=error.description), 503, {"Retry-After": str(retry_after)}

    @app.errorhandler(OperationalError)
    def database_busy(_error):
        # A write that waited longer than the busy timeout (SQLite) or a dropped connection: retryable.
        db.session.rollback()
        page = render_template("errors/busy.html", request_id=request_id.get(), **_reader_if_unreadable())
        return page, 503, {"Retry-After": "5"}

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_template("errors/500.html", request_id=request_id.get(), **_reader_if_unreadable()), 500


def _reader_if_unreadable() -> dict:
    """Return template values that show this error page as to a reader when the database cannot say who is in."""
    # Every template that shows the member loads them through the lazy `current_user`; with the database locked or
    # gone that query would fail again inside the error handler and turn the page into a bare 500. The page gets an
    # anonymous user of its own instead (public API only: the session cookie stays, Flask-Login's state is untouched).
    try:
        current_user._get_current_object()
    except SQLAlchemyError:
        db.session.rollback()
        return {"current_user": login_manager.anonymous_user()}
    return {}
