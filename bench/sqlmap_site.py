"""The sqlmap probe's instance: built, staffed and given the objects its forms act on; the browser that sets it up."""

import http.cookiejar
import io
import re
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from PIL import Image
from servers import form_fields, instance_env

from bench.instances import flask

ADMIN = ("probe-admin@example.org", "probe admin password, long enough")
SIGN_IN = ("probe-signin@example.org", "probe sign-in password, long enough")
TEAMMATE = "probe-teammate@example.org"
AGENT = "blogapp-sqlmap-probe"


class Browser:
    """An HTTP client with its own cookies that shows redirects instead of following them."""

    class _NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirects)
        self.opener.addheaders = [("User-Agent", AGENT)]

    def request(self, path: str, data: dict | None = None, body: bytes | None = None, headers=None) -> tuple[int, str]:
        """GET `path` (or POST `data` as a form, or a raw `body`) and return the status and text."""
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, body, headers or {}), timeout=60
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, fields: dict, form_page: str | None = None) -> None:
        """Send a form with the CSRF token of `form_page` (default `path`); stop if it is refused."""
        status, _ = self.request(path, {"csrf_token": self.token(form_page or path), **fields})
        if status not in (200, 302):
            sys.exit(f"setup: POST {path} answered {status}")

    def upload(self, path: str, filename: str, content: bytes) -> None:
        """Send a file through the upload form at `path` as a browser does (multipart, with the CSRF token)."""
        boundary = "sqlmap-probe-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.token(path)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="alt_text"\r\n\r\nA blue square\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, _ = self.request(path, body=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 302:
            sys.exit(f"setup: the upload answered {status}")

    def token(self, page: str) -> str:
        """Return the CSRF token of the form on `page`."""
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.request(page)[1]).group(1)

    def cookie(self) -> str:
        """Return the Cookie header this browser sends."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def build_instance(folder: Path) -> dict[str, str]:
    """Create, seed and staff the instance; add two old addresses; return its environment."""
    # sqlmap sends thousands of wrong passwords from one address; the limits would answer them with 429.
    env = instance_env(
        folder,
        "sqlmap-probe-only",
        LOGIN_MAX_FAILURES_PER_ACCOUNT="1000000000",
        LOGIN_MAX_FAILURES_PER_ADDRESS="1000000000",
        PAGE_CACHE_BYTES="0",
    )
    flask(env, "init", quiet=True)
    flask(env, "seed-demo", quiet=True)
    for (email, password), role in ((ADMIN, "admin"), (SIGN_IN, "author"), ((TEAMMATE, SIGN_IN[1]), "author")):
        flask(env, "users", "create", "--email", email, "--role", role, "--password", password, quiet=True)
    with sqlite3.connect(folder / "blog.sqlite") as connection:
        article_id = connection.execute("SELECT min(id) FROM articles WHERE status = 'published'").fetchone()[0]
        for old_path in ("/?p=4242", "/2019/05/an-old-permalink/"):
            connection.execute("INSERT INTO redirects (old_path, article_id) VALUES (?, ?)", (old_path, article_id))
    return env


def prepare_site(base: str, database: Path) -> dict:
    """Sign the admin in, make the objects the destructive forms act on, and return the ids and slugs to probe."""
    admin = Browser(base)
    admin.post("/login", {"email": ADMIN[0], "password": ADMIN[1]})
    for name in ("Probe edit category", "Probe merge category"):
        admin.post("/admin/categories/", {"name": name, "slug": "", "description": ""})
    for name in ("Probe edit tag", "Probe merge tag", "Probe delete tag"):
        admin.post("/admin/tags/", {"name": name, "slug": ""})
    found = lookup(database)
    edit_page = f"/admin/articles/{found['article']}/edit"
    fields = form_fields(admin.request(edit_page)[1])
    admin.post(edit_page, {**fields, "summary": fields["summary"] + " Edited once by the probe."})
    admin.post(f"/admin/articles/{found['trashed']}/trash", {}, f"/admin/articles/{found['trashed']}/")
    admin.upload("/admin/uploads/", "probe.png", png_bytes())
    admin.request("/admin/")  # shows (and so drops) the flash messages the setup left in the session
    anonymous = Browser(base)
    anonymous_token = anonymous.token("/login")  # a session holding a CSRF token, as a sign-in page visitor's
    return {
        **lookup(database),
        "admin_cookie": admin.cookie(),
        "admin_token": admin.token("/admin/articles/new"),
        "anonymous_cookie": anonymous.cookie(),
        "anonymous_token": anonymous_token,
    }


def png_bytes() -> bytes:
    """Return a small PNG image."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def lookup(database: Path) -> dict:
    """Return the ids, slugs and words of the seeded site that the targets use."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        one = lambda sql, *args: db.execute(sql, args).fetchone()  # noqa: E731
        published = [row[0] for row in db.execute("SELECT id FROM articles WHERE status = 'published' ORDER BY id")]
        article = published[0]
        slug, title, category, author = one(
            "SELECT slug, title, category_id, author_id FROM articles WHERE id = ?", article
        )
        tag_id, tag_slug, tag_name = one(
            "SELECT t.id, t.slug, t.name FROM tags t JOIN article_tags a ON a.tag_id = t.id WHERE a.article_id = ?",
            article,
        )
        revisions = [
            row[0] for row in db.execute("SELECT id FROM revisions WHERE article_id = ? ORDER BY id", (article,))
        ]
        by_name = lambda table, name: one(f"SELECT id FROM {table} WHERE name = ?", name)[0]  # noqa: E731
        return {
            "article": article,
            "article_slug": slug,
            "word": max(re.findall(r"[A-Za-z]{4,}", title), key=len).lower(),
            "category": category,
            "category_slug": one("SELECT slug FROM categories WHERE id = ?", category)[0],
            "category_name": one("SELECT name FROM categories WHERE id = ?", category)[0],
            "author": author,
            "author_slug": one("SELECT slug FROM authors WHERE id = ?", author)[0],
            "tag_slug": tag_slug,
            "tag_name": tag_name,
            "tag": tag_id,
            "revisions": revisions,
            "trash_target": published[1],
            "trashed": published[2],
            "edit_category": by_name("categories", "Probe edit category"),
            "merge_category": by_name("categories", "Probe merge category"),
            "edit_tag": by_name("tags", "Probe edit tag"),
            "merge_tag": by_name("tags", "Probe merge tag"),
            "delete_tag": by_name("tags", "Probe delete tag"),
            "teammate": one("SELECT id FROM users WHERE email = ?", TEAMMATE)[0],
            "upload": (one("SELECT filename FROM uploads ORDER BY id") or ["none.png"])[0],
        }
