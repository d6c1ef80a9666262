"""What readers see: pages, feeds, the sitemap, search pages and uploaded images, and the views they count."""

from flask import Flask

from . import feeds, media, popularity, search_pages, views
from . import search_clicks as search_clicks  # its route registers on search_pages.bp
from . import sitemap as sitemap  # its routes register on feeds.bp
from .sidebar import sidebar


def init_app(app: Flask) -> None:
    """Register the reader's blueprints (reader, search, feeds, media) and its view counter."""
    popularity.init_app(app)
    # The not-found page (web/errors.py, a layer below) shows the listing column when the reader is there.
    app.add_template_global(sidebar, "reader_sidebar")
    app.register_blueprint(views.bp)
    app.register_blueprint(search_pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(media.bp)
