"""HTTP caching for anonymous readers: validators that follow the content, 304s, the page cache, static files."""

import re
import time
from datetime import timedelta

from flask import request, request_started

from blogapp import caches
from blogapp.content.raw_query import watch_statements
from blogapp.content.settings import set_setting
from blogapp.extensions import db
from blogapp.models import ArticleStatus, utcnow
from blogapp.newsroom.workflow import trash
from blogapp.reader import popularity


def statements_during(request):
    """Return how many SQL statements serving `request()` ran, and its response."""
    with watch_statements(db.engine, all_threads=True) as seen:
        response = request()
    return len(seen), response


def _counting_statements(request) -> int:
    """Return how many statements counting articles serving `request()` ran."""
    with watch_statements(db.engine, all_threads=True) as seen:
        assert request().status_code == 200
    return sum("count(articles.id)" in statement for statement, _ in seen)


def test_reader_pages_carry_validators_and_public_cache_headers(client, publish):
    publish("Sleep and pain")
    for url in ["/", "/articles/sleep-and-pain/", "/category/treatments/", "/feed.atom", "/sitemap.xml", "/robots.txt"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["ETag"].startswith('W/"') and response.headers["Last-Modified"], url
        assert response.cache_control.public and response.cache_control.max_age == 60, url
        assert response.cache_control.stale_while_revalidate == 600, url
        assert "Cookie" not in response.headers.get("Vary", ""), url


def test_conditional_requests_get_304_until_the_content_changes(client, publish):
    publish("First article")
    first = client.get("/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    not_modified = client.get("/", headers={"If-None-Match": etag})
    assert not_modified.data == b"" and not_modified.headers["ETag"] == etag
    publish("Second article")
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Second article" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_every_kind_of_content_change_changes_the_validators(client, publish):
    article = publish("Kept article")
    changes = [
        lambda: setattr(article, "title", "Retitled article"),
        lambda: setattr(article.category, "name", "Renamed topic"),
        lambda: setattr(article.author, "name", "Renamed author"),
        lambda: set_setting("disclaimer", "New disclaimer."),
        lambda: trash(article),
    ]
    etag = client.get("/").headers["ETag"]
    for change in changes:
        change()
        db.session.commit()
        new = client.get("/").headers["ETag"]
        assert new != etag
        etag = new


def test_scheduled_article_going_live_changes_the_validators_without_any_write(client, publish):
    publish("Already live")
    scheduled = publish("Goes live soon", hours_ago=-1.5 / 3600, status=ArticleStatus.SCHEDULED)
    before = client.get("/")
    assert "Goes live soon" not in before.get_data(as_text=True)
    time.sleep(max(0.0, (scheduled.published_at - utcnow()).total_seconds()) + 1.1)
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "Goes live soon" in after.get_data(as_text=True)


def test_repeat_visits_are_served_from_the_page_cache_and_still_counted(app, client, publish):
    article = publish("Cached article")
    first = client.get("/articles/cached-article/")
    statements, second = statements_during(lambda: client.get("/articles/cached-article/"))
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert statements <= 2  # the validators only; nothing is rendered again
    assert popularity.views(app).pending().count(article.id) == 2
    article.title = "Cached article, revised"
    db.session.commit()
    assert "Cached article, revised" in client.get("/articles/cached-article/").get_data(as_text=True)


def test_signed_in_team_members_get_pages_that_are_never_stored(client, publish, team, login):
    publish("Team view")
    login(team["editor"].email)
    response = client.get("/")
    assert response.status_code == 200 and "ETag" not in response.headers
    assert response.cache_control.no_store
    for url in ["/admin/", "/login"]:
        assert client.get(url).cache_control.no_store, url


def test_sign_in_page_is_never_stored(client):
    assert client.get("/login").cache_control.no_store


def test_errors_and_redirects_are_not_cached(client, publish):
    publish("Moved article", slug="new-home")
    missing = client.get("/articles/not-there/")
    assert missing.status_code == 404 and not missing.cache_control.public


def test_static_files_are_fingerprinted_and_immutable(client):
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response.cache_control.immutable and response.cache_control.max_age == 365 * 24 * 3600
    stale = client.get("/static/style.css?v=000000000000")
    assert stale.status_code == 200 and not stale.cache_control.immutable


def test_page_cache_keeps_within_its_size(app, client, publish):
    cache = caches.of(app, "serving.page_cache")
    cache.max_bytes = 150_000
    for n in range(30):
        publish(f"Article number {n}", body="Words. " * 300)
    for n in range(30):
        client.get(f"/articles/article-number-{n}/")
    assert 100_000 < cache._bytes <= 150_000
    assert len(cache._pages) < 30


def test_last_modified_follows_the_newest_change(client, publish):
    publish("Old news", hours_ago=48)
    first = client.get("/").last_modified
    time.sleep(1.1)  # HTTP dates have whole seconds
    publish("Fresh news", hours_ago=0.01)
    assert client.get("/").last_modified > first
    assert client.get("/").last_modified <= utcnow().replace(tzinfo=first.tzinfo) + timedelta(seconds=1)


def test_listing_totals_are_counted_once_per_content_version(app, client, publish, team, login):
    app.config["PAGE_CACHE_BYTES"] = 0  # every request renders, so only the remembered total is reused
    for number in range(3):
        publish(f"Listed {number}")
    # The listing's total and the right column's topic counts, each once per content version.
    assert _counting_statements(lambda: client.get("/category/treatments/")) == 2
    assert _counting_statements(lambda: client.get("/category/treatments/")) == 0
    assert client.get("/category/treatments/?page=2").status_code == 404  # three articles, three a page

    publish("Listed 3")
    assert client.get("/category/treatments/?page=2").status_code == 200
    login(team["editor"].email)  # a team member's pages are not cached, but the total still follows the content
    publish("Listed 4", status=ArticleStatus.DRAFT)
    publish("Listed 5")
    publish("Listed 6")
    assert client.get("/category/treatments/?page=3").status_code == 404  # six visible: the draft is not counted
    publish("Listed 7")
    assert client.get("/category/treatments/?page=3").status_code == 200


def test_revalidations_and_cached_pages_are_answered_before_flask_with_the_same_headers(app, client, publish):
    publish("Fast answers")
    flask_requests = []

    def started(_sender, **_extra):
        flask_requests.append(request.path)

    request_started.connect(started, app)
    first = client.get("/articles/fast-answers/")
    assert flask_requests == ["/articles/fast-answers/"]

    conditional = {"If-None-Match": first.headers["ETag"]}
    fast = client.get("/articles/fast-answers/", headers=conditional)
    cached = client.get("/articles/fast-answers/")
    assert flask_requests == ["/articles/fast-answers/"]  # neither reached Flask's request handling
    through_flask = client.head("/articles/fast-answers/", headers=conditional)
    assert flask_requests == ["/articles/fast-answers/"] * 2
    assert fast.status_code == through_flask.status_code == 304
    assert headers_but_request_id(fast) == headers_but_request_id(through_flask)
    assert cached.get_data() == first.get_data()
    assert headers_but_request_id(cached) == headers_but_request_id(first)


def headers_but_request_id(response) -> list[tuple[str, str]]:
    """Return a response's headers, sorted, without X-Request-ID (each answer has its own)."""
    return sorted((name, value) for name, value in response.headers.items() if name != "X-Request-ID")


def test_fast_path_leaves_team_members_forms_and_https_details_right(app, client, publish, team, login):
    publish("Still right")
    etag = client.get("/").headers["ETag"]
    secure = client.get("/", base_url="https://blog.example.org", headers={"If-None-Match": etag})
    assert secure.status_code == 304 and "Strict-Transport-Security" in secure.headers
    login(team["editor"].email)
    signed_in = client.get("/", headers={"If-None-Match": etag})
    assert signed_in.status_code == 200 and signed_in.cache_control.no_store


def test_query_strings_the_page_ignores_find_the_kept_copy_and_never_push_pages_out(app, client, publish):
    publish("Busted article")
    cache = caches.of(app, "serving.page_cache")
    first = client.get("/articles/busted-article/")
    kept = dict(cache._pages)
    for n in range(20):  # an attacker's cache busters, and other spellings of the first page
        for url in [f"/articles/busted-article/?cb={n}", f"/?utm_source={n}", f"/?page=0{1}&x={n}", "/?page=abc"]:
            statements, response = statements_during(lambda url=url: client.get(url))
            assert response.status_code == 200, url
            assert statements <= 2 or (url.startswith("/?") and n == 0), url  # the home page is rendered once
    assert client.get("/articles/busted-article/?cb=x").data == first.data
    assert set(cache._pages) == set(kept) | {"/"}


def test_pages_numbered_where_nothing_has_pages_and_highlighted_copies_are_not_kept(app, client, publish):
    for n in range(12):
        publish(f"Listed article {n}")
    cache = caches.of(app, "serving.page_cache")
    for url in [f"/articles/listed-article-1/?page={n}" for n in range(2, 6)] + ["/articles/listed-article-1/?hl=x"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/?page=2").status_code == 200
    assert set(cache._pages) == {"/?page=2"}
