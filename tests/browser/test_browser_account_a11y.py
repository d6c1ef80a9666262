"""axe-core in a real browser on the account pages reached through a flow: the second step of signing in,
two-factor set-up and its recovery codes, choosing a password from an invitation, and an expired link."""

import pyotp
import pytest
from conftest import PASSWORD, make_user
from test_browser_a11y import axe_violations, describe

from blogapp.extensions import db
from blogapp.models import Role
from blogapp.newsroom import accounts, tokens, two_factor

pytestmark = pytest.mark.browser


def assert_no_violations(page) -> None:
    """Assert that axe-core finds nothing on the page and that its scripts raised no error."""
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{describe(violations)}"
    errors = [error for error in page.watch.console_errors if "status of 404" not in error]  # the expired link's
    assert not errors and not page.watch.page_errors, (errors, page.watch.page_errors)


def password_step(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_second_step_of_signing_in(page, live_site):
    secret = two_factor.new_secret()
    with live_site.app.app_context():
        two_factor.enable(make_user(Role.EDITOR, "second-step@example.org", "Second Step"), secret)
        db.session.commit()
    password_step(page, "second-step@example.org")
    page.wait_for_url("**/login/two-factor")
    assert_no_violations(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert_no_violations(page)  # the page with its one failure message


def test_two_factor_set_up_and_the_recovery_codes(page, live_site):
    with live_site.app.app_context():
        make_user(Role.AUTHOR, "set-up@example.org", "Set Up")
    password_step(page, "set-up@example.org")
    page.wait_for_url("**/admin/**")
    page.goto("/admin/account/two-factor")
    assert_no_violations(page)
    secret = page.locator("code.secret-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("heading", name="Two-factor sign-in is on").wait_for()
    assert_no_violations(page)


def test_choosing_a_password_from_an_invitation_and_an_expired_link(page, live_site):
    with live_site.app.test_request_context():
        user = accounts.create_user("invited@example.org", Role.AUTHOR, "Invited Person", None, active=False)
        db.session.commit()
        token = tokens.make_token(user, tokens.INVITATION)
    page.goto(f"/invitations/{token}")
    assert_no_violations(page)
    page.goto("/reset-password/forged")
    assert_no_violations(page)
