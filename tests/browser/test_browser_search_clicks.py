"""In Chromium: opening a search result counts one click (query, position) by beacon; the safety panel is a note."""

import time

import pytest
from live_site import screenshot
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import SearchClick
from blogapp.search.clicks import pending_clicks

pytestmark = pytest.mark.browser


def clicks_stored(app) -> list[tuple]:
    """Write the gathered clicks now and return every (query, position, clicks) row."""
    pending_clicks(app).flush()
    with app.app_context():
        return sorted(db.session.execute(select(SearchClick.query, SearchClick.position, SearchClick.clicks)).all())


def test_opening_a_result_records_one_click_at_its_position(page, live_site):
    page.goto("/search?q=Migraine")
    links = page.locator("ol.results h2 a")
    assert links.count() >= 2
    with page.expect_navigation():
        links.nth(1).click()
    deadline = time.monotonic() + 5
    while not (stored := clicks_stored(live_site.app)) and time.monotonic() < deadline:
        time.sleep(0.1)  # the beacon is sent as the page is left; the server counts it a moment later
    assert stored == [("migraine", 2, 1)]
    page.go_back()
    assert page.watch.console_errors == [] and page.watch.page_errors == []


def test_crisis_search_shows_the_panel_as_a_labelled_note(page, live_site):
    page.goto("/search?q=overdosing")
    note = page.get_by_role("note", name="Help is available now")
    assert note.is_visible()
    assert "contact your local emergency number" in note.inner_text()
    screenshot(page, "search-safety-panel")
