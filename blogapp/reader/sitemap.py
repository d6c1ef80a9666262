"""Discovery for crawlers: the sitemap (in parts when large) and robots.txt.

A part holds up to 50,000 URLs, written to a file as it is read (kept until the content changes, see
sitemap_files). In a split sitemap the listing pages have parts of their own, at a few grouped queries; the
articles' parts cost one pass over the articles' stored columns: no query per URL, no correlated subquery, no
url_for per URL.
"""

import math
from collections.abc import Callable, Iterator
from datetime import datetime
from urllib.parse import quote

from flask import abort, current_app
from markupsafe import escape
from sqlalchemy import func, select

from ..content.pages import visible_conditions
from ..content.version import remember
from ..extensions import db
from ..models import Article, Author, Category, Page, Tag, article_tags
from ..web.templating import iso_utc
from ..web.urls import absolute_url
from .feeds import KINDS, bp
from .sitemap_files import kept_document

Entry = tuple[str, datetime | None]  # a URL (escaped for XML) and when what it shows last changed
_SLUG_MARK = "sitemap-slug-mark"  # stands for each slug in a URL built once, then split around it
_ARTICLE_BATCH = 1000


def _url_maker(endpoint: str) -> Callable[[str], str]:
    """Return a function that gives the absolute URL of `endpoint` for a slug, building the URL only once."""
    head, _, tail = escape(absolute_url(endpoint, slug=_SLUG_MARK)).partition(_SLUG_MARK)
    # Escaped once here for XML; a quoted slug holds nothing XML would need escaped.
    return lambda slug: f"{head}{quote(slug)}{tail}"


def _last_changes(owner, *joins):
    """Return a subquery of (owner, modified): when each owner's newest visible article last changed."""
    stmt = select(owner.label("owner"), func.max(Article.updated_at).label("modified"))
    for target, condition in joins:
        stmt = stmt.join(target, condition)
    return stmt.where(Article.is_visible()).group_by(owner).subquery()


def _listing_entries() -> list[Entry]:
    """Return the home, topics and published site pages and every category, author and tag page, with their changes."""
    latest = db.session.scalar(select(func.max(Article.updated_at)).where(Article.is_visible()))
    pages = [escape(absolute_url(endpoint)) for endpoint in ("reader.index", "reader.categories")]
    entries: list[Entry] = [(url, latest) for url in pages]
    site_pages = select(Page.slug, Page.updated_at).where(*visible_conditions()).order_by(Page.menu_order, Page.id)
    url = _url_maker("reader.page")
    entries += [(url(slug), modified) for slug, modified in db.session.execute(site_pages)]
    for model, endpoint, changes in (
        (Category, "reader.category", _last_changes(Article.category_id)),
        (Author, "reader.author", _last_changes(Article.author_id)),
        (Tag, "reader.tag", _last_changes(article_tags.c.tag_id, (Article, Article.id == article_tags.c.article_id))),
    ):
        # One grouped pass over the articles per kind, joined to its rows: not a subquery per row.
        stmt = select(model.slug, changes.c.modified).outerjoin(changes, changes.c.owner == model.id)
        url = _url_maker(endpoint)
        entries += [(url(slug), modified) for slug, modified in db.session.execute(stmt.order_by(model.id))]
    return entries


def sitemap_entries(limit: int) -> Iterator[Entry]:
    """Yield (URL, last modified) for the first `limit` sitemap URLs: listing pages, then articles oldest first."""
    listings = _listing_entries()[:limit]
    yield from listings
    if len(listings) < limit:
        yield from _article_entries(0, limit - len(listings))


def _article_entries(offset: int, limit: int) -> Iterator[Entry]:
    """Yield (URL, last modified) for visible articles offset..offset+limit, oldest first."""
    url = _url_maker("reader.article")
    # In the order of the live index, which holds every column read here: no row and no sort is read.
    stmt = select(Article.slug, Article.updated_at).where(Article.is_visible())
    stmt = stmt.order_by(Article.published_at, Article.id).offset(offset).limit(limit)
    for slug, modified in db.session.execute(stmt.execution_options(yield_per=_ARTICLE_BATCH)):
        yield url(slug), modified


def _urlset(entries: Iterator[Entry]) -> Iterator[str]:
    """Yield a <urlset> document in chunks of about a thousand URLs."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    chunk: list[str] = []
    for url, modified in entries:
        lastmod = f"\n    <lastmod>{iso_utc(modified)}</lastmod>" if modified else ""
        chunk.append(f"\n  <url>\n    <loc>{url}</loc>{lastmod}\n  </url>")
        if len(chunk) == _ARTICLE_BATCH:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk) + "\n</urlset>\n"


def _sitemap_index(parts: list[str]) -> str:
    items = "".join(f"\n  <sitemap>\n    <loc>{escape(url)}</loc>\n  </sitemap>" for url in parts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}\n</sitemapindex>\n"
    )


def _kept_urlset(document: str, entries: Callable[[], Iterator[Entry]]):
    return kept_document(document, lambda: _urlset(entries()))


def split_parts(listings: int, articles: int, per_part: int) -> tuple[int, int]:
    """Return how many parts hold the listing pages and how many the articles; (0, 0) when one file holds all."""
    if listings + articles <= per_part:
        return 0, 0
    return math.ceil(listings / per_part), math.ceil(articles / per_part)


def _parts(per_part: int) -> tuple[int, int]:
    # Counting 100,000 visible articles took 21-23 ms of CPU on every sitemap request, kept parts included.
    return split_parts(*remember("sitemap:size", _count_urls), per_part)


def _count_urls() -> tuple[int, int]:
    """Return how many listing pages (home, topics, site pages, categories, authors, tags) and articles are listed."""
    counts = [select(func.count()).select_from(model).scalar_subquery() for model in KINDS.values()]
    counts.append(select(func.count(Page.id)).where(*visible_conditions()).scalar_subquery())
    counts.append(select(func.count(Article.id)).where(Article.is_visible()).scalar_subquery())
    *named, articles = db.session.execute(select(*counts)).one()
    return 2 + sum(named), articles


@bp.get("/sitemap.xml")
def sitemap():
    """Serve the sitemap, or a sitemap index of parts when there are too many URLs for one."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    listing_parts, article_parts = _parts(per_part)
    if not listing_parts:
        return _kept_urlset("sitemap", lambda: sitemap_entries(per_part))
    urls = [absolute_url("feeds.sitemap_part", number=n) for n in range(1, listing_parts + article_parts + 1)]
    return current_app.response_class(_sitemap_index(urls), mimetype="application/xml")


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    """Serve one part of a large sitemap: the listing pages' parts first, then the articles'."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    listing_parts, article_parts = _parts(per_part)
    if not 1 <= number <= listing_parts + article_parts:
        abort(404)
    # Listing pages' last changes cost grouped passes over every article (0.5-0.8 s at 100,000): kept out of the
    # articles' parts, which would otherwise each pay for them just to know where the articles start.
    if number <= listing_parts:
        start = (number - 1) * per_part
        return _kept_urlset(f"part-{number}", lambda: iter(_listing_entries()[start : start + per_part]))
    offset = (number - listing_parts - 1) * per_part
    return _kept_urlset(f"part-{number}", lambda: _article_entries(offset, per_part))


@bp.get("/robots.txt")
def robots():
    """Let every crawler in, except into search results, and point them at the sitemap."""
    body = f"User-agent: *\nDisallow: /search\nSitemap: {absolute_url('feeds.sitemap')}\n"
    return current_app.response_class(body, mimetype="text/plain")
