"""The audit log of signing in and out: success, failure with the email tried, lockout once, sign-out."""

import pytest
from audit_events import actions, audit_events
from conftest import PASSWORD, csrf_token


@pytest.fixture
def app_overrides():
    return {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 2}


def sign_in(client, email, password):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def test_signing_in_and_out_is_recorded_with_the_address(client, team):
    assert sign_in(client, "Editor@Example.org", PASSWORD).status_code == 302
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")}).status_code == 302
    signed_in, signed_out = audit_events()
    assert (signed_in.action, signed_in.actor_email, signed_in.actor_id) == (
        "signin.succeeded",
        "editor@example.org",
        team["editor"].id,
    )
    assert (signed_in.target_type, signed_in.target_id, signed_in.address) == ("user", team["editor"].id, "127.0.0.1")
    assert (signed_out.action, signed_out.actor_email) == ("signout", "editor@example.org")


def test_failed_sign_in_is_committed_with_the_email_tried(client, team):
    response = sign_in(client, " Nobody@Example.org ", "wrong password")
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    (failed,) = audit_events()
    assert (failed.action, failed.actor_id, failed.actor_email) == ("signin.failed", None, "")
    assert failed.detail == {"email": "nobody@example.org"} and failed.target_label == "nobody@example.org"


def test_lockout_is_recorded_once_however_often_the_address_is_refused(client, team):
    for _ in range(2):
        assert sign_in(client, "author@example.org", "wrong password").status_code == 200
    for _ in range(3):
        assert sign_in(client, "author@example.org", "wrong password").status_code == 429
    assert actions() == ["signin.failed", "signin.failed", "signin.locked_out"]
    locked = audit_events("signin.locked_out")[0]
    assert locked.detail["email"] == "author@example.org" and locked.detail["wait_seconds"] > 0


def test_anonymous_sign_out_records_nothing(client, team):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert actions() == []
