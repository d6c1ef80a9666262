"""Answer anonymous readers' revalidations and page-cache hits before Flask builds a request around them.

Most traffic a widely shared article brings is the same page again and again: a 304 or a stored copy. For
those the whole answer is one small query (the validators) and a lookup, so the rest of a Flask request
(request context, session, before/after hooks) would be most of the cost. Everything else, and every
request with a session cookie, goes to Flask unchanged, which then reuses the validators read here.
"""

from functools import lru_cache

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from . import freshness, popularity, security


class ReaderFastPath:
    """WSGI middleware in front of the Flask app's own WSGI callable."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.cacheable_path = lru_cache(maxsize=4096)(self._cacheable_path)
        self._known_headers: dict[tuple, tuple[str, list[tuple[str, str]]]] = {}

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or self.cookie_name in environ.get("HTTP_COOKIE", ""):
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        if "\x00" in request.full_path or not self.cacheable_path(request.path):
            return self.wsgi_app(environ, start_response)
        try:
            answer = self._answer(request)
        except SQLAlchemyError:
            answer = None  # Flask tries again and, if the database is still locked, answers with the busy page
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer(self, request: Request) -> tuple[str, list[tuple[str, str]], bytes] | None:
        validators = request.environ[freshness.VALIDATORS_KEY] = freshness.current_validators(self.app)
        if not freshness.is_modified(request.environ, validators):
            status, headers = self._headers(request.environ, validators, 304, None)
            return status, headers, b""
        cached = self.app.extensions["blogapp.freshness"].cache.get(request.full_path, validators.etag)
        if cached is None:
            return None
        body, mimetype, article_id = cached
        if article_id is not None:
            popularity.count_view_of(self.app, article_id)
        status, headers = self._headers(request.environ, validators, 200, mimetype)
        return status, [*headers, ("Content-Length", str(len(body)))], body

    def _headers(self, environ, validators, code: int, mimetype: str | None) -> tuple[str, list]:
        """Return the status line and headers Flask would send, built once per content version."""
        secure = environ["wsgi.url_scheme"] == "https"
        key = (validators.etag, secure, code, mimetype)
        known = self._known_headers.get(key)
        if known is None:
            response = Response(status=code, mimetype=mimetype)
            freshness.cache_headers(response, validators, self.app.config)
            security.set_headers(response, secure)
            sent = response.get_wsgi_headers(environ)  # as Werkzeug sends it (a 304 carries no Content-Type)
            headers = [(name, value) for name, value in sent.items() if name != "Content-Length"]
            known = (response.status, headers)
            if len(self._known_headers) >= 64:  # old content versions
                self._known_headers.clear()
            self._known_headers[key] = known
        return known

    def _cacheable_path(self, path: str) -> bool:
        """Tell whether `path` is a reader page, feed or sitemap (whose answers carry the site's validators)."""
        adapter = self.app.url_map.bind("localhost")
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except (RequestRedirect, HTTPException):
            return False
        blueprint = endpoint.rpartition(".")[0]
        return blueprint in freshness.CACHED_BLUEPRINTS


def init_app(app: Flask) -> None:
    """Put the fast path in front of the app (inside ProxyFix, which must see requests first)."""
    app.wsgi_app = ReaderFastPath(app, app.wsgi_app)
