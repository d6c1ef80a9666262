"""App nodes for the multi-node tests and bench/replicas.py: gunicorns on 127.0.0.1, one database, an index each.

Each node has its own instance folder (index, uploads, locks) and its own port; all share the database at `url`
(PostgreSQL: nodes on several machines share nothing else). Each node follows the change log itself.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from servers import ROOT, Browser, flask, free_port, instance_env, wait_until_serving
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

EMAIL = "editor@example.org"
PASSWORD = "a long enough test password"
SECRET = "nodes-test-secret"


class Node:
    """One app machine: a gunicorn with `workers` workers over its own instance folder and the shared database."""

    def __init__(self, name: str, folder: Path, url: str, workers: int = 2, **settings: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.name, self.folder, self.workers = name, folder, workers
        settings = {"SEARCH_MAX_CONCURRENT": "64", "SEARCH_FOLLOW_SECONDS": "0.5", **settings}
        self.env = instance_env(folder, SECRET, SEARCH_NODE_NAME=json.dumps(name), **settings)
        self.env["DATABASE_URL"] = url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.server: subprocess.Popen | None = None

    def start(self) -> "Node":
        """Start gunicorn and wait until it answers, then until every worker has built or caught up its index."""
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(self.workers)]
        command += ["-b", f"127.0.0.1:{self.port}", "wsgi:app"]
        with open(self.log, "ab") as log_file:
            self.server = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until_serving(self.base, self.server, self.log)
        self.wait_healthy()
        self.wait_registered()
        return self

    def wait_registered(self, timeout: float = 30) -> None:
        """Wait until the node has recorded its position in the log's node table (it holds the log back)."""
        engine = create_engine(self.env["DATABASE_URL"], poolclass=NullPool)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    query = text("SELECT must_rebuild FROM search_nodes WHERE name = :name")
                    if connection.scalar(query, {"name": self.name}) is False:
                        return
                time.sleep(0.2)
        finally:
            engine.dispose()

    def health(self) -> tuple[int, dict]:
        """Return /healthz's status and body (a new connection each time: another worker may answer)."""
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def wait_healthy(self, timeout: float = 60) -> dict:
        """Ask /healthz (which starts each worker's follower) until it answers 200 with nothing pending."""
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.health()
            if (status == 200 and body["log"]["pending"] == 0) or time.monotonic() > deadline:
                return body
            time.sleep(0.2)

    def check(self) -> subprocess.CompletedProcess:
        """Run `flask search check` on this node's index."""
        return flask(self.env, "search", "check")

    def wait_clean(self, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run `search check` until it is clean with nothing queued, or the time is up; return the last run."""
        deadline = time.monotonic() + timeout
        while True:
            done = self.check()
            if (done.returncode == 0 and "queued: 0" in done.stdout) or time.monotonic() > deadline:
                return done
            time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a machine losing power would."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def stop(self) -> None:
        """Stop gunicorn (TERM, then KILL after 30 s)."""
        if self.server is None or self.server.poll() is not None:
            return
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def prepare_site(url: str, folder: Path) -> dict:
    """Initialise the shared database with the demo site and an editor; return the env of the command."""
    env = {**instance_env(folder, SECRET), "DATABASE_URL": url}
    for args in (
        ("init",),
        ("seed-demo",),
        ("users", "create", "--email", EMAIL, "--role", "editor", "--name", "Eddie Editor", "--password", PASSWORD),
    ):
        done = flask(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def editor(node: Node) -> Browser:
    """Return a browser signed in to `node`'s newsroom as the editor."""
    browser = Browser(node.base)
    browser.sign_in(EMAIL, PASSWORD)
    return browser


def save(browser: Browser, title: str, body: str, article_id: int | None = None) -> int:
    """Save a published article through the editor form (new, or edit `article_id`); return its id."""
    path = "/admin/articles/new" if article_id is None else f"/admin/articles/{article_id}/edit"
    fields = browser.form(path)
    fields.update(title=title, summary="Saved on one node.", body=body, status="published", save="Save")
    fields.update(published_at="", references="")
    if article_id is None:
        fields.update(slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"), tags="")
    status, headers, html = browser.request(path, fields)
    assert status == 302, f"{status} {html[:2000]}"
    return article_id if article_id is not None else int(re.search(r"/articles/(\d+)", headers["Location"])[1])


def found(node: Node, word: str) -> bool:
    """Tell whether a search on `node` lists a result for `word` (a word only one article holds)."""
    status, _, html = Browser(node.base).request("/search?q=" + word)
    results = re.search(r'<ol class="results".*?</ol>', html, re.S)
    return status == 200 and results is not None and "/articles/" in results.group(0)


def seconds_until_found(node: Node, word: str, since: float, timeout: float = 10) -> float | None:
    """Search `node` for `word` until found; return the seconds since `since`, None when not within `timeout`."""
    while time.monotonic() - since < timeout:
        if found(node, word):
            return time.monotonic() - since
        time.sleep(0.02)
    return None
