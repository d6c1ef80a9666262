"""/healthz: whether this node can serve (database and search index) and how far its index lags the change log."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from ..models import utcnow
from ..search import get_index

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report whether the database answers, the index opens and lags the log less than the bound: 200, else 503."""
    database, change_log = _check_database()
    search_index = _check_index()
    healthy = database["ok"] and change_log["ok"] and search_index["ok"]
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "search_index": search_index,
        "log": change_log,
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_database() -> tuple[dict, dict]:
    """Run `SELECT 1` on a connection of its own, then read how far this node's index lags the change log."""
    # Any failure is reported, never raised: a health check that answers 500 says nothing about why.
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        current_app.logger.warning("healthz: database unreachable: %r", exc)
        change_log = {"position": None, "pending": None, "lag_seconds": None, "ok": False}
        return {"ok": False, "error": f"the database did not answer ({type(exc).__name__})"}, change_log
    return {"ok": True}, _read_lag()


def _read_lag() -> dict:
    """Return this node's log position, the entries it has not applied and the age of the oldest, in seconds.

    A node whose oldest unapplied change is older than SEARCH_MAX_LAG_SECONDS is not ok: its searches miss
    changes other nodes show, so a load balancer takes it out until it has caught up (whoever wrote them).
    """
    index = get_index()
    try:
        pending, oldest = index.lag()
    except Exception as exc:
        current_app.logger.warning("healthz: search change log not readable: %r", exc)
        # The database answers, but without its tables no page can be served either.
        error = "the search change log cannot be read; is the database initialised (`flask --app blogapp init`)?"
        return {"position": None, "pending": None, "lag_seconds": None, "ok": False, "error": error}
    lag = round(max(0.0, (utcnow() - oldest).total_seconds()), 1) if oldest is not None else 0.0
    ok = lag <= current_app.config["SEARCH_MAX_LAG_SECONDS"]
    return {"position": index.position(), "pending": pending, "lag_seconds": lag, "ok": ok}


def _check_index() -> dict:
    """Open the search index and count its documents; say so when it cannot be written."""
    index = get_index()
    try:
        documents = index.open().doc_count()
    except Exception as exc:
        # The detail (paths, low-level errors) goes to the log, not to whoever asks /healthz.
        current_app.logger.warning("healthz: search index unavailable: %r", exc)
        return {"ok": False, "error": "the search index cannot be opened; run `flask --app blogapp search rebuild`"}
    if not index.writable():
        # Searches are still answered from what it holds, so this alone does not turn the status to "unavailable"
        # (a lag past SEARCH_MAX_LAG_SECONDS does); it says early why saves are not searchable yet.
        warning = "the search index is read-only: saves are logged, not searchable, until it can be written again"
        return {"ok": True, "documents": documents, "writable": False, "warning": warning}
    return {"ok": True, "documents": documents}
