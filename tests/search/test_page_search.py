"""Published pages in site search: found at /<slug>/ marked "Page", kept in step through the change log, rebuilt."""

import re

from conftest import csrf_token

from blogapp.content.pages import restore_page, save_page, set_status, trash_page
from blogapp.extensions import db
from blogapp.models import Page, PageStatus, SearchChange
from blogapp.search import get_index


def make_page(title: str, slug: str, body: str, status=PageStatus.PUBLISHED) -> Page:
    """Save a page through the page service and commit it (the commit logs its search change)."""
    page = save_page(Page(), title=title, slug=slug, body=body, status=status, in_footer=True, menu_order=0)
    db.session.commit()
    get_index().wait_for_retry()
    return page


def results(client, query: str, **params) -> str:
    """Return the result list of a search page (empty when nothing was found)."""
    html = client.get("/search", query_string={"q": query, **params}).get_data(as_text=True)
    found = re.search(r'<ol class="results".*?</ol>', html, re.S)
    return found.group() if found else ""


def commit_and_apply() -> None:
    db.session.commit()
    get_index().wait_for_retry()


def test_published_page_is_found_marked_as_a_page_and_gone_once_unpublished_or_trashed(client, ctx):
    page = make_page("Editorial policy", "editorial-policy", "How we check every **zebrafinch** claim.")
    found = results(client, "zebrafinch")
    assert 'href="/editorial-policy/"' in found and '<span class="result-kind">Page</span>' in found
    assert "<mark>zebrafinch</mark>" in found
    set_status(page, PageStatus.DRAFT)
    commit_and_apply()
    assert results(client, "zebrafinch") == ""
    set_status(page, PageStatus.PUBLISHED)
    commit_and_apply()
    assert "/editorial-policy/" in results(client, "zebrafinch")
    trash_page(page)
    commit_and_apply()
    assert results(client, "zebrafinch") == ""
    restore_page(page)
    commit_and_apply()
    assert "/editorial-policy/" in results(client, "zebrafinch")
    db.session.delete(page)
    commit_and_apply()
    assert results(client, "zebrafinch") == "" and get_index().check().clean


def test_a_draft_is_never_found_and_an_edit_is_found_by_its_new_words(client, ctx):
    page = make_page("Privacy", "privacy", "We keep no quokka data.", status=PageStatus.DRAFT)
    assert results(client, "quokka") == ""
    save_page(page, title="Privacy", slug="privacy", body="We keep no wombat data.", status=PageStatus.PUBLISHED,
              in_footer=True, menu_order=0)
    commit_and_apply()
    assert results(client, "quokka") == "" and "/privacy/" in results(client, "wombat")


def test_page_published_in_the_newsroom_is_found(client, editor):
    data = {"title": "Contact", "slug": "contact", "body": "Write to the capybara desk.", "status": "published",
            "in_footer": "y", "menu_order": "0", "save": "Save", "csrf_token": csrf_token(client, "/admin/pages/new")}
    assert client.post("/admin/pages/new", data=data).status_code == 302
    get_index().wait_for_retry()
    assert 'href="/contact/"' in results(client, "capybara")


def test_pages_take_no_topic_or_tag_and_leave_article_facets_right(client, publish):
    publish("Zebrafinch care", "A zebrafinch article.")
    make_page("Editorial policy", "editorial-policy", "How we write about the zebrafinch.")
    html = client.get("/search?q=zebrafinch").get_data(as_text=True)
    assert "2 results" in html
    facets = html[html.index('<aside class="facets"') :]
    assert re.findall(r"<span class=\"meta\">(\d+)</span>", facets) == ["1"]  # the article's topic alone
    narrowed = results(client, "zebrafinch", category="treatments")
    assert "/articles/zebrafinch-care/" in narrowed and "/editorial-policy/" not in narrowed


def test_rebuild_indexes_pages_and_check_counts_them(runner, client, publish):
    publish("Kept article")
    page = make_page("About", "about", "A small team of okapi keepers.")
    make_page("Draft page", "draft-page", "Okapi drafts.", status=PageStatus.DRAFT)
    writer = get_index().open().writer()
    writer.delete_by_term("id", f"page-{page.id}")
    writer.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing: 1  stale: 0  extra: 0" in result.output
    assert f"page-{page.id}" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "missing: 0  stale: 0  extra: 0" in result.output
    assert "/about/" in results(client, "okapi") and "/draft-page/" not in results(client, "okapi")


def test_pages_are_not_suggested_or_related(client, publish):
    article = publish("Okapi care", "All about the okapi and its keepers.")
    make_page("Okapi policy", "okapi-policy", "All about the okapi and its keepers.")
    suggestions = client.get("/search/suggest?q=oka").get_json()["suggestions"]
    assert [s["url"] for s in suggestions] == [f"/articles/{article.slug}/"]
    assert client.get(f"/articles/{article.slug}/").status_code == 200  # related lists skip the page


def test_a_rolled_back_page_save_leaves_the_index_and_the_log_alone(client, ctx):
    logged = db.session.scalar(db.select(db.func.count(SearchChange.id)))
    save_page(Page(), title="Unsaved", slug="unsaved", body="A narwhal.", status=PageStatus.PUBLISHED,
              in_footer=True, menu_order=0)
    db.session.flush()
    db.session.rollback()
    get_index().drain()
    assert db.session.scalar(db.select(db.func.count(SearchChange.id))) == logged
    assert results(client, "narwhal") == "" and get_index().check().clean
