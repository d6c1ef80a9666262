"""HTTP freshness for anonymous readers: the one answer from validators (a 304 or a stored page), and storing pages."""

from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from werkzeug.http import is_resource_modified

from .. import caches, metrics
from ..content.version import VALIDATORS_KEY, Validators, for_request
from ..reader.popularity import count_view_of
from .page_cache import PageCache, page_key
from .sessions import ReaderSessionInterface

CACHED_BLUEPRINTS = {"reader", "feeds"}


@dataclass(frozen=True)
class StoredAnswer:
    """What a reader gets without a page being rendered: a 304, or a page from the cache."""

    status: int
    validators: Validators
    body: bytes = b""
    mimetype: str | None = None


def stored_answer(app: Flask, environ: dict, key: str | None, validators: Validators) -> StoredAnswer | None:
    """Return the answer these validators allow without rendering: a 304, a stored page (its view counted), or None.

    `key` is the page's page_key (None: a page never kept).
    """
    if not is_resource_modified(environ, etag=validators.etag, last_modified=validators.last_modified):
        metrics.PAGE_NOT_MODIFIED.inc()
        return StoredAnswer(304, validators)
    stored = caches.of(app, "serving.page_cache").get(key, validators.etag) if key else None
    if stored is None:
        metrics.PAGE_MISS.inc()
        return None
    metrics.PAGE_HIT.inc()
    body, mimetype, article_id = stored
    if article_id is not None:
        count_view_of(app, article_id)
    return StoredAnswer(200, validators, body, mimetype)


def cache_headers(response: Response, validators: Validators, config) -> Response:
    """Give an anonymous reader's answer its validators and public caching headers."""
    values = _cache_header_values(validators, config["CACHE_MAX_AGE"], config["CACHE_STALE_WHILE_REVALIDATE"])
    for name, value in values:
        response.headers[name] = value
    return response


@caches.memoize(
    "serving.cache_headers",
    maxsize=64,
    holds="the ETag, Last-Modified and Cache-Control header values of a content version",
    cleared_by="a new content version: the key changes; least recently used go",
)
def _cache_header_values(validators: Validators, max_age: int, stale: int) -> tuple[tuple[str, str], ...]:
    # Worked out by Werkzeug once per content version, not per answer (it formats dates and directives slowly).
    response = Response()
    response.set_etag(validators.etag, weak=True)
    response.last_modified = validators.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.stale_while_revalidate = stale
    return tuple((name, response.headers[name]) for name in ("ETag", "Last-Modified", "Cache-Control"))


def _cacheable() -> bool:
    """Tell whether this request is an anonymous GET of a reader page, feed or sitemap."""
    return (
        request.method in ("GET", "HEAD")
        and request.blueprint in CACHED_BLUEPRINTS
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def _answer_without_rendering() -> Response | None:
    if not _cacheable():
        return None
    validators = g.page_validators = for_request()
    if VALIDATORS_KEY in request.environ:
        return None  # the fast path read them and found nothing stored: the page must be rendered
    key = page_key(request)
    answer = stored_answer(current_app._get_current_object(), request.environ, key, validators)
    if answer is None:
        return None
    g.from_page_cache = True
    response = Response(answer.body, status=answer.status, mimetype=answer.mimetype)
    return cache_headers(response, validators, current_app.config)


def _add_validators_and_store(response: Response) -> Response:
    validators = g.get("page_validators")
    if validators is None:
        if request.blueprint in CACHED_BLUEPRINTS:
            response.cache_control.no_store = True  # a team member's view of the site is never stored
        return response
    if g.get("from_page_cache") or response.status_code != 200:
        return response
    cache_headers(response, validators, current_app.config)
    key = page_key(request)
    if key and "?page=" in key and not g.get("numbered_page"):
        key = None  # `?page=N` on a page that has no pages: rendered as asked, never kept (one key per N)
    if key and current_app.config["PAGE_CACHE_BYTES"] and not response.is_streamed and not g.get("unfinished_page"):
        body = response.get_data()
        caches.of(current_app, "serving.page_cache").put(
            key, validators.etag, body, response.mimetype, g.get("viewed_article_id")
        )
    return response


def init_app(app: Flask) -> None:
    """Answer anonymous readers from validators and stored pages, and store the pages rendered for them."""
    caches.for_app(app, "serving.page_cache", PageCache(app.config["PAGE_CACHE_BYTES"]))
    app.session_interface = ReaderSessionInterface()
    app.before_request(_answer_without_rendering)
    app.after_request(_add_validators_and_store)
