"""Feeds and discovery: RSS and Atom, sitemap, robots.txt."""

import math
from datetime import datetime

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import func, select

from . import articles, references
from .article_page import ArticlePage
from .extensions import db
from .models import Article, Author, Category, Tag
from .templating import absolute_url

bp = Blueprint("feeds", __name__)
FEED_ITEMS = 20
_KINDS = {"category": Category, "tag": Tag, "author": Author}
_MIMETYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def _xml(template: str, mimetype: str, **context):
    body = render_template(template, **context)
    return current_app.response_class(body, mimetype=mimetype)


def _feed(fmt: str, title: str, page_url: str, feed_endpoint: str, stmt, **feed_values):
    items = list(db.session.scalars(stmt.limit(FEED_ITEMS)))
    updated = max((item.updated_at for item in items), default=datetime(2000, 1, 1))
    context = {
        "title": title,
        "page_url": page_url,
        "feed_url": absolute_url(feed_endpoint, fmt=fmt, **feed_values),
        "items": items,
        "updated": updated,
    }
    return _xml(f"feeds/{fmt}.xml", _MIMETYPES[fmt], **context)


@bp.get("/feed.<any(rss, atom):fmt>")
def site_feed(fmt: str):
    """Serve the latest articles of the whole site as RSS or Atom."""
    name = current_app.config["SITE_NAME"]
    return _feed(fmt, name, absolute_url("reader.index"), "feeds.site_feed", articles.published(with_body=True))


@bp.get("/<any(category, tag, author):kind>/<slug>/feed.<any(rss, atom):fmt>")
def filtered_feed(kind: str, slug: str, fmt: str):
    """Serve the latest articles of one category, tag or author as RSS or Atom."""
    model = _KINDS[kind]
    item = db.first_or_404(select(model).where(model.slug == slug))
    stmt = articles.published(with_body=True)
    if kind == "category":
        stmt = stmt.where(Article.category_id == item.id)
    elif kind == "tag":
        stmt = stmt.where(Article.tags.any(Tag.id == item.id))
    else:
        stmt = stmt.where(Article.author_id == item.id)
    title = f"{item.name} — {current_app.config['SITE_NAME']}"
    page = absolute_url(f"reader.{kind}", slug=slug)
    return _feed(fmt, title, page, "feeds.filtered_feed", stmt, kind=kind, slug=slug)


def _sitemap_size() -> int:
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in _KINDS.values()]
    visible = db.session.scalar(select(func.count(Article.id)).where(Article.visible()))
    return 2 + sum(counts) + visible


@bp.get("/sitemap.xml")
def sitemap():
    """Serve the sitemap, or a sitemap index of parts when there are too many URLs for one."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    parts = math.ceil(_sitemap_size() / per_part)
    if parts <= 1:
        return _xml("feeds/urlset.xml", "application/xml", entries=articles.sitemap_entries(0, per_part))
    urls = [absolute_url("feeds.sitemap_part", number=n) for n in range(1, parts + 1)]
    return _xml("feeds/sitemapindex.xml", "application/xml", parts=urls)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    """Serve one part of a large sitemap."""
    per_part = current_app.config["SITEMAP_MAX_URLS"]
    if not 1 <= number <= math.ceil(_sitemap_size() / per_part):
        abort(404)
    entries = articles.sitemap_entries((number - 1) * per_part, per_part)
    return _xml("feeds/urlset.xml", "application/xml", entries=entries)


@bp.get("/robots.txt")
def robots():
    """Let every crawler in, except into search results, and point them at the sitemap."""
    body = f"User-agent: *\nDisallow: /search\nSitemap: {absolute_url('feeds.sitemap')}\n"
    return current_app.response_class(body, mimetype="text/plain")


def article_structured_data(article: ArticlePage) -> dict:
    """Describe an article as schema.org MedicalWebPage JSON-LD for search engines."""
    url = absolute_url("reader.article", slug=article.slug)
    site = current_app.config["SITE_NAME"]
    data = {
        "@context": "https://schema.org",
        "@type": ["MedicalWebPage", "Article"],
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.summary,
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags],
        "datePublished": article.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dateModified": article.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "url": absolute_url("reader.author", slug=article.author.slug),
        },
        "publisher": {"@type": "Organization", "name": site, "url": absolute_url("reader.index")},
        "inLanguage": "en",
    }
    # Only a finished review (reviewer and date) is claimed, the same rule the article page follows.
    if article.reviewer is not None and article.reviewed_at is not None:
        data["reviewedBy"] = {
            "@type": "Person",
            "name": article.reviewer.name,
            "url": absolute_url("reader.author", slug=article.reviewer.slug),
        }
        data["lastReviewed"] = article.reviewed_at.strftime("%Y-%m-%d")
    if article.references:
        data["citation"] = [_citation(reference) for reference in article.references]
    return data


def _citation(reference: dict) -> dict:
    """Describe one reference as a schema.org CreativeWork, leaving out the parts it lacks."""
    title, source, year, identifier = (str(reference.get(key) or "").strip() for key in references.FIELDS)
    work = {"@type": "CreativeWork", "name": title}
    if url := references.identifier_url(identifier):
        work["url"] = url
    if source:
        work["isPartOf"] = {"@type": "CreativeWork", "name": source}
    if year:
        work["datePublished"] = year
    return work
