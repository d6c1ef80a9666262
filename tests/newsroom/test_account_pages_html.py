"""The pages of invitations, password resets and two-factor sign-in are valid HTML (Nu checker), with mail set up."""

import os
import re

import pyotp
import pytest
from conftest import csrf_token
from nu_checker import error_report, nu_errors
from test_invitations import invite
from two_factor_steps import code_step, password_step

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="checked in the SQLite pass")


def flow_pages(app, client, smtp_inbox) -> dict[str, str]:
    """Return the HTML of each page of the flows, including forms showing errors."""
    pages = {"users-with-invitations": client.get("/admin/users/").get_data(as_text=True)}
    pages["invitation-refused"] = invite(client, email="not an address").get_data(as_text=True)
    invite(client)
    person = app.test_client()
    link = smtp_inbox.link(smtp_inbox.messages[0], "/invitations/")
    pages["choose-password"] = person.get(link).get_data(as_text=True)
    short = {"password": "x", "password_again": "y", "csrf_token": csrf_token(person, link)}
    pages["choose-password-refused"] = person.post(link, data=short).get_data(as_text=True)
    pages["link-expired"] = person.get("/reset-password/forged").get_data(as_text=True)
    pages["reset-request"] = person.get("/reset-password").get_data(as_text=True)
    pages["login-with-reset-link"] = person.get("/login").get_data(as_text=True)
    wrong = {"code": "1", "csrf_token": csrf_token(client, "/admin/account/two-factor")}
    pages["set-up-refused"] = client.post("/admin/account/two-factor", data=wrong).get_data(as_text=True)
    secret = re.search(r'class="secret-key">(\w+)<', pages["set-up-refused"]).group(1)
    confirm = {"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/admin/account/two-factor")}
    pages["recovery-codes"] = client.post("/admin/account/two-factor", data=confirm).get_data(as_text=True)
    page = client.get("/admin/account/two-factor")  # already on: back to the account page
    pages["account-with-two-factor"] = client.get(page.location).get_data(as_text=True)
    browser = app.test_client()
    password_step(browser, "admin@example.org")
    pages["second-step"] = browser.get("/login/two-factor").get_data(as_text=True)
    pages["second-step-refused"] = code_step(browser, "000000").get_data(as_text=True)
    assert code_step(browser, pyotp.TOTP(secret).now()).status_code == 302
    return pages


def test_the_account_pages_are_valid_html(app, client, team, login, smtp_inbox, tmp_path):
    login(team["admin"].email)
    files = []
    for name, html in flow_pages(app, client, smtp_inbox).items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    errors = nu_errors(files)
    assert not errors, f"the Nu HTML checker found {len(errors)} error(s):\n{error_report(errors)}"
