"""Template filters and globals: dates, excerpts and site settings."""

from datetime import datetime

from flask import Flask

from .markup import excerpt


def iso_utc(value: datetime) -> str:
    """Format a stored UTC datetime as ISO 8601 with a Z, for <time datetime>."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def long_date(value: datetime) -> str:
    """Format a date the way readers write it: 25 November 2026."""
    return f"{value.day} {value:%B %Y}"


def init_app(app: Flask) -> None:
    """Register the filters and the site-wide template variables."""
    app.add_template_filter(iso_utc)
    app.add_template_filter(long_date)
    app.add_template_filter(excerpt)

    @app.context_processor
    def site_settings() -> dict:
        return {"site_name": app.config["SITE_NAME"], "site_tagline": app.config["SITE_TAGLINE"]}
