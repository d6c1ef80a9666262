"""Result clicks: which position readers open for each query, counted per day and nothing else.

A result page carries, for each result, a token the server signed (query, position, article): the page's script
sends it back when the result is opened, so a count needs no session, no CSRF cookie, and cannot be made up for
a query or position nobody was shown. Clicks are gathered in memory and added to their day's row in batches.
"""

from collections import Counter
from datetime import timedelta

from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..content.batches import Batch, start_batch
from ..models import SearchClick, utcnow
from .querylog import normalise

_CLICKS = "blogapp.search.clicks"
TOKEN_SECONDS = 24 * 3600  # a result page left open longer than this no longer counts its clicks
MAX_TOKEN_CHARS = 1000
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="blogapp.search-click")


def click_token(text: str, position: int, article_id: int) -> str:
    """Return the signed token that counts a click on the result at `position` of the search `text`."""
    return _serializer().dumps([normalise(text), position, article_id])


def read_click_token(token: str) -> tuple[str, int] | None:
    """Return the (query, position) a token counts, or None when it is forged, malformed or expired."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        query, position, article_id = _serializer().loads(token, max_age=TOKEN_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    valid = isinstance(query, str) and query and isinstance(position, int) and isinstance(article_id, int)
    return (query, position) if valid and position > 0 else None


def record_click(query: str, position: int) -> None:
    """Count one opened result; it is written with the next batch (see `init_app`)."""
    current_app.extensions[_CLICKS].add((query, utcnow().date(), position))


def _write_clicks(session: Session, clicks: list[tuple]) -> None:
    # One upsert per distinct (query, day, position) of the batch, sent as one executemany.
    counted = Counter(clicks)
    rows = [{"query": q, "day": d, "position": p, "clicks": n} for (q, d, p), n in counted.items()]
    stmt = _UPSERTS[session.get_bind().dialect.name](SearchClick)
    keys = [SearchClick.query, SearchClick.day, SearchClick.position]
    upsert = stmt.on_conflict_do_update(index_elements=keys, set_={"clicks": SearchClick.clicks + stmt.excluded.clicks})
    session.execute(upsert, rows)
    cutoff = utcnow().date() - timedelta(days=current_app.config["SEARCH_LOG_DAYS"])
    session.execute(delete(SearchClick).where(SearchClick.day < cutoff))


def pending_clicks(app: Flask) -> Batch:
    """Return the app's clicks not written yet."""
    return app.extensions[_CLICKS]


def init_app(app: Flask) -> None:
    """Give the app its click batch, written as often as the search log and when the process exits."""
    start_batch(app, _CLICKS, "search result clicks", app.config["SEARCH_LOG_FLUSH_SECONDS"], _write_clicks)
