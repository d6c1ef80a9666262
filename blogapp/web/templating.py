"""Template filters and globals: dates, excerpts, reference links and site settings."""

import re
from datetime import UTC, datetime
from email.utils import format_datetime

from flask import Flask, current_app, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from ..content.body_images import SIZES, srcsets
from ..content.markup import excerpt
from ..content.pages import MenuLinks, menu_links, policy_link
from ..content.references import identifier_url
from ..extensions import db
from . import urls

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def iso_utc(value: datetime) -> str:
    """Format a stored UTC datetime as ISO 8601 with a Z, for <time datetime>."""
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"  # strftime is twice as slow


def long_date(value: datetime) -> str:
    """Format a date the way readers write it: 25 November 2026."""
    return f"{value.day} {value:%B %Y}"


def time_tag(value: datetime, relative: bool = False) -> Markup:
    """Return a <time> element with the long date; site.js shows a `relative` one as "14 hours ago"."""
    marker = " data-relative" if relative else ""
    return Markup(f'<time datetime="{iso_utc(value)}"{marker}>{long_date(value)}</time>')  # digits and month names


def rfc822(value: datetime) -> str:
    """Format a stored UTC datetime for RSS: Wed, 25 Nov 2026 21:28:00 +0000."""
    return format_datetime(value.replace(tzinfo=UTC))


def absolute_links(fragment: str) -> str:
    """Make root-relative links in sanitised HTML absolute, for feed readers on other hosts.

    Returned as plain text so the feed template escapes it: RSS content:encoded and Atom type="html" carry
    HTML as escaped text, and HTML (<img>, <br>) is not well-formed XML.
    """
    base = (current_app.config.get("SITE_URL") or request.url_root).rstrip("/")
    return _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{base}/", str(fragment))


def _unless_database_down(read, fallback):
    """Return read(); the fallback on an error page rendered while the database cannot answer."""
    try:
        return read()
    except SQLAlchemyError:
        db.session.rollback()
        return fallback


def footer_pages() -> list[tuple[str, str]]:
    """Return the footer's page links, (slug, title) in menu order."""
    return _unless_database_down(menu_links, MenuLinks([], [])).footer


def header_pages() -> list[tuple[str, str]]:
    """Return the header menu's page links, (slug, title) in menu order."""
    return _unless_database_down(menu_links, MenuLinks([], [])).header


def policy_page() -> tuple[str, str] | None:
    """Return (slug, title) of the page linked under the disclaimer, if it is published."""
    return _unless_database_down(policy_link, None)


def init_app(app: Flask) -> None:
    """Register the filters and the site-wide template variables."""
    app.add_template_filter(iso_utc)
    app.add_template_filter(long_date)
    app.add_template_filter(excerpt)
    app.add_template_filter(rfc822)
    app.add_template_filter(absolute_links)
    app.add_template_filter(identifier_url)
    app.add_template_global(time_tag)
    app.add_template_global(footer_pages)
    app.add_template_global(policy_page)
    app.add_template_global(srcsets, "upload_srcsets")
    app.add_template_global(SIZES, "column_sizes")
    app.add_template_global(header_pages)
    urls.init_app(app)

    @app.context_processor
    def site_settings() -> dict:
        return {
            "site_name": app.config["SITE_NAME"],
            "site_tagline": app.config["SITE_TAGLINE"],
            "absolute_url": urls.absolute_url,
            "canonical_url": urls.canonical_url,
            "current_user": current_user,
            "site_links": urls.site_links(),
        }
