"""Sign-in throttling that slows guessing without letting anyone lock a team member out."""

import time
from datetime import timedelta

from conftest import PASSWORD, csrf_token

from blogapp.extensions import db
from blogapp.models import LoginFailure

EDITOR = "editor@example.org"


def sign_in(client, email, password, address):
    """Post the sign-in form from `address`, as a browser there would."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def time_passes(seconds):
    """Move every recorded failure `seconds` into the past."""
    for failure in db.session.scalars(db.select(LoginFailure)):  # in Python: SQLite has no interval arithmetic
        failure.failed_at -= timedelta(seconds=seconds)
    db.session.commit()


def test_failures_from_elsewhere_never_lock_the_owner_out(app, client, team):
    for n in range(3 * app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(client, EDITOR, "guess", f"203.0.113.{n % 4}")
    assert sign_in(client, EDITOR, "guess", "203.0.113.1").status_code == 429  # the attacker waits
    owner = app.test_client()
    assert sign_in(owner, EDITOR, PASSWORD, "198.51.100.9").status_code == 302


def test_a_guess_spread_over_many_addresses_is_still_slowed(app, client, team):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    addresses = [f"192.0.2.{n}" for n in range(2 * limit)]
    for address in addresses:  # each address's first guess is checked: it has no failure yet
        assert sign_in(client, EDITOR, "guess", address).status_code == 200
    second = [sign_in(client, EDITOR, "guess", address) for address in addresses]
    assert all(response.status_code == 429 for response in second)
    # 10 failures on the account, 5 past the limit: the base delay doubled five times (capped by the window).
    assert int(second[0].headers["Retry-After"]) > 4 * app.config["LOGIN_DELAY_SECONDS"]


def test_one_address_trying_many_accounts_is_shut_out(app, client, team):
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        sign_in(client, f"reader{n}@example.org", "guess", "198.51.100.66")
    refused = sign_in(client, "admin@example.org", PASSWORD, "198.51.100.66")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 14 * 60
    time_passes(app.config["LOGIN_FAILURE_WINDOW_MINUTES"] * 60 + 1)
    assert sign_in(client, "admin@example.org", PASSWORD, "198.51.100.66").status_code == 302


def test_each_further_failure_from_one_address_doubles_its_wait(app, client, team):
    base = app.config["LOGIN_DELAY_SECONDS"]
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(client, EDITOR, "guess", "203.0.113.50")
    waits = []
    for _ in range(3):
        refused = sign_in(client, EDITOR, PASSWORD, "203.0.113.50")  # even the right password waits
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.get_data(as_text=True)
        waits.append(int(refused.headers["Retry-After"]))
        time_passes(waits[-1])
        assert sign_in(client, EDITOR, "guess", "203.0.113.50").status_code == 200
    assert waits == [base, 2 * base, 4 * base]


def test_waiting_reveals_nothing_about_which_emails_have_accounts(app, client, team):
    started = {}
    for email in (EDITOR, "nobody@example.org"):
        started[email] = time.monotonic()
        for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
            assert sign_in(client, email, "guess", "203.0.113.80").status_code == 200
    known = sign_in(client, EDITOR, "guess", "203.0.113.80")
    unknown = sign_in(client, "nobody@example.org", "guess", "203.0.113.80")
    assert known.status_code == unknown.status_code == 429
    # The same wait, give or take the time between the two accounts' failures (seconds on a loaded machine).
    apart = time.monotonic() - started["nobody@example.org"]
    assert abs(int(known.headers["Retry-After"]) - int(unknown.headers["Retry-After"])) <= 1 + apart


def test_signing_in_clears_only_this_addresses_failures(app, client, team):
    sign_in(client, EDITOR, "typo", "198.51.100.9")
    sign_in(client, EDITOR, "guess", "203.0.113.7")
    assert sign_in(client, EDITOR, PASSWORD, "198.51.100.9").status_code == 302
    db.session.expire_all()
    assert set(db.session.scalars(db.select(LoginFailure.address))) == {"203.0.113.7"}
