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

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or self.cookie_name in environ.get("HTTP_COOKIE", ""):
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        if "\x00" in request.full_path or not self.cacheable_path(request.path):
            return self.wsgi_app(environ, start_response)
        try:
            with self.app.app_context():
                response = self._answer(request)
        except SQLAlchemyError:
            response = None  # Flask tries again and, if the database is still locked, answers with the busy page
        if response is None:
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response | None:
        validators = request.environ[freshness.VALIDATORS_KEY] = freshness.current_validators()
        if not freshness.is_modified(request.environ, validators):
            return self._finish(Response(status=304), validators, request)
        cached = self.app.extensions["blogapp.freshness"].cache.get(request.full_path, validators.etag)
        if cached is None:
            return None
        body, mimetype, article_id = cached
        if article_id is not None:
            popularity.count_view_of(self.app, article_id)
        return self._finish(Response(body, mimetype=mimetype), validators, request)

    def _finish(self, response: Response, validators, request: Request) -> Response:
        freshness.cache_headers(response, validators, self.app.config)
        security.set_headers(response, request.scheme == "https")
        return response

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
