"""The admin's pages: site settings, adding a user who can then sign in, and never locking oneself out."""

from article_editor import form_of
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import User


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
