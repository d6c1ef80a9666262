"""Invitations: an admin invites by email and role; the link lets the person choose a password, once, in time."""

from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import AuditEvent, User


def invite(client, email="new@example.org", role="editor", name="New Editor"):
    """Post the invitation form on the users page as the signed-in admin."""
    token = csrf_token(client, "/admin/users/")
    data = {"invite-email": email, "invite-name": name, "invite-role": role, "invite-csrf_token": token}
    return client.post("/admin/users/invitations", data=data)


def choose_password(client, path, password="my own password"):
    data = {"password": password, "password_again": password, "csrf_token": csrf_token(client, path)}
    return client.post(path, data=data)


def test_an_invited_person_chooses_a_password_and_signs_in(app, client, team, login, smtp_inbox):
    login(team["admin"].email)
    assert invite(client).status_code == 302
    [message] = smtp_inbox.to("new@example.org")
    assert "as editor" in message.get_content() and "72 hours" in message.get_content()
    invited = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert not invited.active and invited.password_hash == ""
    assert "No password yet." in client.get("/admin/users/").get_data(as_text=True)

    person = app.test_client()
    path = smtp_inbox.link(message, "/invitations/")
    assert "Welcome, New Editor" in person.get(path).get_data(as_text=True)
    assert choose_password(person, path, "short").status_code == 422
    assert choose_password(person, path).status_code == 302
    assert person.get(path).status_code == 404  # used: good once
    response = person.post(
        "/login", data={"email": "new@example.org", "password": "my own password", "csrf_token": csrf_token(person)}
    )
    assert response.status_code == 302 and response.location == "/admin/"


def test_an_expired_or_forged_invitation_link_is_refused(app, client, team, login, smtp_inbox):
    login(team["admin"].email)
    invite(client)
    path = smtp_inbox.link(smtp_inbox.messages[0], "/invitations/")
    assert client.get(path[:-3] + "xyz").status_code == 404
    app.config["INVITATION_HOURS"] = -1
    page = client.get(path)
    assert page.status_code == 404 and "expired or was already used" in page.get_data(as_text=True)


def test_an_invitation_can_be_sent_again_and_the_old_link_stops_once_accepted(app, client, team, login, smtp_inbox):
    login(team["admin"].email)
    invite(client)
    user = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    token = csrf_token(client, "/admin/users/")
    assert client.post(f"/admin/users/{user.id}/invitation", data={"csrf_token": token}).status_code == 302
    first, second = (smtp_inbox.link(message, "/invitations/") for message in smtp_inbox.to("new@example.org"))
    assert choose_password(app.test_client(), second).status_code == 302
    assert app.test_client().get(first).status_code == 404
    again = client.post(f"/admin/users/{user.id}/invitation", data={"csrf_token": token})
    assert again.status_code == 422  # accepted: nothing to send


def test_bad_invitations_are_refused_with_a_message(client, team, login, smtp_inbox):
    login(team["admin"].email)
    assert invite(client, email="editor@example.org").status_code == 422  # already on the team
    page = invite(client, email="not an address")
    assert page.status_code == 422 and "Enter an email address." in page.get_data(as_text=True)
    assert invite(client, role="superuser").status_code == 422
    no_token = client.post("/admin/users/invitations", data={"invite-email": "x@example.org", "invite-name": "X"})
    assert no_token.status_code == 400
    assert smtp_inbox.messages == []


def test_only_admins_invite(client, team, login, smtp_inbox):
    login(team["editor"].email)
    token = csrf_token(client, "/admin/")
    assert client.post("/admin/users/invitations", data={"csrf_token": token}).status_code == 403


def test_without_mail_the_newsroom_says_invitations_need_it_and_the_cli_still_works(client, runner, team, login):
    login(team["admin"].email)
    page = client.get("/admin/users/").get_data(as_text=True)
    assert "Invitations need mail" in page and 'name="invite-email"' not in page
    assert invite_without_form(client).status_code == 422
    result = runner.invoke(
        args=["users", "create", "--email", "cli@example.org", "--role", "author", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output


def invite_without_form(client):
    token = csrf_token(client, "/admin/users/")
    data = {"invite-email": "x@example.org", "invite-name": "X", "invite-role": "author", "invite-csrf_token": token}
    return client.post("/admin/users/invitations", data=data)


def test_a_mail_server_failure_keeps_the_invited_account_and_says_so(app, client, team, login, smtp_inbox):
    login(team["admin"].email)
    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    response = invite(client)
    assert response.status_code == 503
    assert "the message was not sent" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "new@example.org")) is not None


def test_a_cancelled_invitation_link_stops_working_and_is_recorded(app, client, team, login, smtp_inbox):
    login(team["admin"].email)
    invite(client)
    user = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    path = smtp_inbox.link(smtp_inbox.messages[0], "/invitations/")
    token = csrf_token(client, "/admin/users/")
    assert client.post(f"/admin/users/{user.id}/invitation/cancel", data={"csrf_token": token}).status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert (
        db.session.scalar(
            db.select(AuditEvent.action).where(AuditEvent.target_id == user.id).order_by(AuditEvent.id.desc())
        )
        == "invitation.cancelled"
    )
    assert (
        client.post(f"/admin/users/{team['editor'].id}/invitation/cancel", data={"csrf_token": token}).status_code
        == 422
    )
