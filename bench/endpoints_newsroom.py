"""The newsroom side of the endpoint benchmark: its admin account, signing in, one image, and the pages to time."""

import io
import random
import secrets
from contextlib import closing
from pathlib import Path

import servers

from bench.endpoints_http import Client
from bench.endpoints_urls import Pattern, connect
from bench.instances import flask

ADMIN_EMAIL = "endpoints-bench@example.org"
ADMIN_NAME = "Endpoint Benchmark"


def ensure_admin(env: dict) -> str:
    """Create the benchmark's admin account (or give it a new password if it exists); return the password."""
    password = secrets.token_urlsafe(18)
    done = servers.flask(
        env, "users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--name", ADMIN_NAME, "--password", password
    )
    if done.returncode:
        if "already exists" not in done.stdout + done.stderr:
            raise SystemExit(f"flask users create failed:\n{done.stdout}{done.stderr}")
        # An earlier run made it: a fresh password each run, so none is written down anywhere.
        flask(env, "users", "set-password", ADMIN_EMAIL, "--password", password, quiet=True)
    return password


def sign_in(base: str, password: str) -> Client:
    """Return a client signed in as the benchmark's admin through /login, CSRF token included."""
    client = Client(base, keep_cookies=True)
    page = client.get("/login")
    if page.status != 200:
        raise SystemExit(f"GET /login answered {page.status}")
    fields = {**servers.form_fields(page.text), "email": ADMIN_EMAIL, "password": password}
    answer = client.post_form("/login", fields)
    if answer.status != 302:
        raise SystemExit(f"signing in answered {answer.status}, not 302:\n{answer.text[:2000]}")
    return client


def _png() -> bytes:
    from PIL import Image  # Pillow comes with blogapp; only needed the first time an instance is used

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 160)).save(out, "PNG")
    return out.getvalue()


def ensure_upload(client: Client, database: Path) -> list[str]:
    """Return the stored names of the instance's images, uploading one through the newsroom if it has none."""
    names = _upload_names(database)
    if names:
        return names
    token = servers.form_fields(client.get("/admin/uploads/").text).get("csrf_token", "")
    fields = {"csrf_token": token, "alt_text": "A blue square"}
    answer = client.post_file("/admin/uploads/", fields, "image", "endpoints-bench.png", _png())
    if answer.status != 302:
        raise SystemExit(f"uploading an image answered {answer.status}, not 302")
    return _upload_names(database)


def ensure_page(client: Client, database: Path) -> None:
    """Give the instance a published page saved twice (through the newsroom) if it has none, for the page routes."""
    with closing(connect(database)) as connection:
        if connection.execute(
            "SELECT 1 FROM pages JOIN page_revisions ON page_revisions.page_id = pages.id "
            "WHERE status = 'published' AND deleted_at IS NULL GROUP BY pages.id HAVING count(*) > 1"
        ).fetchone():
            return
    fields = servers.form_fields(client.get("/admin/pages/new").text)
    fields |= {"title": "About the endpoint benchmark", "body": "A page for the benchmark.", "status": "published"}
    _post_page(client, "/admin/pages/new", fields)
    with closing(connect(database)) as connection:
        page_id = connection.execute("SELECT max(id) FROM pages").fetchone()[0]
    edit = f"/admin/pages/{page_id}/edit"
    fields = servers.form_fields(client.get(edit).text) | {"body": "A page for the benchmark, saved again."}
    _post_page(client, edit, fields)


def _post_page(client: Client, url: str, fields: dict) -> None:
    answer = client.post_form(url, fields)
    if answer.status != 302:
        raise SystemExit(f"saving a page answered {answer.status}, not 302:\n{answer.text[:2000]}")


def ensure_best_bet(client: Client, database: Path) -> None:
    """Give the instance a best bet (saved through the newsroom) if it has none, for the best-bet routes."""
    with closing(connect(database)) as connection:
        if connection.execute("SELECT 1 FROM best_bets").fetchone():
            return
        slug = connection.execute(
            "SELECT slug FROM articles WHERE status = 'published' AND deleted_at IS NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]
    fields = servers.form_fields(client.get("/admin/search/best-bets/new").text)
    answer = client.post_form("/admin/search/best-bets/new", fields | {"query": "treatment", "articles": slug})
    if answer.status != 302:
        raise SystemExit(f"saving a best bet answered {answer.status}, not 302:\n{answer.text[:2000]}")


def _upload_names(database: Path) -> list[str]:
    with closing(connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT filename FROM uploads ORDER BY id DESC LIMIT 20")]


def _ids(connection, sql: str, rng: random.Random, count: int) -> list[int]:
    ids = [row[0] for row in connection.execute(sql)]
    return rng.sample(ids, min(len(ids), count))


def newsroom_patterns(database: Path, count: int, rng: random.Random) -> list[Pattern]:
    """Return every newsroom page a signed-in admin opens with GET, and the sign-in page."""
    with closing(connect(database)) as connection:
        articles = _ids(connection, "SELECT id FROM articles WHERE deleted_at IS NULL", rng, count)
        total = connection.execute("SELECT count(*) FROM articles WHERE deleted_at IS NULL").fetchone()[0]
        categories = _ids(connection, "SELECT id FROM categories", rng, count)
        tags = _ids(connection, "SELECT id FROM tags", rng, count)
        diffs = connection.execute(
            "SELECT article_id, min(id), max(id) FROM revisions GROUP BY article_id HAVING count(*) > 1 LIMIT ?",
            (count,),
        ).fetchall()
        best_bets = _ids(connection, "SELECT id FROM best_bets", rng, count)
        revised = [row[0] for row in connection.execute("SELECT DISTINCT article_id FROM revisions LIMIT ?", (count,))]
        site_pages = _ids(connection, "SELECT id FROM pages WHERE deleted_at IS NULL", rng, count)
        page_diffs = connection.execute(
            "SELECT page_id, min(id), max(id) FROM page_revisions GROUP BY page_id HAVING count(*) > 1 LIMIT ?",
            (count,),
        ).fetchall()
    last = max(1, -(-total // 25))  # the newsroom's article list shows 25 a page
    pages = [
        ("dashboard", "/admin/", ["/admin/"]),
        ("articles list", "/admin/articles/", ["/admin/articles/"]),
        ("articles list last page", "/admin/articles/", [f"/admin/articles/?page={last}"]),
        ("article (newsroom)", "/admin/articles/<int:article_id>/", [f"/admin/articles/{i}/" for i in articles]),
        ("editor", "/admin/articles/<int:article_id>/edit", [f"/admin/articles/{i}/edit" for i in articles]),
        ("new article", "/admin/articles/new", ["/admin/articles/new"]),
        # Articles with revisions first: seeded articles have none, and their list is then empty.
        (
            "revisions",
            "/admin/articles/<int:article_id>/revisions/",
            [f"/admin/articles/{i}/revisions/" for i in (revised + articles)[:count]],
        ),
        (
            "revision diff",
            "/admin/articles/<int:article_id>/revisions/diff",
            [f"/admin/articles/{a}/revisions/diff?a={old}&b={new}" for a, old, new in diffs],
        ),
        ("trash", "/admin/trash/", ["/admin/trash/"]),
        ("categories (newsroom)", "/admin/categories/", ["/admin/categories/"]),
        ("category edit", "/admin/categories/<int:id>/", [f"/admin/categories/{i}/" for i in categories]),
        ("tags (newsroom)", "/admin/tags/", ["/admin/tags/"]),
        ("tag edit", "/admin/tags/<int:id>/", [f"/admin/tags/{i}/" for i in tags]),
        ("users", "/admin/users/", ["/admin/users/"]),
        ("uploads", "/admin/uploads/", ["/admin/uploads/"]),
        ("settings", "/admin/settings", ["/admin/settings"]),
        ("search synonyms", "/admin/search/vocabulary", ["/admin/search/vocabulary"]),
        ("your account", "/admin/account", ["/admin/account"]),
        ("your author photo", "/admin/account/photo", ["/admin/account/photo"]),
        ("author photo (admin)", "/admin/users/<int:user_id>/photo", ["/admin/users/1/photo"]),
        ("two-factor set-up", "/admin/account/two-factor", ["/admin/account/two-factor"]),
        ("audit log", "/admin/audit/", ["/admin/audit/", "/admin/audit/?action=signin.succeeded&page=1"]),
        ("pages (newsroom)", "/admin/pages/", ["/admin/pages/"]),
        ("new page", "/admin/pages/new", ["/admin/pages/new"]),
        ("page editor", "/admin/pages/<int:page_id>/edit", [f"/admin/pages/{i}/edit" for i in site_pages]),
        ("best bets", "/admin/search/best-bets", ["/admin/search/best-bets"]),
        ("new best bet", "/admin/search/best-bets/new", ["/admin/search/best-bets/new"]),
        (
            "best bet editor",
            "/admin/search/best-bets/<int:best_bet_id>/edit",
            [f"/admin/search/best-bets/{i}/edit" for i in best_bets],
        ),
        (
            "page revisions",
            "/admin/pages/<int:page_id>/revisions/",
            [f"/admin/pages/{i}/revisions/" for i in site_pages],
        ),
        (
            "page revision diff",
            "/admin/pages/<int:page_id>/revisions/diff",
            [f"/admin/pages/{p}/revisions/diff?a={old}&b={new}" for p, old, new in page_diffs],
        ),
    ]
    patterns = [Pattern(name, route, "newsroom", urls, urls[:1], signed_in=True) for name, route, urls in pages]
    # Links from mail carry signed tokens the benchmark has none of: a forged one must answer 404, fast.
    forged = "WzEsImZvcmdlZCJd.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
    return [
        *patterns,
        Pattern("sign-in page", "/login", "newsroom", ["/login"]),
        # Without a password step just before, the second step sends the browser back to /login (302).
        Pattern("sign-in second step", "/login/two-factor", "newsroom", ["/login/two-factor"]),
        Pattern("password reset request", "/reset-password", "newsroom", ["/reset-password"]),
        Pattern("password reset link", "/reset-password/<token>", "not-found", [f"/reset-password/{forged}"]),
        Pattern("invitation link", "/invitations/<token>", "not-found", [f"/invitations/{forged}"]),
    ]
