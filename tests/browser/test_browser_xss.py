"""Known XSS payloads in every field a user can fill, shown on every page type, in Chromium with and without CSP.

Each payload (tests/browser/xss_payloads.txt, one a line, `\\n` for a line break) names itself with a marker (XSS-17)
that it would alert or store in window.__xss if it ran. Payloads go in groups into titles, summaries, bodies,
tags, category and author names and descriptions, and search queries. A page fails if a dialog opens, the trap
records anything, a console message names a marker, or its HTML (raw, and as Chromium parsed it) holds markup
that could run script: a script that is not ours, an on* attribute, a javascript:/data: URL, an iframe …
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import PASSWORD
from live_site import open_page, sign_in
from lxml import etree
from xss_checks import Inspector, dangerous_markup

from blogapp.content.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, SearchLogEntry, Tag, utcnow

pytestmark = pytest.mark.browser

PAYLOADS = [line.replace("\\n", "\n") for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()]
GROUP = 16  # payloads per article, category, author and tag: one page checks many
PLACES = ("title", "summary", "body", "tag", "category name", "category description", "author name", "author bio")
MAX_QUERY_CHARS, MAX_QUERY_WORDS = 450, 30  # under the site's limits, so no payload is cut


def groups() -> list[list[str]]:
    """Split the payloads into groups of GROUP."""
    return [PAYLOADS[i : i + GROUP] for i in range(0, len(PAYLOADS), GROUP)]


def search_queries() -> list[str]:
    """Pack whole payloads into as few search queries as the site's length and word limits allow."""
    queries, current = [], []
    for payload in (" ".join(p.split()) for p in PAYLOADS):
        candidate = " ".join([*current, payload])
        if current and (len(candidate) > MAX_QUERY_CHARS or len(candidate.split()) > MAX_QUERY_WORDS):
            queries.append(" ".join(current))
            current = []
        current.append(payload)
    return [*queries, " ".join(current)]


@pytest.fixture(scope="module")
def hostile_site(live_site):
    """Store every payload group in each place through the app's own services; return the article ids."""
    ids = []
    with live_site.app.app_context():
        for number, group in enumerate(groups(), 1):
            text = " ".join(group)
            category = Category(slug=f"xss-cat-{number}", name=text, description=text)
            author = Author(slug=f"xss-author-{number}", name=text, bio=text)
            body = "\n\n".join(group)
            fields = dict(title=text, slug=f"xss-{number}", summary=text, category=category, author=author, tags=[])
            when = utcnow() - timedelta(minutes=number)
            article = save_article(Article(), body=body, status=ArticleStatus.PUBLISHED, published_at=when, **fields)
            db.session.flush()
            save_article(
                article, body=body + "\n\nEdited.", status=ArticleStatus.PUBLISHED, published_at=when, **fields
            )
            # Straight to the model: the service would make the slug from the name and cut the name to 120 characters.
            article.tags = [Tag(slug=f"xss-tag-{number}", name=text)]
            db.session.commit()
            ids.append(article.id)
    live_site.drain()
    return ids


def reader_pages(inspector: Inspector, count: int) -> None:
    """Visit every reader page, feed and search that shows a payload."""
    for number in range(1, count + 1):
        highlight = quote(" ".join(groups()[number - 1])[:190])
        inspector.visit("article", f"/articles/xss-{number}/?hl={highlight}")
        inspector.visit("category", f"/category/xss-cat-{number}/")
        inspector.visit("author", f"/author/xss-author-{number}/")
        inspector.visit("tag", f"/tag/xss-tag-{number}/")
        inspector.visit("feed", f"/category/xss-cat-{number}/feed.{'rss' if number % 2 else 'atom'}")
    home_pages(inspector)
    inspector.visit("topics", "/categories/")
    for url in ("/feed.rss", "/feed.atom", "/sitemap.xml", "/articles/xss-1/"):
        inspector.visit("feed" if "." in url else "article", url)
    for payload in PAYLOADS[:3]:
        inspector.visit("404", f"/articles/{quote(payload, safe='')}/", status=404)


def home_pages(inspector: Inspector) -> int:
    """Visit every page of the home page's list, following "Older" links; return how many there were."""
    number = 1
    inspector.visit("home", "/")
    while inspector.page.locator("a[rel=next]").count():
        number += 1
        inspector.visit("home", f"/?page={number}")
    return number


def suggestions(inspector: Inspector) -> None:
    """Type into the header search box and check the suggestion list the script builds from titles."""
    page = inspector.page
    page.goto("/")
    page.locator("#site-search").press_sequentially("xss", delay=20)
    options = page.locator("#site-search-suggestions li")
    options.first.wait_for()
    assert "XSS-" in options.first.text_content()
    inspector.inspect("suggestions", "/ (suggestions)", page.content())


def searches(reader: Inspector, newsroom: Inspector, live_site) -> None:
    """Search for every payload; show the search log to an editor on the dashboard every ten searches."""
    queries = search_queries()
    for start in range(0, len(queries), 10):
        for query in queries[start : start + 10]:
            reader.visit("search", f"/search?q={quote(query)}")
        newsroom.visit("dashboard", "/admin/")
        with live_site.app.app_context():
            db.session.execute(db.delete(SearchLogEntry))
            db.session.commit()


def newsroom_pages(inspector: Inspector, ids: list[int]) -> None:
    """Open each article's editor (with its live preview), review page, revisions and diff."""
    for article_id in ids:
        inspector.page.goto(f"/admin/articles/{article_id}/edit")
        inspector.page.wait_for_function("document.querySelector('#preview-pane > :not(.hint)') !== null")
        raw = inspector.page.request.get(f"/admin/articles/{article_id}/edit").text()
        inspector.inspect("editor", f"/admin/articles/{article_id}/edit", raw)
        inspector.visit("review page", f"/admin/articles/{article_id}/")
        inspector.visit("revisions", f"/admin/articles/{article_id}/revisions/")
        a, b = re.findall(r'name="a">.*?value="(\d+)".*?value="(\d+)"', inspector.page.content(), re.S)[0]
        inspector.visit("diff", f"/admin/articles/{article_id}/revisions/diff?a={b}&b={a}")
    for page in (1, 2):
        inspector.visit("newsroom list", f"/admin/articles/?page={page}")


def live_preview(inspector: Inspector) -> None:
    """Type every payload into a new article's body; check the live preview, then the server's preview."""
    page = inspector.page
    page.goto("/admin/articles/new")
    with page.expect_response("**/admin/preview") as preview:
        page.get_by_label("Body (Markdown)", exact=True).fill("\n\n".join(PAYLOADS))
    inspector.inspect("live preview", "/admin/articles/new (live preview)", preview.value.text())
    page.get_by_label("Title", exact=True).fill("Preview of every payload")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Preview", exact=True).click()
    inspector.inspect("server preview", "/admin/articles/new (preview)", navigation.value.text())


def test_payload_file_has_distinct_self_naming_payloads():
    """The payload list holds at least 100 distinct payloads, each with its own marker, and no NUL."""
    markers = [re.findall(r"XSS-(\d+)", payload)[0] for payload in PAYLOADS]
    assert len(PAYLOADS) >= 100 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert markers == [str(n) for n in range(1, len(PAYLOADS) + 1)]
    assert not any("\0" in payload for payload in PAYLOADS)


def test_no_payload_runs_anywhere_with_csp_bypassed(chromium, live_site, hostile_site, capsys):
    """With the browser ignoring CSP (as if the header were lost), no stored or reflected payload runs."""
    reader = Inspector(open_page(chromium, live_site, bypass_csp=True), "reader")
    newsroom = Inspector(open_page(chromium, live_site, bypass_csp=True), "editor")
    try:
        sign_in(newsroom.page, live_site.emails["editor"], PASSWORD)
        reader_pages(reader, len(hostile_site))
        suggestions(reader)
        searches(reader, newsroom, live_site)
        newsroom_pages(newsroom, hostile_site)
        live_preview(newsroom)
    finally:
        reader.page.context.close()
        newsroom.page.context.close()
    assert reader.failures + newsroom.failures == []
    everything = {str(n) for n in range(1, len(PAYLOADS) + 1)}
    for inspector in (reader, newsroom):
        for kind, markers in inspector.seen.items():
            if kind not in ("404", "home", "suggestions", "dashboard", "newsroom list", "topics", "live preview"):
                assert markers >= everything, f"{kind} pages never showed {sorted(everything - markers, key=int)[:5]}…"
    report(reader, newsroom, capsys)


def report(reader: Inspector, newsroom: Inspector, capsys) -> None:
    """Print how many payloads, places, pages and payload appearances were checked."""
    visits = reader.visits + newsroom.visits
    shown = sum(len(m) for i in (reader, newsroom) for m in i.seen.values())
    with capsys.disabled():
        print(
            f"\nXSS: {len(PAYLOADS)} payloads × {len(PLACES)} stored places + search queries "
            f"({len(search_queries())} queries); {sum(visits.values())} page visits ({dict(visits)}); "
            f"{shown} (payload, page kind) appearances checked"
        )


def test_no_payload_runs_and_csp_reports_nothing(chromium, live_site, hostile_site):
    """With CSP on, pages full of payloads trigger no CSP violation: nothing was even attempted."""
    reader = Inspector(open_page(chromium, live_site), "reader (CSP)")
    try:
        pages = home_pages(reader)
        reader.visit("topics", "/categories/")
        reader.visit("article", f"/articles/xss-1/?hl={quote(PAYLOADS[0])}")
        reader.visit("search", f"/search?q={quote(search_queries()[0])}")
    finally:
        reader.page.context.close()
    assert reader.failures == []
    assert pages >= 4 and sum(reader.visits.values()) == pages + 3


def test_rss_description_carries_the_summary_as_text(live_site, hostile_site):
    """Feed readers render an RSS <description> as HTML, so a plain-text summary must reach them escaped twice."""
    xml = live_site.app.test_client().get("/category/xss-cat-1/feed.rss").get_data(as_text=True)
    descriptions = [el.text for el in etree.fromstring(xml.encode()).iter("description") if el.text]
    assert len(descriptions) == 2  # the channel's tagline and the item's summary
    assert [item for text in descriptions for item in dangerous_markup(text)] == []
