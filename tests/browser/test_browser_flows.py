"""A reader and a writer use the site in Chromium: browsing, search, writing, publishing, moving an article."""

import re
import secrets
import time

import pytest
from conftest import PASSWORD
from live_site import open_page, screenshot, sign_in

from blogapp.content.slugs import slugify

pytestmark = pytest.mark.browser

SEARCH_WORD = "migraine"
ARTICLE_URL = re.compile(r"/articles/([a-z0-9-]+)/(\?.*)?$")
# Chromium asks every site for /favicon.ico; the site has none, so that 404 is not an error of the page itself.
FAVICON_404 = "/favicon.ico)"
SEARCH_DEADLINE_SECONDS = 5.0
VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def problems(page, expected_404: str = "") -> list[str]:
    """Return what went wrong in the page so far: dialogs, page errors, console errors (but expected 404s)."""
    allowed = (FAVICON_404, f"{expected_404})") if expected_404 else (FAVICON_404,)
    console = [text for text in page.watch.console_errors if not text.endswith(allowed)]
    return page.watch.dialogs + page.watch.page_errors + console


def heading(page) -> str:
    """Return the text of the page's <h1>."""
    return text_of(page.locator("h1").first)


def text_of(locator) -> str:
    """Return an element's text as written in the page (not as CSS transforms it), spaces collapsed."""
    return " ".join(locator.text_content().split())


def click_and_wait(page, link) -> str:
    """Click a link, wait for the new page and return the link's text."""
    text = text_of(link)
    with page.expect_navigation():
        link.click()
    return text


def read_like_a_reader(page) -> None:
    """Home → a topic → an article → header search → a highlighted result → a related article."""
    page.goto("/")
    assert heading(page) == "Latest articles"

    topic = click_and_wait(page, page.locator("a.category-link").first)
    assert re.search(r"/category/[a-z0-9-]+/$", page.url)
    assert heading(page) == topic

    title = click_and_wait(page, page.locator(".card-title a").first)
    assert ARTICLE_URL.search(page.url)
    assert heading(page) == title
    assert text_of(page.locator(".kicker a")) == topic

    page.locator("#site-search").fill(SEARCH_WORD)
    with page.expect_navigation():
        page.locator("form.search-box button[type=submit]").click()
    assert page.url.endswith(f"/search?q={SEARCH_WORD}")
    assert re.match(r"\d+ results? for migraine", page.locator(".result-count").inner_text())
    marked = [text.lower() for text in page.locator("ol.results mark").all_inner_texts()]
    assert any(text.startswith("migraine") for text in marked), marked

    result = click_and_wait(page, page.locator("ol.results h2 a").first)
    assert ARTICLE_URL.search(page.url) and page.url.endswith(f"?hl={SEARCH_WORD}")
    assert heading(page) == result
    assert page.locator(".prose mark").count() > 0

    before = page.url
    related = click_and_wait(page, page.locator("section.related a").first)
    assert ARTICLE_URL.search(page.url) and page.url != before
    assert heading(page) == related


def test_reader_browses_searches_and_follows_related_articles(page):
    """A reader goes from the home page through a topic, an article and a search to a related article."""
    read_like_a_reader(page)
    assert page.locator("#site-search-suggestions").count() == 1  # the scripts did run
    assert problems(page) == []


def test_reader_journey_works_without_javascript(chromium, live_site):
    """The same journey works with JavaScript off: links and the GET search form need no script."""
    page = open_page(chromium, live_site, java_script_enabled=False)
    try:
        read_like_a_reader(page)
        assert page.locator("#site-search-suggestions").count() == 0  # no script ran
        assert problems(page) == []
    finally:
        page.context.close()


def fill_new_article(page, title: str, word: str) -> None:
    """Fill the editor's fields for a new article about `word`."""
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary", exact=True).fill(f"What the {word} trial found, in two sentences.")
    page.get_by_label("Category", exact=True).select_option(label="Pain Management")
    page.get_by_label("Body (Markdown)", exact=True).fill(
        f"The {word} trial followed 40 people.\n\n## What we found\n\nA **bold claim** with a "
        "[source](https://example.org/trial).\n\n- first point\n- second point\n"
    )


def assert_preview_rendered(page) -> None:
    """Check the preview pane shows the body rendered from Markdown."""
    pane = page.locator("#preview-pane")
    assert pane.locator("h2").inner_text() == "What we found"
    assert pane.locator("strong").inner_text() == "bold claim"
    assert pane.locator("a").get_attribute("href") == "https://example.org/trial"
    assert pane.locator("li").all_inner_texts() == ["first point", "second point"]


def save(page, status: str | None = None) -> None:
    """Optionally choose a status, press Save and wait for the editor to come back."""
    if status:
        page.get_by_label("Status", exact=True).select_option(label=status)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert re.search(r"/admin/articles/\d+/edit$", page.url), page.url


def seconds_until_found(page, word: str, slug: str) -> float:
    """Poll the site's search for `word` until the article at `slug` is a result; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < SEARCH_DEADLINE_SECONDS:
        html = page.request.get(f"/search?q={word}").text()
        if f'href="/articles/{slug}/' in html:
            return time.monotonic() - start
        time.sleep(0.05)
    pytest.fail(f"/search?q={word} did not find /articles/{slug}/ within {SEARCH_DEADLINE_SECONDS} s of publishing")


def test_editor_writes_previews_publishes_and_moves_an_article(page, live_site):
    """Write with live and server preview, save a hidden draft, publish (found by search at once), change the slug."""
    word = "quillon" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
    title = f"The {word} trial in chronic pain"
    slug = slugify(title)
    sign_in(page, live_site.emails["editor"], PASSWORD)
    page.goto("/admin/articles/new")
    fill_new_article(page, title, word)
    page.locator("#preview-pane h2").wait_for()  # the live preview (static/editor.js) fetched and rendered it
    assert_preview_rendered(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Preview", exact=True).click()
    assert_preview_rendered(page)  # the server-side preview, without the script's help
    assert page.get_by_label("Title", exact=True).input_value() == title

    save(page)
    editor_url = page.url
    assert page.locator(".flashes").inner_text() == f"Saved “{title}” (draft)."
    assert page.request.get(f"/articles/{slug}/").status == 404
    assert "No articles match" in page.request.get(f"/search?q={word}").text()

    save(page, status="published")
    delay = seconds_until_found(page, word, slug)
    print(f"\npublished article found by search {delay * 1000:.0f} ms after the save returned")
    page.goto(f"/articles/{slug}/")
    assert heading(page) == title

    new_slug = f"{word}-trial-results"
    page.goto(editor_url)
    page.get_by_label("Slug", exact=True).fill(new_slug)
    save(page)

    response = page.goto(f"/articles/{slug}/")
    assert page.url == f"{live_site.url}/articles/{new_slug}/"
    assert response.status == 200 and heading(page) == title
    assert response.request.redirected_from.response().status == 301
    direct = page.request.get(f"/articles/{slug}/", max_redirects=0)
    assert direct.status == 301 and direct.headers["location"].endswith(f"/articles/{new_slug}/")
    assert problems(page) == []


def walk(page, live_site, width: str) -> list[str]:
    """Visit one page of each type, check what it is and save a screenshot; return the screenshots' names."""
    public = {
        "home": ("/", 200, "Latest articles"),
        "article": ("/articles/does-ketamine-help-migraines/", 200, "Does ketamine help migraines?"),
        "category": ("/category/migraine-headache/", 200, "Migraine & Headache"),
        "tag": ("/tag/ketamine/", 200, "Ketamine"),
        "author": ("/author/daniel-reyes/", 200, "Daniel Reyes, RN"),
        "page": ("/editorial-policy/", 200, "Editorial policy"),
        "search-results": ("/search?q=ketamine", 200, "Search"),
        "search-no-results": ("/search?q=zqxvbnmw", 200, "Search"),
        "404": ("/no-such-page/", 404, "We could not find that page"),
        "login": ("/login", 200, "Sign in to the newsroom"),
    }
    newsroom = {"editor": ("/admin/articles/new", 200, "Write an article"), "dashboard": ("/admin/", 200, "Dashboard")}
    names = []
    for group in (public, newsroom):
        if group is newsroom:
            sign_in(page, live_site.emails["editor"], PASSWORD)
        for kind, (url, status, title) in group.items():
            assert page.goto(url).status == status, url
            assert heading(page) == title, url
            names.append(f"{kind}-{width}")
            assert screenshot(page, names[-1]).stat().st_size > 1000
    return names


@pytest.mark.parametrize("width", VIEWPORTS)
def test_screenshots_of_every_page_type(chromium, live_site, width):
    """Walk each page type at phone and desktop width, saving screenshots under test-artifacts/."""
    page = open_page(chromium, live_site, viewport=VIEWPORTS[width])
    try:
        names = walk(page, live_site, width)
        assert len(names) == 12
        assert problems(page, expected_404="/no-such-page/") == []
    finally:
        page.context.close()
