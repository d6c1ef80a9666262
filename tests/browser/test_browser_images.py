"""Images and the editor in Chromium: a huge image never widens a phone's page; typed text survives an upload."""

import io
from datetime import timedelta

import pytest
from conftest import PASSWORD
from live_site import open_page, sign_in
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
    """The image shrinks to the column (its 400 px copy at 1x); the page is exactly as wide as the 390 px screen."""
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
        assert image.evaluate("img => img.currentSrc").endswith("-400w.webp")  # a 358 px column: the smallest, in WebP
    finally:
        page.context.close()


def test_editor_keeps_typed_text_across_an_upload_and_warns_before_leaving_it(chromium, live_site):
    """Upload opens in a new tab (typed text stays); leaving unsaved changes asks first; saving does not."""
    page = open_page(chromium, live_site)
    try:
        sign_in(page, live_site.emails["editor"], PASSWORD)
        page.goto("/admin/articles/new")
        page.get_by_label("Title", exact=True).click()
        page.keyboard.type("Typed before an upload")
        page.get_by_label("Body (Markdown)", exact=True).fill("A body that must survive.")
        with page.context.expect_page() as opened:
            page.get_by_role("link", name="Upload or browse images").click()
        uploads = opened.value
        uploads.wait_for_load_state()
        data = io.BytesIO()
        Image.new("RGB", (64, 48), (30, 110, 160)).save(data, "PNG")
        uploads.get_by_label("Image file").set_input_files(
            {"name": "chart.png", "mimeType": "image/png", "buffer": data.getvalue()}
        )
        uploads.get_by_label("Alt text", exact=True).fill("Bar chart of migraine days")
        with uploads.expect_navigation():
            uploads.get_by_role("button", name="Upload").click()
        assert "Uploaded chart.png" in uploads.locator(".flashes").inner_text()
        assert "![Bar chart of migraine days](/uploads/" in uploads.content()
        uploads.close()

        assert page.url.endswith("/admin/articles/new")
        assert page.get_by_label("Title", exact=True).input_value() == "Typed before an upload"
        assert page.get_by_label("Body (Markdown)", exact=True).input_value() == "A body that must survive."
        page.get_by_role("link", name="Dashboard").click()  # the page's handler dismisses the question: it stays
        page.wait_for_timeout(300)
        assert page.watch.dialogs == ["beforeunload: "] and page.url.endswith("/admin/articles/new")

        page.get_by_label("Category").select_option(label="Migraine & Headache")
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        assert page.locator(".flashes").inner_text() == "Saved “Typed before an upload” (draft)."
        page.get_by_role("link", name="Dashboard").click()
        page.wait_for_url("**/admin/")
        assert len(page.watch.dialogs) == 1
    finally:
        page.context.close()


def test_saving_without_a_category_asks_for_one(chromium, live_site):
    """The category starts on "Choose a category"; saving without choosing keeps the text and says what is missing."""
    page = open_page(chromium, live_site)
    try:
        sign_in(page, live_site.emails["editor"], PASSWORD)
        page.goto("/admin/articles/new")
        assert page.get_by_label("Category").input_value() == ""
        page.get_by_label("Title", exact=True).fill("No topic yet")
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        assert page.locator("#category-error").inner_text() == "Choose a category."
        assert page.get_by_label("Title", exact=True).input_value() == "No topic yet"
    finally:
        page.context.close()
