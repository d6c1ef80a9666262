"""Answer anonymous readers' revalidations and page-cache hits before Flask builds a request around them.

Most traffic a widely shared article brings is the same page again and again: a 304 or a stored copy. For
those the whole answer is one small query (the validators) and a lookup, so the rest of a Flask request
(request context, session, before/after hooks) would be most of the cost. Everything else, and every
request with a session cookie, goes to Flask unchanged, which then reuses the validators read here.
"""

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from .. import caches
from ..content.version import VALIDATORS_KEY, current_validators
from ..web import security
from .freshness import CACHED_BLUEPRINTS, StoredAnswer, cache_headers, stored_answer
from .page_cache import page_key

caches.declare(
    "serving.fast_path",
    holds="whether each path is a reader page, feed or sitemap; the headers of each kind of stored answer",
    bound="4,096 paths; 64 header sets",
    cleared_by="nothing for paths (the URL map never changes); header sets when 64 content versions are kept",
)


class ReaderFastPath:
    """WSGI middleware in front of the Flask app's own WSGI callable."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.cacheable_path = caches.LRU(4096)
        self._known_headers: dict[tuple, tuple[str, list[tuple[str, str]]]] = {}
        self.trusted_hosts = app.config["TRUSTED_HOSTS"]

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or self.cookie_name in environ.get("HTTP_COOKIE", ""):
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        request.trusted_hosts = self.trusted_hosts
        if _has_nul(request) or not self._trusted(request) or not self._is_cacheable(request.path):
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
        validators = current_validators(self.app)
        request.environ[VALIDATORS_KEY] = validators  # Flask reuses them, and knows nothing was stored
        answer = stored_answer(self.app, request.environ, page_key(request), validators)
        if answer is None:
            return None
        status, headers = self._headers(request.environ, answer)
        if answer.status == 304:
            return status, headers, b""
        return status, [*headers, ("Content-Length", str(len(answer.body)))], answer.body

    def _headers(self, environ, answer: StoredAnswer) -> tuple[str, list]:
        """Return the status line and headers Flask would send, built once per content version."""
        secure = environ["wsgi.url_scheme"] == "https"
        key = (answer.validators.etag, secure, answer.status, answer.mimetype)
        known = self._known_headers.get(key)
        if known is None:
            response = Response(status=answer.status, mimetype=answer.mimetype)
            cache_headers(response, answer.validators, self.app.config)
            security.set_headers(response, secure)
            sent = response.get_wsgi_headers(environ)  # as Werkzeug sends it (a 304 carries no Content-Type)
            headers = [(name, value) for name, value in sent.items() if name != "Content-Length"]
            known = (response.status, headers)
            if len(self._known_headers) >= 64:  # old content versions
                self._known_headers.clear()
            self._known_headers[key] = known
        return known

    @staticmethod
    def _trusted(request: Request) -> bool:
        """Tell whether the Host header names this site (Flask answers 400 to the others)."""
        try:
            return bool(request.host)
        except SecurityError:
            return False

    def _is_cacheable(self, path: str) -> bool:
        """Tell whether `path` is a reader page, feed or sitemap (whose answers carry the site's validators)."""
        known = self.cacheable_path.get(path)
        if known is None:
            known = self._match(path)
            self.cacheable_path.put(path, known)
        return known

    def _match(self, path: str) -> bool:
        adapter = self.app.url_map.bind("localhost")
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except (RequestRedirect, HTTPException):
            return False
        return endpoint.rpartition(".")[0] in CACHED_BLUEPRINTS


def _has_nul(request: Request) -> bool:
    """Tell whether the path or a query parameter holds a NUL character (Flask answers those 400)."""
    return "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True))


def init_app(app: Flask) -> None:
    """Put the fast path in front of the app (inside ProxyFix, which must see requests first)."""
    app.wsgi_app = ReaderFastPath(app, app.wsgi_app)
