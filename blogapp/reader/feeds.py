"""RSS and Atom feeds of the whole site and of each category, tag and author."""

from datetime import datetime

from flask import Blueprint, current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Article, Author, Category, Tag
from ..web.urls import absolute_url
from .listings import tag_condition
from .queries import FILTERS, published

bp = Blueprint("feeds", __name__)
FEED_ITEMS = 20
KINDS = {"category": Category, "tag": Tag, "author": Author}
_MIMETYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def xml_response(template: str, mimetype: str, **context):
    """Render an XML template as a response of this type."""
    body = render_template(template, **context)
    return current_app.response_class(body, mimetype=mimetype)


def _feed(fmt: str, title: str, page_url: str, feed_endpoint: str, stmt, **feed_values):
    # The featured image, sent as each item's enclosure, comes in the same statement.
    items = list(db.session.scalars(stmt.options(joinedload(Article.featured_image)).limit(FEED_ITEMS)))
    updated = max((item.updated_at for item in items), default=datetime(2000, 1, 1))
    context = {
        "title": title,
        "page_url": page_url,
        "feed_url": absolute_url(feed_endpoint, fmt=fmt, **feed_values),
        "items": items,
        "updated": updated,
    }
    return xml_response(f"feeds/{fmt}.xml", _MIMETYPES[fmt], **context)


@bp.get("/feed.<any(rss, atom):fmt>")
def site_feed(fmt: str):
    """Serve the latest articles of the whole site as RSS or Atom."""
    name = current_app.config["SITE_NAME"]
    return _feed(fmt, name, absolute_url("reader.index"), "feeds.site_feed", published(with_body=True))


@bp.get("/<any(category, tag, author):kind>/<slug>/feed.<any(rss, atom):fmt>")
def filtered_feed(kind: str, slug: str, fmt: str):
    """Serve the latest articles of one category, tag or author as RSS or Atom."""
    model = KINDS[kind]
    item = db.first_or_404(select(model).where(model.slug == slug))
    condition = tag_condition(item.id, FEED_ITEMS) if kind == "tag" else FILTERS[kind](item.id)
    stmt = published(with_body=True).where(condition)
    title = f"{item.name} — {current_app.config['SITE_NAME']}"
    page = absolute_url(f"reader.{kind}", slug=slug)
    return _feed(fmt, title, page, "feeds.filtered_feed", stmt, kind=kind, slug=slug)
