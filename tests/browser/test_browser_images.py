"""Images and the editor in Chromium: a huge image never widens a phone's page; typed text survives an upload."""

import io
from datetime import timedelta

import pytest
from live_site import open_page
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from blogapp.content.articles import save_article
from blogapp.content.uploads import public_url, store_image
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, utcnow

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def publish_with_image(live_site, width: int, height: int) -> str:
    """Upload a `width` × `height` PNG and publish an article showing it; return the article's path."""
    data = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 160)).save(data, "PNG")
    with live_site.app.app_context():
        upload = store_image(FileStorage(io.BytesIO(data.getvalue()), "panorama.png"), None, "A blue panorama")
        article = save_article(
            Article(),
            title="A very wide picture",
            body=f"Before.\n\n![A blue panorama]({public_url(upload)})\n\nAfter.\n",
            summary="",
            category=db.session.scalars(select(Category)).first(),
            author=db.session.scalars(select(Author)).first(),
            tags=[],
            status=ArticleStatus.PUBLISHED,
            published_at=utcnow() - timedelta(days=2000),  # at the end of every listing the other tests read
        )
        db.session.commit()
        live_site.drain()
        return f"/articles/{article.slug}/"


def test_a_3000_pixel_image_fits_a_phone_without_horizontal_scroll(chromium, live_site):
    """The image shrinks to the column; the page is exactly as wide as the 390 px screen."""
    path = publish_with_image(live_site, 3000, 600)
    page = open_page(chromium, live_site, viewport=PHONE)
    try:
        page.goto(path)
        image = page.locator(".prose img")
        image.wait_for()
        scroll_width, client_width = page.evaluate(PAGE_WIDTH)
        assert scroll_width <= client_width == 390
        box = image.bounding_box()
        assert box["width"] <= 390 and abs(box["height"] - box["width"] / 5) < 2  # proportions kept
        assert (image.get_attribute("width"), image.get_attribute("height")) == ("3000", "600")
    finally:
        page.context.close()
