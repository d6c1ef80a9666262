"""Serving in production: answers from validators and stored pages, static files, health, the proxy in front."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import fastpath, freshness, health, metrics_view, observed, static_files


def init_app(app: Flask) -> None:
    """Answer anonymous readers cheaply, fingerprint static files, report health and metrics, trust the proxies."""
    freshness.init_app(app)
    static_files.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics_view.bp)
    fastpath.init_app(app)
    observed.init_app(app)  # around the fast path: every answer, the fast path's too, is counted and carries its id
    if app.config["PROXY_FIX_X_FOR"]:
        # Outermost, so the fast path and the access log see each reader's own address and scheme too.
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
