"""Instances in a folder, and the HTTP client that talks to them: for the gunicorn tests and bench/."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def instance_env(folder: Path, secret_key: str, **settings: str) -> dict[str, str]:
    """Return the environment of an app instance whose database, index, synonyms and uploads live in `folder`.

    For gunicorn and `flask` subprocesses (tests and bench/); `settings` become BLOGAPP_* variables.
    """
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'blog.sqlite'}",
        "BLOGAPP_SEARCH_INDEX_DIR": json.dumps(str(folder / "search-index")),
        "BLOGAPP_SEARCH_SYNONYMS_FILE": json.dumps(str(folder / "synonyms.txt")),
        "BLOGAPP_UPLOADS_DIR": json.dumps(str(folder / "uploads")),
        "BLOGAPP_LOCKS_DIR": json.dumps(str(folder / "locks")),
        "BLOGAPP_SITEMAP_FILES_DIR": json.dumps(str(folder / "sitemaps")),
        "BLOGAPP_SECRET_KEY": json.dumps(secret_key),  # every worker must sign with the same key
        "BLOGAPP_SESSION_COOKIE_SECURE": "false",  # plain HTTP on 127.0.0.1
        "BLOGAPP_RATELIMIT_ENABLED": "false",  # one client address sends every request; tests that need it opt in
        **{f"BLOGAPP_{name}": value for name, value in settings.items()},
    }


def form_fields(html: str) -> dict[str, str]:
    """Return the fields of the form in `html` as a browser would submit them (without Preview or Upload).

    A required select still on its empty first option ("Choose a category") takes its first real choice, as a
    writer would; an optional one keeps its first option ("No featured image").
    """
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?([^<]*)</textarea>', html))
    for tag, name, options in re.findall(r'(<select[^>]*name="([^"]+)"[^>]*>)(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option selected value="([^"]*)"', options)
        values = chosen + re.findall(r'value="([^"]*)"', options)
        fields[name] = next((v for v in values if v or " required" not in tag), "")
    fields.pop("preview", None)
    fields.pop("upload_image", None)  # the editor's "Upload and insert" button, like Preview, is not Save
    return {key: value.replace("&#34;", '"').replace("&amp;", "&") for key, value in fields.items()}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 302 back to the caller, as the test client does


class Browser:
    """An HTTP client with its own cookies that shows redirects instead of following them."""

    def __init__(self, base: str):
        self.base = base
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies, _NoRedirects)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        """GET `path` (or POST `data` as a form) and return status, headers and text."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def form(self, path: str) -> dict[str, str]:
        """Return the fields of the form at `path` as the page renders them (what a browser would submit)."""
        status, _, html = self.request(path)
        assert status == 200, f"{status} {html}"
        return form_fields(html)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the real form, CSRF token included."""
        fields = self.form("/login")
        status, _, html = self.request("/login", {**fields, "email": email, "password": password})
        assert status == 302, html


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run a `flask --app blogapp` command of the checkout with this environment."""
    command = [sys.executable, "-m", "flask", "--app", "blogapp", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    """Wait until the server at `base` answers its home page, failing the test if it exits or takes 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()}")
