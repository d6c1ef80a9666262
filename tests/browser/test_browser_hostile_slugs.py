"""The editor in Chromium refuses a hostile slug (markup, a path, capitals, a slash) with a message, saving nothing."""

import pytest
from conftest import PASSWORD
from live_site import sign_in

from blogapp.extensions import db
from blogapp.models import Article
from blogapp.newsroom.forms import SLUG_MESSAGE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("slug", ["\"><script>alert('XSS-slug')</script>", "../../admin", "UPPER case", "a/b"])
def test_editor_refuses_a_hostile_slug(page, live_site, slug):
    """The editor refuses a slug outside [a-z0-9-] with a message, and saves nothing."""
    sign_in(page, live_site.emails["editor"], PASSWORD)
    page.goto("/admin/articles/new")
    page.get_by_label("Title", exact=True).fill("Slug check")
    page.get_by_label("Slug", exact=True).fill(slug)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save", exact=True).click()
    assert navigation.value.status == 422
    assert page.locator("#slug-error").text_content() == SLUG_MESSAGE
    assert page.watch.dialogs == []
    with live_site.app.app_context():
        assert db.session.scalar(db.select(Article).where(Article.title == "Slug check")) is None
