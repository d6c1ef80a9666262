"""What every page of every area shares: templates' filters and URLs, security headers, request checks, error pages."""

from flask import Flask

from . import busy, errors, rate_counts, requests, security, templating


def init_app(app: Flask) -> None:
    """Check the secret key, add security headers, check requests, bound costly work and rates, set up pages."""
    security.init_app(app)
    requests.init_app(app)
    busy.init_app(app)
    rate_counts.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
