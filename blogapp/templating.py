"""Template filters and globals: dates, excerpts, reference links and site settings."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .markup import excerpt
from .references import identifier_url

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_URL_OPTIONS = frozenset({"_anchor", "_external", "_method", "_scheme"})


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


def absolute_url(endpoint: str, **values) -> str:
    """Return a full URL, on SITE_URL when set (behind a proxy), else on the request's host."""
    config = current_app.config
    if config.get("SITE_URL"):
        return config["SITE_URL"].rstrip("/") + page_url(endpoint, **values)
    if has_request_context() and not config["SERVER_NAME"]:  # then Flask's external URLs are on this host
        return request.host_url.rstrip("/") + page_url(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def canonical_url() -> str | None:
    """Return the canonical URL of the page being rendered (no query string but a page number)."""
    if request.endpoint is None or request.endpoint in ("static", "search.results"):
        return None
    values = dict(request.view_args or {})
    page = request.args.get("page", 1, type=int)
    if page > 1:
        values["page"] = page
    return absolute_url(request.endpoint, **values)


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


def _url_builder(max_urls: int = 4096) -> Callable[..., str]:
    @lru_cache(maxsize=max_urls)
    def build(endpoint: str, _script_root: str, values: tuple) -> str:
        return url_for(endpoint, **dict(values))

    return build


def page_url(endpoint: str, **values) -> str:
    """Return `url_for(endpoint, **values)`, built once per app (a page links to dozens of articles and filters)."""
    # Static URLs carry the file's hash, which changes without a restart only when debugging; `_external` and
    # `_anchor` URLs depend on more than the path.
    if not has_request_context() or not _URL_OPTIONS.isdisjoint(values):
        return url_for(endpoint, **values)
    app = current_app._get_current_object()
    if app.debug:
        return url_for(endpoint, **values)
    build, script_root = app.extensions["blogapp.urls"], request._get_current_object().script_root
    try:
        return build(endpoint, script_root, tuple(values.items()))  # in order: query order
    except TypeError:  # a list (the search page's tag filters) or another value that cannot be a key
        key = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in values.items())
    try:
        return build(endpoint, script_root, key)
    except TypeError:
        return url_for(endpoint, **values)


# What every page's head and header link to: (endpoint, values) by name.
_SITE_LINKS = {
    "rss": ("feeds.site_feed", {"fmt": "rss"}),
    "atom": ("feeds.site_feed", {"fmt": "atom"}),
    "opensearch": ("search.opensearch", {}),
    "favicon": ("static", {"filename": "favicon.svg"}),
    "style": ("static", {"filename": "style.css"}),
    "site_js": ("static", {"filename": "site.js"}),
    "suggest_js": ("static", {"filename": "suggest.js"}),
    "home": ("reader.index", {}),
    "topics": ("reader.categories", {}),
    "search": ("search.results", {}),
    "suggest": ("search.suggest", {}),
}


def site_links() -> dict[str, str]:
    """Return the URLs of every page's head and header, built once per mount point (every request when debugging)."""
    if not has_request_context():  # no page is rendered outside a request
        return {}
    app = current_app._get_current_object()
    built = app.extensions["blogapp.site_links"]
    key = request.script_root
    if app.debug or key not in built:
        built[key] = {name: url_for(endpoint, **values) for name, (endpoint, values) in _SITE_LINKS.items()}
    return built[key]


def init_app(app: Flask) -> None:
    """Register the filters and the site-wide template variables."""
    app.add_template_filter(iso_utc)
    app.add_template_filter(long_date)
    app.add_template_filter(excerpt)
    app.add_template_filter(rfc822)
    app.add_template_filter(absolute_links)
    app.add_template_filter(identifier_url)
    app.add_template_global(time_tag)
    app.extensions["blogapp.urls"] = _url_builder()
    app.extensions["blogapp.site_links"] = {}
    app.jinja_env.globals["url_for"] = page_url

    @app.context_processor
    def site_settings() -> dict:
        return {
            "site_name": app.config["SITE_NAME"],
            "site_tagline": app.config["SITE_TAGLINE"],
            "absolute_url": absolute_url,
            "canonical_url": canonical_url,
            "current_user": current_user,
            "site_links": site_links(),
        }
