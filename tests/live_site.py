"""Fixtures for browser tests: the app served by a real HTTP server on 127.0.0.1, and Debian's Chromium.

Loaded from conftest.py as a plugin. Tests using them are marked `browser` (deselect with -m "not browser").
The site runs as in production (not TESTING): its own SQLite file, index and uploads in a temporary folder,
the demo content, and one user per role (password `PASSWORD`).
"""

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import Role
from blogapp.moving.demo import load_demo
from blogapp.search import get_index

CHROMIUM = os.environ.get("BLOGAPP_CHROMIUM", "/usr/bin/chromium")
# The flags the project's set-up guide asks for: no sandbox (CI runs as root), nothing fetched from the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent
# Screenshots and other artefacts of browser runs (not committed; CI keeps the folder).
ARTIFACTS = Path(os.environ.get("BLOGAPP_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@dataclass
class LiveSite:
    """A running site: its base URL, the app behind it (for set-up in an app context) and its folder."""

    app: Flask
    url: str
    folder: Path
    emails: dict[str, str] = field(default_factory=dict)

    def drain(self) -> None:
        """Apply every queued index change now (a test's own saves are indexed by the server as it runs)."""
        with self.app.app_context():
            get_index().drain()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass  # one line per request and asset would bury the test report


def _build_site(folder: Path) -> Flask:
    """Create a production-mode app over a fresh, migrated database with the demo content and a team."""
    from conftest import make_user

    app = create_app(
        {
            "SECRET_KEY": "browser-tests-secret-key-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "SEARCH_SYNONYMS_FILE": str(folder / "synonyms.txt"),
            "UPLOADS_DIR": str(folder / "uploads"),
            "LOCKS_DIR": str(folder / "locks"),
            "SITEMAP_FILES_DIR": str(folder / "sitemaps"),
            "SESSION_COOKIE_SECURE": False,  # served over plain http://127.0.0.1
            "RATELIMIT_ENABLED": False,  # one browser runs every test, far faster than a reader searches
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        flask_migrate.upgrade()
        get_index().create()
        load_demo()
        db.session.commit()
        for role in Role:
            make_user(role)
        get_index().drain()
    return app


@pytest.fixture(scope="module")
def live_site(tmp_path_factory) -> Iterator[LiveSite]:
    """Serve a fresh demo site on 127.0.0.1 (a free port) for the tests of one module."""
    folder = tmp_path_factory.mktemp("live-site")
    app = _build_site(folder)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-site", daemon=True)
    thread.start()
    site = LiveSite(
        app,
        f"http://127.0.0.1:{server.server_port}",
        folder,
        {role.value: f"{role.value}@example.org" for role in Role},
    )
    yield site
    server.shutdown()
    thread.join(10)
    with app.app_context():
        get_index().wait_for_retry(2)
        get_index().close()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    """Launch Debian's Chromium headless through Playwright (which never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install it with `apt-get install -y chromium` (`make test` does) "
            "or deselect the browser tests with -m 'not browser'"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did that a test may forbid: dialogs opened (alert, confirm, prompt) and console errors."""

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def open_page(chromium, live_site: LiveSite, **options):
    """Open a page in a new browser context on the live site that records dialogs and errors (close page.context)."""
    context = chromium.new_context(base_url=live_site.url, **{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    watch = PageWatch()

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message):
        if message.type == "error":
            watch.console_errors.append(f"{message.text} ({message.location.get('url') or 'no url'})")

    browser_page.on("dialog", on_dialog)
    browser_page.on("console", on_console)
    browser_page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    browser_page.watch = watch
    return browser_page


@pytest.fixture
def page(chromium, live_site):
    """Open a fresh browser context (its own cookies and storage) on the live site; record dialogs and errors."""
    browser_page = open_page(chromium, live_site)
    yield browser_page
    browser_page.context.close()


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real form and wait for the newsroom."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/**")


DECODE_IMAGES = "Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => 0); }))"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under the artefacts folder and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # A full-page screenshot does not scroll: images below the first screen (lazy, decoded when seen) would be blank.
    page.evaluate(DECODE_IMAGES)
    page.screenshot(path=str(path), full_page=True)
    return path
