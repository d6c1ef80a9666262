"""An article's history: every save a revision to compare and restore, conflicting saves, and the trash."""

import re

from article_editor import article_named, form_of, write
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import Revision


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
