"""HTTP freshness for anonymous readers: validators that follow the content, 304s and a rendered-page cache."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TypeVar

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, insert, update
from sqlalchemy.orm import Session
from werkzeug.http import is_resource_modified

from . import popularity
from .extensions import db
from .models import Article, Author, Category, Redirect, Setting, SiteVersion, Tag, utcnow
from .validator_query import ValidatorQuery

# Everything a reader page, feed or sitemap shows comes from these tables.
CONTENT_MODELS = (Article, Author, Category, Redirect, Setting, Tag)
CACHED_BLUEPRINTS = {"reader", "feeds"}
VALIDATORS_KEY = "blogapp.validators"  # in the WSGI environ when the fast path has read them already
T = TypeVar("T")


def _after_flush(session: Session, _flush_context) -> None:
    changed = any(
        isinstance(obj, CONTENT_MODELS) and (obj in session.deleted or obj in session.new or session.is_modified(obj))
        for obj in chain(session.new, session.dirty, session.deleted)
    )
    if changed:
        bump(session)


def bump(session: Session) -> None:
    """Count a change to what readers see, in the caller's transaction."""
    connection = session.connection()
    now = utcnow()
    stmt = update(SiteVersion).where(SiteVersion.id == 1).values(version=SiteVersion.version + 1, changed_at=now)
    if connection.execute(stmt).rowcount == 0:
        connection.execute(insert(SiteVersion).values(id=1, version=1, changed_at=now))


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime  # aware, UTC, whole seconds


def current_validators(app: Flask | None = None) -> Validators:
    """Return the validators of every reader page now: the change counter and the newest live article.

    Outside an app context (the fast path does without one) the app is passed in.
    """
    app = app or current_app._get_current_object()
    state = app.extensions["blogapp.freshness"]
    if state.validator_query is None:
        with app.app_context():
            state.validator_query = ValidatorQuery(db.engine)
    version, changed_at, live = state.validator_query.run(utcnow())
    changed_at = changed_at or datetime(2000, 1, 1)
    live = live or changed_at
    stamp = max(changed_at, live).replace(microsecond=0, tzinfo=UTC)
    return Validators(etag=f"{state.release}-{version or 0}-{int(live.timestamp())}", last_modified=stamp)


class PageCache:
    """Rendered bodies of anonymous reader pages, keyed by path and validated by ETag; least recently used go."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, tuple[str, bytes, str, int | None]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, etag: str) -> tuple[bytes, str, int | None] | None:
        """Return (body, mimetype, article id) if the page was stored under this ETag."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != etag:
                return None
            self._pages.move_to_end(key)
            return entry[1:]

    def put(self, key: str, etag: str, body: bytes, mimetype: str, article_id: int | None) -> None:
        """Store a page, dropping the least recently used ones beyond the size limit."""
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes += len(body) - (len(old[1]) if old else 0)
            self._pages[key] = (etag, body, mimetype, article_id)
            while self._bytes > self.max_bytes:
                _, (_, dropped, _, _) = self._pages.popitem(last=False)
                self._bytes -= len(dropped)


@dataclass
class Freshness:
    release: str
    cache: PageCache
    # Values shared by many pages (listing totals), each with the ETag it was computed under.
    remembered: dict[str, tuple[str, object]] = field(default_factory=dict)
    validator_query: ValidatorQuery | None = None


def content_etag() -> str:
    """Return the ETag that reader pages have now (looked up once per request)."""
    if "validators" in g:
        return g.validators.etag
    if "content_validators" not in g:  # a team member's request: never cached, but may reuse remembered values
        g.content_validators = current_validators()
    return g.content_validators.etag


def remember(key: str, compute: Callable[[], T]) -> T:
    """Return `compute()`, worked out once per content version in this process."""
    remembered = current_app.extensions["blogapp.freshness"].remembered
    etag = content_etag()
    known = remembered.get(key)
    if known is not None and known[0] == etag:
        return known[1]
    value = compute()
    remembered[key] = (etag, value)
    return value


class ReaderSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, except that public reader pages do not say they vary by cookie.

    They are the same for everyone; team members (who carry a cookie) get them uncached instead.
    """

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # as Flask would, without building its signing serializer first
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        public = response.cache_control.public
        if public and not session and not session.modified:
            return  # no cookie to set or delete, and no Vary: Cookie (Flask's own outcome, reached sooner)
        super().save_session(app, session, response)
        if public:
            response.vary.discard("Cookie")


def _release_hash(app: Flask) -> str:
    """Hash the code, templates, static files and site settings, so a new release changes every validator."""
    root = Path(app.root_path).parent
    digest = hashlib.sha1()
    for folder in ("blogapp", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".xml", ".css", ".js", ".txt", ".toml", ".md"}:
                digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    for key in sorted(app.config):
        if key.startswith(("SITE_", "ARTICLES_PER_PAGE", "SITEMAP_", "CACHE_")):
            digest.update(f"{key}={app.config[key]!r}".encode())
    return digest.hexdigest()[:10]


def _cacheable() -> bool:
    """Tell whether this request is an anonymous GET of a reader page, feed or sitemap."""
    return (
        request.method in ("GET", "HEAD")
        and request.blueprint in CACHED_BLUEPRINTS
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def is_modified(environ: dict, validators: Validators) -> bool:
    """Tell whether the request's If-None-Match / If-Modified-Since no longer match the validators."""
    return is_resource_modified(environ, etag=validators.etag, last_modified=validators.last_modified)


def cache_headers(response: Response, validators: Validators, config) -> Response:
    """Give an anonymous reader's answer its validators and public caching headers."""
    values = _cache_header_values(validators, config["CACHE_MAX_AGE"], config["CACHE_STALE_WHILE_REVALIDATE"])
    for name, value in values:
        response.headers[name] = value
    return response


@lru_cache(maxsize=64)
def _cache_header_values(validators: Validators, max_age: int, stale: int) -> tuple[tuple[str, str], ...]:
    # Worked out by Werkzeug once per content version, not per answer (it formats dates and directives slowly).
    response = Response()
    response.set_etag(validators.etag, weak=True)
    response.last_modified = validators.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.stale_while_revalidate = stale
    return tuple((name, response.headers[name]) for name in ("ETag", "Last-Modified", "Cache-Control"))


def _answer_from_validators():
    if not _cacheable():
        return None
    validators = g.validators = request.environ.get(VALIDATORS_KEY) or current_validators()
    if not is_modified(request.environ, validators):
        return cache_headers(Response(status=304), validators, current_app.config)
    cached = current_app.extensions["blogapp.freshness"].cache.get(request.full_path, validators.etag)
    if cached is None:
        return None
    body, mimetype, article_id = cached
    if article_id is not None:
        popularity.count_view(article_id)
    g.from_page_cache = True
    return cache_headers(Response(body, mimetype=mimetype), validators, current_app.config)


def _add_validators(response: Response) -> Response:
    if request.endpoint == "static":
        return _static_headers(response)
    validators = g.get("validators")
    if validators is None:
        if request.blueprint in CACHED_BLUEPRINTS:
            response.cache_control.no_store = True  # a team member's view of the site is never stored
        return response
    if g.get("from_page_cache") or response.status_code != 200:
        return response
    cache_headers(response, validators, current_app.config)
    if current_app.config["PAGE_CACHE_BYTES"] and not response.is_streamed:
        body = response.get_data()
        current_app.extensions["blogapp.freshness"].cache.put(
            request.full_path, validators.etag, body, response.mimetype, g.get("viewed_article_id")
        )
    return response


@lru_cache(maxsize=256)
def _file_hash(path: str, _mtime_ns: int) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]


def static_fingerprint(filename: str) -> str | None:
    """Return the content hash of a static file (None if it does not exist)."""
    path = Path(current_app.static_folder, filename)
    try:
        return _file_hash(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    # Every url_for("static", …) carries the file's content hash, so its URL changes exactly when the file does.
    if endpoint == "static" and "filename" in values and "v" not in values:
        fingerprint = static_fingerprint(values["filename"])
        if fingerprint:
            values["v"] = fingerprint


def _static_headers(response: Response) -> Response:
    wanted = request.args.get("v")
    if response.status_code == 200 and wanted and wanted == static_fingerprint(request.view_args["filename"]):
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Count content changes on every flush and answer anonymous reader requests from validators and cache."""
    if not event.contains(FlaskSession, "after_flush", _after_flush):
        event.listen(FlaskSession, "after_flush", _after_flush)
    app.extensions["blogapp.freshness"] = Freshness(_release_hash(app), PageCache(app.config["PAGE_CACHE_BYTES"]))
    app.session_interface = ReaderSessionInterface()
    app.before_request(_answer_from_validators)
    app.after_request(_add_validators)
    app.url_defaults(_fingerprint_static_urls)
