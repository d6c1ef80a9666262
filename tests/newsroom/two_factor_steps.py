"""Helpers for the two-factor tests: set it up through the newsroom and compute codes from the secret (RFC 6238)."""

import re
import time

import pyotp
from conftest import PASSWORD, csrf_token


def set_up(client) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for the signed-in client's user; return the secret and the recovery codes."""
    page = client.get("/admin/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret-key">([A-Z2-7]+)</code>', page).group(1)
    data = {"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/admin/account/two-factor")}
    shown = client.post("/admin/account/two-factor", data=data)
    assert shown.status_code == 200, shown.get_data(as_text=True)
    return secret, re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown.get_data(as_text=True))


def code_at(secret: str, steps_from_now: int) -> str:
    """Return the code of the 30-second step `steps_from_now` away from this one."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def password_step(client, email: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    """Post the sign-in form; return the answer."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def code_step(client, code: str, address: str = "127.0.0.1"):
    """Post the second step's form; return the answer."""
    data = {"code": code, "csrf_token": csrf_token(client, "/login/two-factor")}
    return client.post("/login/two-factor", data=data, environ_base={"REMOTE_ADDR": address})
