"""Writing in the editor: drafts, publishing and scheduling by role, bad input, slugs, redirects, preview."""

from datetime import datetime, timedelta

import pytest
from article_editor import article_named, form_of, write
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Revision, utcnow


def test_author_writes_a_draft_that_readers_cannot_see(client, publish, team, login):
    login(team["author"].email)
    response = write(client, publish, tags="Pain, Migraine")
    assert response.status_code == 302
    article = article_named("Ketamine for migraine")
    assert article.status == ArticleStatus.DRAFT and article.slug == "ketamine-for-migraine"
    assert article.author.name == "Author Person" and [t.name for t in article.tags] == ["Migraine", "Pain"]
    assert len(db.session.scalars(db.select(Revision).where(Revision.article_id == article.id)).all()) == 1
    assert client.get("/articles/ketamine-for-migraine/").status_code == 404
    assert "Ketamine" not in client.get("/search?q=ketamine").get_data(as_text=True)
    assert "Ketamine" not in client.get("/feed.atom").get_data(as_text=True)


def test_tags_in_any_script_are_kept_with_transliterated_addresses(client, publish, editor):
    response = write(client, publish, status="published", tags="Здоровье сердца, 健康, Straße, œdema")
    assert response.status_code == 302
    article = article_named("Ketamine for migraine")
    assert sorted(tag.slug for tag in article.tags) == ["jian-kang", "oedema", "strasse", "zdorove-serdtsa"]
    page = client.get("/tag/zdorove-serdtsa/")
    assert page.status_code == 200 and "Ketamine for migraine" in page.get_data(as_text=True)


def test_author_cannot_publish_by_forging_the_status(client, publish, team, login):
    login(team["author"].email)
    response = write(client, publish, status="published")
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    assert article_named("Ketamine for migraine") is None


def test_editor_publishes_and_the_article_is_searchable(client, publish, editor):
    assert write(client, publish, status="published").status_code == 302
    assert client.get("/articles/ketamine-for-migraine/").status_code == 200
    assert "/articles/ketamine-for-migraine/" in client.get("/search?q=ketamine").get_data(as_text=True)


def test_future_publish_time_schedules_the_article(client, publish, editor):
    when = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    write(client, publish, status="published", published_at=when)
    article = article_named("Ketamine for migraine")
    assert article.status == ArticleStatus.SCHEDULED
    assert client.get("/articles/ketamine-for-migraine/").status_code == 404
    assert write(client, publish, title="No time", status="scheduled", published_at="").status_code == 422


@pytest.mark.parametrize(
    "written",
    ["1 December 2030 14:30", "1 Dec 2030 14:30", "01 december 2030, 14:30", "1 December 2030 at 2:30 pm",
     "2030-12-01T14:30", "2030-12-01 14:30"],
)
def test_publish_time_is_entered_as_the_site_writes_dates(client, publish, editor, written):
    assert write(client, publish, status="published", published_at=written).status_code == 302
    article = article_named("Ketamine for migraine")
    assert article.published_at == datetime(2030, 12, 1, 14, 30) and article.status == ArticleStatus.SCHEDULED
    edit_url = f"/admin/articles/{article.id}/edit"
    fields = form_of(client, edit_url)
    assert fields["published_at"] == "1 December 2030 14:30"  # shown the way it was asked for


def test_saving_again_keeps_the_seconds_of_the_stored_publish_time(client, publish, editor):
    article = publish("Ketamine for migraine")
    stored = article.published_at
    assert stored.second or stored.microsecond  # published "now": this test needs seconds to lose
    fields = form_of(client, f"/admin/articles/{article.id}/edit")
    assert client.post(f"/admin/articles/{article.id}/edit", data={**fields, "summary": "New."}).status_code == 302
    assert article_named("Ketamine for migraine").published_at == stored


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the article a title."),
        ({"title": "   "}, "Give the article a title."),
        ({"body": "x" * (10 * 1024 * 1024)}, "the limit is"),
        ({"slug": "a/b"}, "no /"),
        ({"slug": ".."}, "no /"),
        ({"slug": "Has Spaces"}, "no /"),
        ({"category": "999999"}, "Not a valid choice"),
        ({"category": "abc"}, "Not a valid choice"),
        ({"category": ""}, "Choose a category."),
        ({"status": "deleted"}, "Not a valid choice"),
        ({"published_at": "yesterday"}, "such as “1 December 2026 14:30”"),
        ({"published_at": "12/01/2026 14:30"}, "such as “1 December 2026 14:30”"),
        ({"published_at": "31 February 2026"}, "such as “1 December 2026 14:30”"),
        ({"references": "Title | Source | 20 | doi"}, "four digits"),
        ({"author": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_input_returns_the_form_with_a_message(client, publish, editor, changes, message):
    response = write(client, publish, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_duplicate_slug_is_refused(client, publish, editor):
    publish("Existing", slug="taken")
    response = write(client, publish, slug="taken")
    assert response.status_code == 422 and "Another article already has this slug." in response.get_data(as_text=True)


def test_same_title_gets_a_free_slug(client, publish, editor):
    publish("Ketamine for migraine")
    write(client, publish)
    assert db.session.scalar(db.select(Article.slug).where(Article.status == ArticleStatus.DRAFT)) == (
        "ketamine-for-migraine-2"
    )


def test_same_title_takes_the_first_free_number(client, publish, editor):
    for suffix in ("", "-2", "-3", "-5"):
        publish("Ketamine for migraine", slug=f"ketamine-for-migraine{suffix}")
    publish("Ketamine for migraine, revisited", slug="ketamine-for-migraine-4x")
    write(client, publish)
    assert db.session.scalar(db.select(Article.slug).where(Article.status == ArticleStatus.DRAFT)) == (
        "ketamine-for-migraine-4"
    )


def test_changing_the_slug_of_a_published_article_redirects_the_old_url(client, publish, editor):
    article = publish("Old title", slug="old-slug")
    data = form_of(client, f"/admin/articles/{article.id}/edit")
    assert client.post(f"/admin/articles/{article.id}/edit", data={**data, "slug": "new-slug"}).status_code == 302
    response = client.get("/articles/old-slug/")
    assert response.status_code == 301 and response.location.endswith("/articles/new-slug/")
    data = form_of(client, f"/admin/articles/{article.id}/edit")
    client.post(f"/admin/articles/{article.id}/edit", data={**data, "slug": "newest-slug"})
    assert client.get("/articles/old-slug/").location.endswith("/articles/newest-slug/")
    assert client.get("/articles/new-slug/").location.endswith("/articles/newest-slug/")


def test_preview_renders_through_the_sanitiser_without_saving(client, publish, editor):
    body = "# Hello\n\n<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"
    response = write(client, publish, body=body, preview="Preview")
    html = response.get_data(as_text=True).split('id="preview-pane"')[1].split("</section>")[0]
    assert response.status_code == 200 and "Hello</h2>" in html
    assert "<script" not in html and "onerror" not in html and 'href="javascript' not in html
    assert article_named("Ketamine for migraine") is None
    token = csrf_token(client, "/admin/articles/new")
    live = client.post("/admin/preview", data={"body": body, "csrf_token": token})
    assert live.status_code == 200 and "Hello" in live.get_data(as_text=True)
    assert "<script" not in live.get_data(as_text=True) and "onerror" not in live.get_data(as_text=True)
    assert client.post("/admin/preview", data={"body": body}).status_code == 400
