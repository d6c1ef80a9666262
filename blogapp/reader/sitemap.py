"""Discovery for crawlers: the sitemap (in parts when large) and robots.txt."""

import math
from datetime import datetime

from flask import abort, current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Article, Author, Category, Tag, article_tags
from ..web.urls import absolute_url
from .feeds import KINDS, bp, xml_response


def sitemap_entries(offset: int, limit: int) -> list[tuple[str, dict, datetime | None]]:
    """Return (endpoint, url values, last modified) for sitemap URLs offset..offset+limit, pages before articles."""
    latest = func.max(Article.updated_at)
    visible = Article.is_visible()
    # Correlated by hand: Article.tags.any() would bring its own `tags` into the EXISTS, not this row's tag.
    tagged = select(article_tags.c.article_id).where(article_tags.c.tag_id == Tag.id).correlate(Tag)
    pages: list[tuple[str, dict, datetime | None]] = [
        ("reader.index", {}, db.session.scalar(select(latest).where(visible))),
        ("reader.categories", {}, db.session.scalar(select(latest).where(visible))),
    ]
    for model, endpoint, condition in (
        (Category, "reader.category", Article.category_id == Category.id),
        (Author, "reader.author", Article.author_id == Author.id),
        (Tag, "reader.tag", Article.id.in_(tagged)),
    ):
        modified = select(latest).where(visible, condition).correlate(model).scalar_subquery()
        rows = db.session.execute(select(model.slug, modified).order_by(model.id))
        pages += [(endpoint, {"slug": slug}, when) for slug, when in rows]
    chosen = pages[offset : offset + limit]
    skip = max(0, offset - len(pages))
    remaining = limit - len(chosen)
    if remaining > 0:
        stmt = select(Article.slug, Article.updated_at).where(visible).order_by(Article.id)
        rows = db.session.execute(stmt.offset(skip).limit(remaining))
        chosen += [("reader.article", {"slug": slug}, modified) for slug, modified in rows]
    return chosen


def _sitemap_size() -> int:
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in KINDS.values()]
    visible = db.session.scalar(select(func.count(Article.id)).where(Article.is_visible()))
    return 2 + sum(counts) + visible


@bp.get("/sitemap.xml")
def sitemap():
    """Serve the sitemap, or a sitemap index of parts when there are too many URLs for one."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    parts = math.ceil(_sitemap_size() / per_part)
    if parts <= 1:
        return xml_response("feeds/urlset.xml", "application/xml", entries=sitemap_entries(0, per_part))
    urls = [absolute_url("feeds.sitemap_part", number=n) for n in range(1, parts + 1)]
    return xml_response("feeds/sitemapindex.xml", "application/xml", parts=urls)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    """Serve one part of a large sitemap."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    if not 1 <= number <= math.ceil(_sitemap_size() / per_part):
        abort(404)
    entries = sitemap_entries((number - 1) * per_part, per_part)
    return xml_response("feeds/urlset.xml", "application/xml", entries=entries)


@bp.get("/robots.txt")
def robots():
    """Let every crawler in, except into search results, and point them at the sitemap."""
    body = f"User-agent: *\nDisallow: /search\nSitemap: {absolute_url('feeds.sitemap')}\n"
    return current_app.response_class(body, mimetype="text/plain")
