"""Writing in the newsroom: the editor, slugs, statuses, revisions, conflicts, trash, review and settings."""

import re
from datetime import timedelta

import pytest
from conftest import csrf_token
from servers import form_fields

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Revision, User, utcnow


def form_of(client, url):
    """Return the editor's fields as the page renders them (what a browser would submit)."""
    return form_fields(client.get(url).get_data(as_text=True))


def article_named(title):
    db.session.expire_all()
    return db.session.scalar(db.select(Article).where(Article.title == title))


def write(client, publish, **changes):
    data = form_of(client, "/admin/articles/new")
    data.update(
        {"title": "Ketamine for migraine", "body": "## What it is\n\nA short body.", "category": publish.category.id}
    )
    data.update(changes)
    return client.post("/admin/articles/new", data=data)


@pytest.fixture
def editor(client, team, login):
    login(team["editor"].email)
    return db.session.get(User, team["editor"].id)


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
    ("changes", "message"),
    [
        ({"title": ""}, "Give the article a title."),
        ({"title": "   "}, "Give the article a title."),
        ({"body": "x" * (10 * 1024 * 1024)}, "the limit is"),
        ({"slug": "a/b"}, "no /"),
        ({"slug": ".."}, "no /"),
        ({"slug": "Has Spaces"}, "no /"),
        ({"category": "999999"}, "Not a valid choice"),
        ({"category": "abc"}, "Invalid Choice"),
        ({"status": "deleted"}, "Not a valid choice"),
        ({"published_at": "yesterday"}, "Not a valid datetime"),
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


def test_every_save_is_a_revision_and_any_two_can_be_compared_and_restored(client, publish, editor):
    write(client, publish, body="First line.\n\nSecond line.", status="published")
    article = article_named("Ketamine for migraine")
    url = f"/admin/articles/{article.id}/edit"
    client.post(url, data={**form_of(client, url), "body": "First line.\n\nChanged line."})
    client.post(url, data={**form_of(client, url), "title": "Ketamine and migraine"})
    revisions = client.get(f"/admin/articles/{article.id}/revisions/").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r"/revisions/(\d+)/restore", revisions)]
    assert len(ids) == 2  # the two older revisions can be restored; the newest is current
    first = min(ids)
    diff = client.get(f"/admin/articles/{article.id}/revisions/diff?a={first}&b={first + 2}").get_data(as_text=True)
    assert '<li class="removed"><span class="visually-hidden">Removed: </span>Second line.</li>' in diff
    assert "Title: Ketamine and migraine" in diff
    token = csrf_token(client, f"/admin/articles/{article.id}/revisions/")
    assert (
        client.post(f"/admin/articles/{article.id}/revisions/{first}/restore", data={"csrf_token": token}).status_code
        == 302
    )
    restored = article_named("Ketamine for migraine")
    assert restored.body == "First line.\n\nSecond line."
    assert db.session.scalar(db.select(db.func.count(Revision.id)).where(Revision.article_id == article.id)) == 4
    assert "/articles/ketamine-for-migraine/" in client.get("/search?q=second").get_data(as_text=True)


def test_second_save_from_an_old_revision_is_a_conflict_not_an_overwrite(app, client, publish, editor, team, login):
    article = publish("Shared article", body="Original body.")
    url = f"/admin/articles/{article.id}/edit"
    mine = form_of(client, url)
    other = app.test_client()
    other.post(
        "/login",
        data={"email": team["admin"].email, "password": "correct horse battery", "csrf_token": csrf_token(other)},
    )
    theirs = form_of(other, url)
    assert other.post(url, data={**theirs, "body": "Their body."}).status_code == 302
    response = client.post(url, data={**mine, "body": "My body."})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else saved this article" in html
    assert "Their body." in html and "My body." in html
    assert article_named("Shared article").body == "Their body."
    # Saving again from the conflict page is a deliberate choice: it now starts from their revision.
    base = re.search(r'name="base_revision"[^>]*value="(\d+)"', html).group(1)
    assert client.post(url, data={**mine, "body": "My body.", "base_revision": base}).status_code == 302
    assert article_named("Shared article").body == "My body."


def test_trash_hides_restores_and_empties_only_when_confirmed(client, publish, editor):
    article = publish("Trashed article", body="uniqueword")
    token = csrf_token(client, "/admin/")
    assert client.post(f"/admin/articles/{article.id}/trash", data={"csrf_token": token}).status_code == 302
    assert client.get("/articles/trashed-article/").status_code == 404
    assert "/articles/trashed-article/" not in client.get("/search?q=uniqueword").get_data(as_text=True)
    assert "Trashed article" not in client.get("/feed.rss").get_data(as_text=True)
    client.get("/admin/")  # shows the flash message
    assert "Trashed article" not in client.get("/admin/articles/").get_data(as_text=True)
    assert "Trashed article" in client.get("/admin/trash/").get_data(as_text=True)
    client.post(f"/admin/trash/{article.id}/restore", data={"csrf_token": token})
    assert client.get("/articles/trashed-article/").status_code == 200
    assert "/articles/trashed-article/" in client.get("/search?q=uniqueword").get_data(as_text=True)
    client.post(f"/admin/articles/{article.id}/trash", data={"csrf_token": token})
    response = client.post("/admin/trash/empty", data={"csrf_token": token})
    assert response.status_code == 422 and "Tick the box to confirm." in response.get_data(as_text=True)
    assert article_named("Trashed article") is not None
    client.post("/admin/trash/empty", data={"csrf_token": token, "confirm": "y"})
    assert article_named("Trashed article") is None
    assert db.session.scalar(db.select(db.func.count(Revision.id))) == 0


def test_reviewer_marks_an_article_reviewed_and_the_dashboard_tracks_due_reviews(client, publish, team, login):
    old = publish("Reviewed long ago")
    old.reviewed_at, old.reviewer = utcnow() - timedelta(days=400), db.session.get(User, team["reviewer"].id)
    fresh = publish("Never reviewed")
    db.session.commit()
    login(team["reviewer"].email)
    dashboard = client.get("/admin/").get_data(as_text=True)
    due = dashboard.split('id="due-heading"')[1]
    assert "Reviewed long ago" in due and "Never reviewed" in due
    token = csrf_token(client, "/admin/")
    assert client.post(f"/admin/articles/{fresh.id}/review", data={"csrf_token": token}).status_code == 302
    article = article_named("Never reviewed")
    assert article.reviewer.email == "reviewer@example.org" and article.reviewed_at > utcnow() - timedelta(minutes=1)
    assert article.updated_at == fresh.updated_at  # a review is not an edit
    assert "Never reviewed" not in client.get("/admin/").get_data(as_text=True).split('id="due-heading"')[1]
    assert "Medically reviewed by Reviewer Person" in client.get(f"/admin/articles/{fresh.id}/").get_data(as_text=True)


def test_dashboard_lists_drafts_reviews_schedule_and_search_log(client, publish, team, login):
    author = db.session.get(User, team["author"].id)
    publish("My own draft", author=author.author, status=ArticleStatus.DRAFT)
    publish("Waiting for an editor", status=ArticleStatus.REVIEW)
    publish("Coming soon", hours_ago=-48, status=ArticleStatus.SCHEDULED)
    client.get("/search?q=nothingmatchesthis")
    login(team["editor"].email)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Waiting for an editor" in html and "Coming soon" in html
    assert "My own draft" not in html.split('id="review-heading"')[0]  # another user's draft is not "mine"
    assert "nothingmatchesthis" in html.split("Searches that found nothing")[1]


def test_admin_changes_the_settings(client, team, login):
    login(team["admin"].email)
    data = form_of(client, "/admin/settings")
    assert (
        client.post(
            "/admin/settings", data={**data, "disclaimer": "Ask your doctor.", "review_due_months": "6"}
        ).status_code
        == 302
    )
    assert "Ask your doctor." in client.get("/admin/settings").get_data(as_text=True)
    for months in ("0", "abc", "1000"):
        assert client.post("/admin/settings", data={**data, "review_due_months": months}).status_code == 422


def test_admin_adds_a_user_who_can_then_sign_in(app, client, team, login):
    login(team["admin"].email)
    token = csrf_token(client, "/admin/users/")
    new = {"email": "New@Example.org", "name": "New Writer", "role": "author", "password": "a long password"}
    assert client.post("/admin/users/", data={**new, "csrf_token": token}).status_code == 302
    assert client.post("/admin/users/", data={**new, "csrf_token": token}).status_code == 422  # duplicate
    forged = {**new, "email": "x@example.org", "role": "superuser"}
    assert client.post("/admin/users/", data={**forged, "csrf_token": token}).status_code == 422
    other = app.test_client()
    response = other.post(
        "/login", data={"email": "new@example.org", "password": "a long password", "csrf_token": csrf_token(other)}
    )
    assert response.status_code == 302


def test_admin_cannot_lock_themselves_out(client, team, login):
    login(team["admin"].email)
    token = csrf_token(client, "/admin/users/")
    client.post(f"/admin/users/{team['admin'].id}", data={"role": "author", "csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, team["admin"].id).role == "admin"
