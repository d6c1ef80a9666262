"""/healthz: whether this process can serve (database and search index) and how far the index lags."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text

from ..extensions import db
from ..models import SearchQueueItem, utcnow
from ..search import get_index

bp = Blueprint("health", __name__)
# Queued index changes are normal (a commit waits for the index lock, a background thread retries), so only a
# queue whose oldest change is this old is reported as not ok: the retries are failing, search is drifting from
# the database. It does not turn the status to "unavailable": taking every server out of rotation for it would
# stop the reader pages, which do not need the index.
QUEUE_MAX_AGE_SECONDS = 3600


@bp.get("/healthz")
def healthz():
    """Report whether the database answers and the search index opens: 200 if both do, 503 otherwise."""
    database, queue = _check_database()
    search_index = _check_index()
    healthy = database["ok"] and queue.get("error") is None and search_index["ok"]
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "search_index": search_index,
        "queue": queue,
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_database() -> tuple[dict, dict]:
    """Run `SELECT 1`, then read the search queue, on a connection of its own."""
    # Any failure is reported, never raised: a health check that answers 500 says nothing about why.
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            return {"ok": True}, _read_queue(connection)
    except Exception as exc:
        current_app.logger.warning("healthz: database unreachable: %r", exc)
        queue = {"pending": None, "oldest_seconds": None, "ok": False, "error": "the database is unreachable"}
        return {"ok": False, "error": f"the database did not answer ({type(exc).__name__})"}, queue


def _read_queue(connection) -> dict:
    """Return the number of index changes waiting and the age of the oldest, in seconds."""
    try:
        stmt = select(func.count(SearchQueueItem.id), func.min(SearchQueueItem.queued_at))
        pending, oldest = connection.execute(stmt).one()
    except Exception as exc:
        current_app.logger.warning("healthz: search queue not readable: %r", exc)
        # The database answers, but without its tables no page can be served either.
        error = "the search queue cannot be read; is the database initialised (`flask --app blogapp init`)?"
        return {"pending": None, "oldest_seconds": None, "ok": False, "error": error}
    age = round(max(0.0, (utcnow() - oldest).total_seconds()), 1) if oldest is not None else None
    return {"pending": pending, "oldest_seconds": age, "ok": age is None or age <= QUEUE_MAX_AGE_SECONDS}


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
        # Searches are still answered from what it holds, so like an old queue this does not turn the status to
        # "unavailable"; without it, nothing would show for an hour (QUEUE_MAX_AGE_SECONDS) that saves pile up.
        warning = "the search index is read-only: saves are queued, not searchable, until it can be written again"
        return {"ok": True, "documents": documents, "writable": False, "warning": warning}
    return {"ok": True, "documents": documents}
