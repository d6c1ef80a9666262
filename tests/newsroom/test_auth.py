"""Signing in and out: passwords, throttling, session cookies, CSRF and safe redirects."""

import pytest
from conftest import PASSWORD, csrf_token

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import LoginFailure, User


def post_login(client, email, password, **query):
    token = csrf_token(client)
    return client.post("/login", query_string=query, data={"email": email, "password": password, "csrf_token": token})


def test_sign_in_and_out(client, team):
    response = post_login(client, "Editor@Example.org ", PASSWORD)
    assert response.status_code == 302 and response.location == "/admin/"
    assert client.get("/admin/").status_code == 200
    token = csrf_token(client, "/admin/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, team):
    wrong = post_login(client, "editor@example.org", "not the password")
    unknown = post_login(client, "nobody@example.org", "not the password")
    message = "That email and password do not match an active account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert wrong.status_code == unknown.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_passwords_are_stored_as_salted_hashes(ctx):
    from blogapp.models import Role
    from blogapp.newsroom.accounts import create_user

    one = create_user("one@example.org", Role.AUTHOR, "One", "a long password")
    two = create_user("two@example.org", Role.AUTHOR, "Two", "a long password")
    assert one.password_hash.startswith("scrypt:") and "a long password" not in one.password_hash
    assert one.password_hash != two.password_hash
    assert one.check_password("a long password") and not one.check_password("a long passwore")


def test_account_is_locked_after_repeated_failures(app, client, team):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert post_login(client, "editor@example.org", "guess").status_code == 200
    locked = post_login(client, "editor@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    # The same lock answers for an email without an account, so the lock reveals nothing.
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        post_login(client, "ghost@example.org", "guess")
    assert post_login(client, "ghost@example.org", "guess").status_code == 429


def test_address_is_locked_after_failures_across_accounts(app, client, team):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    for n in range(6):
        post_login(client, f"user{n}@example.org", "guess")
    assert post_login(client, "admin@example.org", PASSWORD).status_code == 429
    other_address = app.test_client()
    token = csrf_token(other_address)
    response = other_address.post(
        "/login",
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 302


def test_success_clears_the_account_failures(app, client, team):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] - 1):
        post_login(client, "editor@example.org", "guess")
    assert post_login(client, "editor@example.org", PASSWORD).status_code == 302
    assert (
        db.session.scalar(db.select(db.func.count(LoginFailure.id)).where(LoginFailure.email == "editor@example.org"))
        == 0
    )


def test_deactivated_user_cannot_sign_in_and_is_signed_out(client, team, login):
    login(team["author"].email)
    assert client.get("/admin/").status_code == 200
    from blogapp.newsroom.accounts import deactivate

    deactivate(db.session.get(User, team["author"].id))
    db.session.commit()
    assert client.get("/admin/").status_code == 302
    assert post_login(client, "author@example.org", PASSWORD).status_code == 200


def test_session_is_renewed_at_sign_in(client, team):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_login(client, "editor@example.org", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_parameter_cannot_leave_the_site(client, team, target):
    response = post_login(client, "editor@example.org", PASSWORD, next=target)
    assert response.location == "/admin/"


def test_next_parameter_returns_to_the_page_asked_for(client, team):
    assert client.get("/admin/trash/").location.startswith("/login?next=")
    response = post_login(client, "editor@example.org", PASSWORD, next="/admin/trash/")
    assert response.location == "/admin/trash/"


def test_post_without_csrf_token_is_refused(client, team):
    response = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_logout_needs_a_post_with_a_token(client, team, login):
    login(team["editor"].email)
    assert client.get("/logout").status_code in (404, 405)
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_session_cookie_is_secure_httponly_and_lax_by_default(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "key-for-this-test-only",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path),
        }
    )
    with app.test_request_context():
        assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client()
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_bad_sign_in_input_is_a_form_error(client):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert response.status_code == 422
    response = client.post("/login", data={"email": "x" * 5000, "password": "p", "csrf_token": token})
    assert response.status_code == 422


def test_behind_a_proxy_throttling_counts_each_readers_own_address(app, client, team):
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # what PROXY_FIX_X_FOR=1 sets up
    for n in range(3):
        token = csrf_token(client)
        client.post(
            "/login",
            data={"email": f"x{n}@example.org", "password": "guess", "csrf_token": token},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    token = csrf_token(client)
    other = client.post(
        "/login",
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-For": "198.51.100.2"},
    )
    assert other.status_code == 302
    db.session.expire_all()
    assert set(db.session.scalars(db.select(LoginFailure.address))) == {"203.0.113.7"}


def test_proxy_fix_is_off_unless_configured(tmp_path):
    app = create_app(
        {"SECRET_KEY": "key-for-this-test-only", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX_X_FOR": 1}
    )
    assert type(app.wsgi_app).__name__ == "ProxyFix"
    assert (
        type(
            create_app({"SECRET_KEY": "key-for-this-test-only", "SQLALCHEMY_DATABASE_URI": "sqlite://"}).wsgi_app
        ).__name__
        != "ProxyFix"
    )
