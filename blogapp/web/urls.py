"""The site's URLs: built once per app, absolute on SITE_URL or the request's host, canonical for each page."""

from collections.abc import Callable
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, url_for

from .. import caches

_URL_OPTIONS = frozenset({"_anchor", "_external", "_method", "_scheme"})
caches.declare(
    "web.urls",
    holds="URL paths built by url_for, by endpoint, mount point and values",
    bound="4,096 URLs per app",
    cleared_by="nothing (a path depends only on the URL map); least recently used go; not kept when debugging",
)
caches.declare(
    "web.site_links",
    holds="the URLs every page's head and header link to, by mount point",
    bound="one set per mount point",
    cleared_by="nothing: rebuilt on every request when debugging",
)

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
    build, script_root = caches.of(app, "web.urls"), request._get_current_object().script_root
    try:
        return build(endpoint, script_root, tuple(values.items()))  # in order: query order
    except TypeError:  # a list (the search page's tag filters) or another value that cannot be a key
        key = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in values.items())
    try:
        return build(endpoint, script_root, key)
    except TypeError:
        return url_for(endpoint, **values)


def site_links() -> dict[str, str]:
    """Return the URLs of every page's head and header, built once per mount point (every request when debugging)."""
    if not has_request_context():  # no page is rendered outside a request
        return {}
    app = current_app._get_current_object()
    built = caches.of(app, "web.site_links")
    key = request.script_root
    if app.debug or key not in built:
        built[key] = {name: url_for(endpoint, **values) for name, (endpoint, values) in _SITE_LINKS.items()}
    return built[key]


def init_app(app: Flask) -> None:
    """Give the app its URL caches, and templates the cached url_for."""
    caches.for_app(app, "web.urls", _url_builder())
    caches.for_app(app, "web.site_links", {})
    app.jinja_env.globals["url_for"] = page_url
