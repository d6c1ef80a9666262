"""Password reset by email: one answer whatever the address, a signed link good once and for an hour."""

import re

import pytest
from conftest import PASSWORD, csrf_token

from blogapp.extensions import db
from blogapp.models import User


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True}  # no test here asks more than five times but the limit's own


def ask(client, email):
    """Ask for a reset link for `email`; return the page the answer leads to."""
    response = client.post(
        "/reset-password", data={"email": email, "csrf_token": csrf_token(client, "/reset-password")}
    )
    assert response.status_code == 302
    response.close()  # as a server does once the answer is sent: only then does the message go out
    return client.get(response.location).get_data(as_text=True)


def notice(page):
    return re.search(r'<p class="notice" role="status">(.*?)</p>', page).group(1)


def choose(client, path, password):
    data = {"password": password, "password_again": password, "csrf_token": csrf_token(client, path)}
    return client.post(path, data=data)


def sign_in(client, email, password):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data)


def test_the_answer_is_the_same_whatever_the_address(app, team, smtp_inbox):
    known = notice(ask(app.test_client(), "editor@example.org"))
    unknown = notice(ask(app.test_client(), "nobody@example.org"))
    assert known.replace("editor@example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert [message["To"] for message in smtp_inbox.wait_for(1)] == ["editor@example.org"]


def test_a_reset_link_sets_a_new_password_once_and_signs_every_session_out(app, client, team, login, smtp_inbox):
    login(team["editor"].email)
    assert client.get("/admin/").status_code == 200
    browser = app.test_client()
    ask(browser, "Editor@Example.org")
    path = smtp_inbox.link(smtp_inbox.wait_for(1)[0], "/reset-password/")
    assert "Choose a new password" in browser.get(path).get_data(as_text=True)
    mismatch = {"password": "a new password", "password_again": "another", "csrf_token": csrf_token(browser, path)}
    assert browser.post(path, data=mismatch).status_code == 422
    assert choose(browser, path, "a new password").status_code == 302
    assert browser.get(path).status_code == 404  # good once
    assert client.get("/admin/").status_code == 302  # the session from before the reset is over
    assert sign_in(app.test_client(), "editor@example.org", PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "editor@example.org", "a new password").status_code == 302


def test_expired_forged_and_cancelled_links_are_refused(app, team, smtp_inbox):
    browser = app.test_client()
    ask(browser, "author@example.org")
    path = smtp_inbox.link(smtp_inbox.wait_for(1)[0], "/reset-password/")
    assert browser.get("/reset-password/" + "x" * 40).status_code == 404
    app.config["PASSWORD_RESET_HOURS"] = -1
    assert browser.get(path).status_code == 404
    app.config["PASSWORD_RESET_HOURS"] = 1
    user = db.session.get(User, team["author"].id)
    user.active = False  # a deactivated account gets no new password
    db.session.commit()
    assert browser.get(path).status_code == 404


def test_no_mail_is_sent_to_inactive_or_invited_accounts(app, team, smtp_inbox):
    user = db.session.get(User, team["reviewer"].id)
    user.active = False
    db.session.commit()
    ask(app.test_client(), "reviewer@example.org")
    assert smtp_inbox.messages == []


def test_bad_requests_are_refused_with_a_message(client, smtp_inbox):
    page = client.post("/reset-password", data={"email": "nope", "csrf_token": csrf_token(client, "/reset-password")})
    assert page.status_code == 422 and "Enter an email address." in page.get_data(as_text=True)
    assert client.post("/reset-password", data={"email": "a@example.org"}).status_code == 400  # no CSRF token


def test_without_mail_the_page_says_to_ask_an_admin(client, team):
    assert "cannot send mail" in client.get("/reset-password").get_data(as_text=True)
    assert "Forgotten your password?" not in client.get("/login").get_data(as_text=True)
    assert client.post("/reset-password", data={"csrf_token": csrf_token(client)}).status_code == 422


def test_reset_requests_are_rate_limited(app, team, smtp_inbox):
    browser = app.test_client()
    token = csrf_token(browser, "/reset-password")
    answers = [
        browser.post("/reset-password", data={"email": f"person{n}@example.org", "csrf_token": token}).status_code
        for n in range(6)
    ]
    assert answers == [302] * 5 + [429]


def test_one_inbox_cannot_be_flooded_from_many_client_addresses(app, team, smtp_inbox):
    browser = app.test_client()
    token = csrf_token(browser, "/reset-password")
    answers = []
    for n, email in enumerate(["editor@example.org", "Editor@Example.org"] * 2 + ["nobody@example.org"]):
        data = {"email": email, "csrf_token": token}
        response = browser.post("/reset-password", data=data, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        response.close()  # the message, if any, goes out now
        answers.append(response.status_code)
    assert answers == [302, 302, 302, 429, 302]  # an unknown address is counted the same, so nothing is told
    assert len(smtp_inbox.wait_for(3)) == 3


def test_a_mail_server_failure_does_not_change_the_answer(app, team, smtp_inbox):
    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    assert "a link to choose a new password is on its way" in ask(app.test_client(), "editor@example.org")


def test_the_message_goes_out_only_once_the_answer_is_sent(app, team, smtp_inbox):
    browser = app.test_client()
    token = csrf_token(browser, "/reset-password")
    response = browser.post("/reset-password", data={"email": "editor@example.org", "csrf_token": token})
    assert response.status_code == 302 and smtp_inbox.messages == []
    response.close()
    assert smtp_inbox.wait_for(1)[0]["To"] == "editor@example.org"
