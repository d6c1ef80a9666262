"""Your account page: the name on your bylines and your own password."""

from conftest import PASSWORD, csrf_token

from blogapp.extensions import db
from blogapp.models import User


def change_password(client, current, new, again=None):
    data = {
        "change-current_password": current,
        "change-password": new,
        "change-password_again": new if again is None else again,
        "change-csrf_token": csrf_token(client, "/admin/account"),
    }
    return client.post("/admin/account/password", data=data)


def test_every_member_renames_their_bylines(client, team, login):
    login(team["reviewer"].email)
    assert "Your account" in client.get("/admin/").get_data(as_text=True)
    token = csrf_token(client, "/admin/account")
    assert client.post("/admin/account/profile", data={"name": "Dr Rev Iewer", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, team["reviewer"].id).name == "Dr Rev Iewer"
    for bad in ("", " ", "x" * 121):
        page = client.post("/admin/account/profile", data={"name": bad, "csrf_token": token})
        assert page.status_code == 422 and 'class="error"' in page.get_data(as_text=True)


def test_changing_the_password_signs_out_the_other_sessions_only(app, client, team, login):
    login(team["author"].email)
    other = app.test_client()
    other.post("/login", data={"email": "author@example.org", "password": PASSWORD, "csrf_token": csrf_token(other)})
    assert other.get("/admin/").status_code == 200
    assert change_password(client, PASSWORD, "a brand new password").status_code == 302
    assert client.get("/admin/account").status_code == 200  # this session goes on
    assert other.get("/admin/").status_code == 302  # the other one is over
    db.session.expire_all()
    assert db.session.get(User, team["author"].id).check_password("a brand new password")


def test_a_wrong_current_password_or_a_weak_new_one_is_refused(client, team, login):
    login(team["author"].email)
    wrong = change_password(client, "not my password", "a brand new password")
    assert wrong.status_code == 422 and "That is not your current password." in wrong.get_data(as_text=True)
    assert change_password(client, PASSWORD, "short").status_code == 422
    assert change_password(client, PASSWORD, "a brand new password", "different").status_code == 422
    db.session.expire_all()
    assert db.session.get(User, team["author"].id).check_password(PASSWORD)


def test_guessing_the_current_password_is_throttled(app, client, team, login):
    login(team["author"].email)
    answers = [
        change_password(client, f"guess {n}", "a brand new password").status_code
        for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 1)
    ]
    assert answers[-1] == 429 and set(answers[:-1]) == {422}
