"""Two-factor sign-in: set-up with a QR code, codes from the secret, recovery codes, turning it off."""

import re
import time

import pyotp
from conftest import PASSWORD, csrf_token
from two_factor_steps import code_at, code_step, password_step, set_up

from blogapp.extensions import db
from blogapp.models import RecoveryCode, User

EDITOR = "editor@example.org"


def test_set_up_shows_a_qr_code_drawn_here_and_ten_recovery_codes_stored_hashed(client, editor):
    page = client.get("/admin/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and 'width="' in page and "alt=" in page
    wrong = client.post("/admin/account/two-factor", data={"code": "000000", "csrf_token": csrf_token(client)})
    assert wrong.status_code == 422 and "does not match" in wrong.get_data(as_text=True)
    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(db.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == editor.id)).all()
    assert len(stored) == 10 and not {code.replace("-", "") for code in codes} & set(stored)
    db.session.expire_all()
    assert db.session.get(User, editor.id).totp_secret == secret
    assert "4 of your recovery" not in client.get("/admin/account").get_data(as_text=True)
    assert "10 of your recovery codes are unused" in client.get("/admin/account").get_data(as_text=True)


def test_signing_in_asks_for_a_current_code_that_is_good_once(app, client, editor):
    secret, _ = set_up(client)
    browser = app.test_client()
    response = password_step(browser, EDITOR)
    assert response.status_code == 302 and response.location == "/login/two-factor"
    assert browser.get("/admin/").status_code == 302  # not signed in between the steps
    code = pyotp.TOTP(secret).now()
    assert code_step(browser, code).location == "/admin/"
    assert browser.get("/admin/").status_code == 200
    again = app.test_client()
    password_step(again, EDITOR)
    replayed = code_step(again, code)
    assert replayed.status_code == 200 and "That code is not right." in replayed.get_data(as_text=True)
    assert code_step(again, code_at(secret, 1)).status_code == 302  # one step of clock drift is allowed


def test_a_recovery_code_signs_in_once(app, client, editor):
    _, codes = set_up(client)
    browser = app.test_client()
    password_step(browser, EDITOR)
    assert code_step(browser, codes[3].upper().replace("-", " ")).status_code == 302
    browser = app.test_client()
    password_step(browser, EDITOR)
    assert code_step(browser, codes[3]).status_code == 200


def test_every_failure_of_the_second_step_says_the_same_and_is_throttled(app, client, editor):
    set_up(client)
    browser = app.test_client()
    password_step(browser, EDITOR, address="203.0.113.5")
    answers = [code_step(browser, guess, "203.0.113.5") for guess in ("123456", "abcde-fghij", "12345", "x", "999999")]
    assert {response.status_code for response in answers} == {200}
    assert len({response.get_data(as_text=True).count("That code is not right.") for response in answers}) == 1
    refused = code_step(browser, "654321", "203.0.113.5")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # The password again does not clear the failures of the second step.
    password_step(browser, EDITOR, address="203.0.113.5")
    assert code_step(browser, "111111", "203.0.113.5").status_code == 429


def test_the_second_step_closes_after_a_while(app, client, editor, monkeypatch):
    secret, _ = set_up(client)
    browser = app.test_client()
    password_step(browser, EDITOR)
    data = {"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(browser, "/login/two-factor")}
    later = time.time() + app.config["TWO_FACTOR_STEP_SECONDS"] + 1
    monkeypatch.setattr("blogapp.newsroom.pending_sign_in.time.time", lambda: later)
    response = browser.post("/login/two-factor", data=data)
    assert response.status_code == 302 and response.location == "/login"
    assert browser.get("/admin/").status_code == 302
    assert app.test_client().get("/login/two-factor").status_code == 302


def test_turning_it_off_needs_the_password_and_a_current_code(client, editor):
    secret, _ = set_up(client)

    def disable(password, code):
        token = csrf_token(client, "/admin/account")
        data = {"disable-password": password, "disable-code": code, "disable-csrf_token": token}
        return client.post("/admin/account/two-factor/disable", data=data)

    assert disable("wrong password", pyotp.TOTP(secret).now()).status_code == 422
    assert disable("correct horse battery", "000000").status_code == 422
    assert disable("correct horse battery", "").status_code == 422
    assert disable("correct horse battery", code_at(secret, -1)).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, editor.id).has_two_factor
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0


def test_codes_in_other_scripts_or_lengths_are_refused_not_crashed(app, client, editor):
    set_up(client)
    browser = app.test_client()
    password_step(browser, EDITOR, address="198.51.100.7")
    for code in ("١٢٣٤٥٦", "１２３４５６", "12345678", "²²²²²²", "ünïcödé-ÿ"):
        assert code_step(browser, code, "198.51.100.7").status_code == 200, code


def test_new_recovery_codes_need_the_password_and_a_code_and_replace_the_old_ones(app, client, editor):
    secret, old_codes = set_up(client)

    def renew(password, code):
        token = csrf_token(client, "/admin/account")
        data = {"codes-password": password, "codes-code": code, "codes-csrf_token": token}
        return client.post("/admin/account/two-factor/recovery-codes", data=data)

    assert renew("wrong password", code_at(secret, -1)).status_code == 422
    assert renew(PASSWORD, "000000").status_code == 422
    shown = renew(PASSWORD, code_at(secret, -1))
    assert shown.status_code == 200 and "New recovery codes" in shown.get_data(as_text=True)
    new_codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    browser = app.test_client()
    password_step(browser, EDITOR)
    assert code_step(browser, old_codes[0]).status_code == 200  # refused: the page again
    assert code_step(browser, new_codes[0]).status_code == 302
