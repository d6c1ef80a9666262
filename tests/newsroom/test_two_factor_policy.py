"""The site's two-factor policy: required for admins and editors when set, and reset by an admin."""

import pyotp
from article_editor import form_of
from conftest import csrf_token
from two_factor_steps import code_step, password_step, set_up

from blogapp.extensions import db
from blogapp.models import User
from blogapp.newsroom import two_factor


def require_two_factor(app):
    with app.app_context():
        two_factor.set_required(True)
        db.session.commit()


def test_admins_turn_the_requirement_on_in_settings(client, team, login):
    login(team["admin"].email)
    data = form_of(client, "/admin/settings")
    assert data["two_factor_required"] == "0"
    assert client.post("/admin/settings", data={**data, "two_factor_required": "maybe"}).status_code == 422
    assert client.post("/admin/settings", data={**data, "two_factor_required": "1"}).status_code == 302
    assert two_factor.is_required()
    assert client.get("/admin/settings").location == "/admin/account/two-factor"  # the admin has none yet


def test_editors_without_a_second_factor_are_sent_to_set_it_up_first(app, client, team, login):
    require_two_factor(app)
    login(team["editor"].email)
    for path in ("/admin/", "/admin/articles/new", "/admin/account"):
        assert client.get(path).location == "/admin/account/two-factor", path
    set_up(client)
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/account").get_data(as_text=True)
    assert "requires it for your role, so it stays on" in page


def test_authors_and_reviewers_are_not_required_to(app, client, team, login):
    require_two_factor(app)
    login(team["author"].email)
    assert client.get("/admin/").status_code == 200


def test_an_admin_resets_a_members_lost_second_factor(app, client, team, login):
    login(team["editor"].email)
    set_up(client)
    admin = app.test_client()
    password_step(admin, "admin@example.org")
    editor_id = team["editor"].id
    assert "Reset two-factor of editor@example.org" in admin.get("/admin/users/").get_data(as_text=True)
    token = csrf_token(admin, "/admin/users/")
    assert admin.post(f"/admin/users/{editor_id}/two-factor/reset", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, editor_id).has_two_factor
    assert client.get("/admin/").status_code == 302  # their sessions ended
    assert password_step(app.test_client(), "editor@example.org").location == "/admin/"
    admin_id = team["admin"].id
    own = admin.post(f"/admin/users/{admin_id}/two-factor/reset", data={"csrf_token": token})
    assert own.status_code == 422


def test_only_admins_reset_second_factors(client, team, login):
    login(team["editor"].email)
    token = csrf_token(client, "/admin/")
    assert (
        client.post(f"/admin/users/{team['author'].id}/two-factor/reset", data={"csrf_token": token}).status_code == 403
    )


def test_an_admin_with_two_factor_signs_in_with_both_steps(app, client, team, login):
    login(team["admin"].email)
    secret, _ = set_up(client)
    browser = app.test_client()
    assert password_step(browser, "admin@example.org").location == "/login/two-factor"
    assert code_step(browser, pyotp.TOTP(secret).now()).location == "/admin/"


def test_the_cli_resets_a_second_factor_when_no_admin_can_sign_in(app, client, runner, team, login):
    login(team["admin"].email)
    set_up(client)
    db.session.expire_all()  # the command runs in this test's session, which loaded the admin before set-up
    result = runner.invoke(args=["users", "reset-two-factor", "Admin@example.org"])
    assert result.exit_code == 0, result.output
    assert password_step(app.test_client(), "admin@example.org").location == "/admin/"
    assert runner.invoke(args=["users", "reset-two-factor", "nobody@example.org"]).exit_code == 1
