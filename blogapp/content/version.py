"""The version of what readers see: changes counted as they are made, page validators, values kept per version.

Every reader page, feed and sitemap shows rows of CONTENT_MODELS; a flush that changes one of them bumps a
counter, in the same transaction. With the newest live publish time (a scheduled article goes live without
any write) and the release (code, templates, static files, site settings) it makes the ETag and Last-Modified
of every reader page, and the key under which values shared by many pages are worked out once (`remember`).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import bindparam, event, func, insert, select, update
from sqlalchemy.orm import Session

from .. import caches
from ..extensions import db
from ..models import (
    Article,
    Author,
    BestBet,
    BestBetArticle,
    Category,
    Page,
    Redirect,
    Setting,
    SiteVersion,
    Tag,
    Upload,
    utcnow,
)
from .raw_query import reading

# Everything a reader page, feed or sitemap shows comes from these tables (uploads: featured images' alt text).
CONTENT_MODELS = (Article, Author, BestBet, BestBetArticle, Category, Page, Redirect, Setting, Tag, Upload)
# In the WSGI environ once this request's validators are read (the fast path reads them before Flask does).
VALIDATORS_KEY = "blogapp.validators"
_RELEASE_KEY = "blogapp.release"
T = TypeVar("T")

caches.declare(
    "content.remembered",
    holds="values many reader pages share (listing totals, sidebar lists, names, the disclaimer), with their ETag",
    bound="10,000 entries",
    cleared_by="a new content version: an entry remembered under an older ETag is worked out again",
)

_NOW = bindparam("now")
_VALIDATOR_QUERY = select(
    select(SiteVersion.version).where(SiteVersion.id == 1).scalar_subquery().label("version"),
    select(SiteVersion.changed_at).where(SiteVersion.id == 1).scalar_subquery().label("changed_at"),
    # A scheduled article going live changes pages without any write, so its time is part of the validator.
    select(func.max(Article.published_at)).where(Article.is_visible(_NOW)).scalar_subquery().label("live"),
)


@dataclass(frozen=True)
class Validators:
    """What every reader page's ETag and Last-Modified say now."""

    etag: str
    last_modified: datetime  # aware, UTC, whole seconds


def bump(session: Session) -> None:
    """Count a change to what readers see, in the caller's transaction."""
    connection = session.connection()
    now = utcnow()
    stmt = update(SiteVersion).where(SiteVersion.id == 1).values(version=SiteVersion.version + 1, changed_at=now)
    if connection.execute(stmt).rowcount == 0:
        connection.execute(insert(SiteVersion).values(id=1, version=1, changed_at=now))


def _after_flush(session: Session, _flush_context) -> None:
    changed = any(
        isinstance(obj, CONTENT_MODELS) and (obj in session.deleted or obj in session.new or session.is_modified(obj))
        for obj in chain(session.new, session.dirty, session.deleted)
    )
    if changed:
        bump(session)


def current_validators(app: Flask) -> Validators:
    """Return the validators of every reader page now (the app is passed: the fast path runs without a context)."""
    release, engine = app.extensions[_RELEASE_KEY]
    with reading(engine) as reader:
        row = reader.first(_VALIDATOR_QUERY, now=utcnow())
    changed_at = row.changed_at or datetime(2000, 1, 1)
    live = row.live or changed_at
    stamp = max(changed_at, live).replace(microsecond=0, tzinfo=UTC)
    return Validators(etag=f"{release}-{row.version or 0}-{int(live.timestamp())}", last_modified=stamp)


def for_request() -> Validators:
    """Return this request's validators, read once (outside a request: read now)."""
    app = current_app._get_current_object()
    if not has_request_context():
        return current_validators(app)
    if "content_validators" not in g:
        g.content_validators = request.environ.get(VALIDATORS_KEY) or current_validators(app)
    return g.content_validators


def remember(key: str, compute: Callable[[], T]) -> T:
    """Return `compute()`, worked out once per content version in this process."""
    remembered = caches.of(current_app, "content.remembered")
    etag = for_request().etag
    known = remembered.get(key)
    if known is not None and known[0] == etag:
        return known[1]
    value = compute()
    remembered.put(key, (etag, value))
    return value


def _release_hash(app: Flask) -> str:
    """Hash the code, templates, static files and site settings, so a new release changes every validator."""
    digest = hashlib.sha1()
    for folder in (app.root_path, app.template_folder, app.static_folder):
        root = Path(folder)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".xml", ".css", ".js", ".txt", ".toml", ".md"}:
                digest.update(path.relative_to(root.parent).as_posix().encode() + path.read_bytes())
    for key in sorted(app.config):
        if key.startswith(("SITE_", "ARTICLES_PER_PAGE", "SITEMAP_", "CACHE_")):
            digest.update(f"{key}={app.config[key]!r}".encode())
    return digest.hexdigest()[:10]


def init_app(app: Flask) -> None:
    """Count content changes on every flush; work out the release; keep the per-version values."""
    if not event.contains(FlaskSession, "after_flush", _after_flush):
        event.listen(FlaskSession, "after_flush", _after_flush)
    with app.app_context():
        app.extensions[_RELEASE_KEY] = (_release_hash(app), db.engine)
    caches.for_app(app, "content.remembered", caches.LRU(10_000))
