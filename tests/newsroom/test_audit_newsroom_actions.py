"""The audit rows each newsroom action writes: accounts, settings, publishing, the trash and uploads."""

import re
from datetime import timedelta

from article_editor import article_named, form_of, write
from audit_events import actions, audit_events
from conftest import csrf_token
from upload_images import image_bytes, post_image

from blogapp.models import ArticleStatus, utcnow


def newsroom_actions() -> list[str]:
    """Return the recorded actions other than signing in."""
    return [action for action in actions() if not action.startswith("signin.")]


def test_role_and_access_changes_are_recorded(client, team, login):
    login(team["admin"].email)
    token = csrf_token(client, "/admin/users/")
    new = {"email": "new@example.org", "name": "New Writer", "role": "author", "password": "a long password"}
    assert client.post("/admin/users/", data={**new, "csrf_token": token}).status_code == 302
    author = team["author"]
    assert client.post(f"/admin/users/{author.id}", data={"role": "editor", "csrf_token": token}).status_code == 302
    changes = {"role": "editor", "active": "y", "csrf_token": token}
    assert client.post(f"/admin/users/{author.id}", data=changes).status_code == 302
    assert client.post(f"/admin/users/{author.id}", data=changes).status_code == 302  # nothing changes
    created, role, deactivated, activated = audit_events()[1:]
    assert (created.action, created.target_label, created.detail) == (
        "user.created",
        "new@example.org",
        {"role": "author"},
    )
    assert (role.action, role.target_id, role.detail) == (
        "user.role_changed",
        author.id,
        {"from": "author", "to": "editor"},
    )
    assert (deactivated.action, activated.action) == ("user.deactivated", "user.activated")
    assert {event.actor_email for event in audit_events()} == {"admin@example.org"}


def test_account_commands_are_recorded_from_the_command_line(runner, team):
    assert runner.invoke(args=["users", "set-role", "author@example.org", "reviewer"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "author@example.org"]).exit_code == 0
    assert runner.invoke(args=["users", "activate", "author@example.org"]).exit_code == 0
    result = runner.invoke(args=["users", "set-password", "author@example.org", "--password", "another long one"])
    assert result.exit_code == 0, result.output
    assert actions() == ["user.role_changed", "user.deactivated", "user.activated", "password.changed"]
    assert {(event.address, event.actor_email) for event in audit_events()} == {("command line", "")}


def test_settings_changes_are_recorded_with_the_keys_changed(client, team, login):
    login(team["admin"].email)
    data = form_of(client, "/admin/settings")
    assert client.post("/admin/settings", data={**data, "review_due_months": "6"}).status_code == 302
    assert client.post("/admin/settings", data={**data, "review_due_months": "6"}).status_code == 302  # no change
    (changed,) = audit_events("settings.changed")
    assert changed.detail == {"changed": ["review_due_months"]} and changed.actor_email == "admin@example.org"


def test_publishing_scheduling_and_unpublishing_are_recorded(client, publish, editor):
    assert write(client, publish, status="draft").status_code == 302
    article = article_named("Ketamine for migraine")
    url = f"/admin/articles/{article.id}/edit"
    assert newsroom_actions() == []  # a draft saved is in the revisions, not the audit log
    when, now = ((utcnow() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M") for days in (2, 0))
    for changes in ({"status": "published", "published_at": when}, {"status": "published", "published_at": now}):
        assert client.post(url, data={**form_of(client, url), **changes}).status_code == 302
    assert client.post(url, data={**form_of(client, url), "status": "draft"}).status_code == 302
    assert newsroom_actions() == ["article.scheduled", "article.published", "article.unpublished"]
    scheduled = audit_events("article.scheduled")[0]
    assert (scheduled.target_type, scheduled.target_id, scheduled.target_label) == (
        "article",
        article.id,
        article.title,
    )
    assert scheduled.detail["published_at"].startswith(when)


def test_a_new_article_published_at_once_is_recorded_with_its_id(client, publish, editor):
    assert write(client, publish, status="published").status_code == 302
    (published,) = audit_events("article.published")
    assert published.target_id == article_named("Ketamine for migraine").id
    assert article_named("Ketamine for migraine").status == ArticleStatus.PUBLISHED


def test_trash_restore_and_emptying_are_recorded(client, publish, editor):
    kept, doomed = publish("Kept article").id, publish("Doomed article").id
    token = csrf_token(client, "/admin/trash/")
    for article_id in (kept, doomed):
        assert client.post(f"/admin/articles/{article_id}/trash", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/admin/trash/{kept}/restore", data={"csrf_token": token}).status_code == 302
    assert client.post("/admin/trash/empty", data={"csrf_token": token, "confirm": "y"}).status_code == 302
    assert newsroom_actions() == ["article.trashed", "article.trashed", "article.restored", "trash.emptied"]
    emptied = audit_events("trash.emptied")[0]
    assert emptied.detail == {"count": 1, "articles": [{"id": doomed, "title": "Doomed article"}]}


def test_uploads_are_recorded(client, team, login, uploads_dir):
    login(team["author"].email)
    assert post_image(client, image_bytes("PNG"), "chart.png").status_code == 302
    (uploaded,) = audit_events("upload.created")
    assert (uploaded.target_type, uploaded.target_label, uploaded.actor_email) == (
        "upload",
        "chart.png",
        "author@example.org",
    )
    assert uploaded.detail["filename"].endswith(".png") and uploaded.detail["size"] > 0


def test_restoring_a_revision_that_was_live_is_recorded_as_publishing(client, publish, editor):
    assert write(client, publish, status="published").status_code == 302
    article_id = article_named("Ketamine for migraine").id
    url = f"/admin/articles/{article_id}/edit"
    assert client.post(url, data={**form_of(client, url), "status": "draft"}).status_code == 302
    revisions = client.get(f"/admin/articles/{article_id}/revisions/").get_data(as_text=True)
    live = min(int(found) for found in re.findall(r"/revisions/(\d+)/restore", revisions))
    restore = f"/admin/articles/{article_id}/revisions/{live}/restore"
    assert client.post(restore, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert newsroom_actions() == ["article.published", "article.unpublished", "article.published"]
    assert article_named("Ketamine for migraine").status == ArticleStatus.PUBLISHED
