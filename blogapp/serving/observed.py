"""Every request's id, count and time: the outermost WSGI layer, so answers of the fast path are counted too.

The id is the client's (or the proxy's) X-Request-ID when it looks like an id, else a new one; it is on every
log record written while the request is answered, in the X-Request-ID response header (gunicorn's access log
shows it from there) and on error pages.
"""

import logging
import re
import time
import uuid

from flask import Flask, request, request_started

from .. import metrics
from ..logs import request_id

REQUEST_ID_KEY = "blogapp.request_id"
ENDPOINT_KEY = "blogapp.endpoint"
# Answered before Flask builds a request (serving/fastpath.py): a stored page or a 304.
FAST_PATH = "fast_path"
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
_METHODS = {"GET", "HEAD", "POST"}
access_log = logging.getLogger("blogapp.access")


def new_request_id(offered: str | None) -> str:
    """Return the offered id when it is 1-128 plain characters (letters, digits, ._:@/+=-), else a new random one."""
    if offered and _SANE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class ObservedRequests:
    """WSGI middleware: give the request its id, then count and time its answer by endpoint and status."""

    def __init__(self, app: Flask, wsgi_app):
        self.wsgi_app = wsgi_app
        self.log_access = app.config["LOG_ACCESS"]
        self.serving = False
        # Each metric's series by its labels, looked up once (prometheus_client's labels() takes a lock and checks
        # them every time): a few endpoints × methods × statuses.
        self.series: dict[tuple[str, str, str], tuple] = {}

    def __call__(self, environ, start_response):
        if not self.serving:
            self.serving = True
            metrics.note_serving_process()
        rid = new_request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ[REQUEST_ID_KEY] = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        answered = []

        def start_with_id(status, headers, exc_info=None):
            answered.append(status)
            # A new list: the fast path hands over header lists it keeps for the next answer.
            return start_response(status, [*headers, ("X-Request-ID", rid)], exc_info)

        try:
            return self.wsgi_app(environ, start_with_id)
        finally:
            self._record(environ, answered[0][:3] if answered else "500", time.perf_counter() - started)
            request_id.reset(token)

    def _record(self, environ, status: str, seconds: float) -> None:
        endpoint = environ.get(ENDPOINT_KEY, FAST_PATH)
        method = environ.get("REQUEST_METHOD", "")
        key = (endpoint, method if method in _METHODS else "other", status)
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = (metrics.REQUESTS.labels(*key), metrics.REQUEST_SECONDS.labels(endpoint))
        series[0].inc()
        series[1].observe(seconds)
        if self.log_access:
            path = environ.get("PATH_INFO", "")
            query = environ.get("QUERY_STRING")
            access_log.info(
                "%s %s %s %.1f ms",
                method,
                path,
                status,
                seconds * 1000,
                extra={
                    "method": method,
                    "path": path + (f"?{query}" if query else ""),
                    "status": int(status),
                    "duration_ms": round(seconds * 1000, 3),
                    "remote_addr": environ.get("REMOTE_ADDR"),
                    "user_agent": environ.get("HTTP_USER_AGENT"),
                },
            )


def _note_endpoint(_app, **_extra) -> None:
    """Tell the middleware which endpoint Flask routed the request to (the metrics' label)."""
    request.environ[ENDPOINT_KEY] = request.url_rule.endpoint if request.url_rule else "unrouted"


def init_app(app: Flask) -> None:
    """Wrap the app (and any middleware already around it) in request ids, counts and times."""
    request_started.connect(_note_endpoint, app)
    app.wsgi_app = ObservedRequests(app, app.wsgi_app)
