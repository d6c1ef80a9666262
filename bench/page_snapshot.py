"""Render every kind of page of an instance to a folder, so a change that must not change pages can be checked.

Run from the project root:

    .venv/bin/python bench/page_snapshot.py build demo DIR          # a demo instance (once, before the change)
    .venv/bin/python bench/page_snapshot.py build synthetic DIR --count 10000
    .venv/bin/python bench/page_snapshot.py render DIR OUT          # with the code to check
    diff -r OUT-before OUT-after                                     # nothing printed: the same pages

`render` copies the instance to a temporary folder (so both renders start from the same database and index),
serves it through the Flask test client, signs in as the admin `build` created, and writes one file per URL:
the status, the Content-Type and Location headers, then the body. The values that differ on every request
(CSRF tokens) are replaced by a marker. The URLs are read from the database with sqlite3, not through the app,
so the list does not depend on the code being checked.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL = "snapshot-admin@example.org"
ADMIN_PASSWORD = "snapshot-password-1"
SECRET_KEY = "page-snapshot-secret-key-0123456789"
SEARCHES = [
    "migraine", "ketamine migraine", "cannabis withdrawal", '"chronic pain"', "treat*", "pain -opioid",
    "migrane", "acupunture for migraine", "zebrafinch", "category:pain", "tag:nicotine sleep", "author:okafor",
    "what is the difference between tension headache and migraine", "sleep therapy", "dose",
]  # fmt: skip
SEARCH_OPTIONS = ["", "&sort=newest", "&page=2"]
CSRF = re.compile(rb'(name="[\w-]*csrf_token"(?: type="hidden")? value=")[^"]*(")')
# The newsroom's user list shows when each member last signed in: the snapshot's own sign-in, minutes apart.
SIGN_IN_TIME = re.compile(rb"<td>\d\d \w{3} \d{4} \d\d:\d\d</td>")
SAMPLE = 20  # articles, tags and authors of a large instance (every one of a small instance)


def instance_env(folder: Path) -> dict[str, str]:
    """Return the environment of `flask` commands on the instance in `folder`."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'blog.sqlite'}",
        "BLOGAPP_SEARCH_INDEX_DIR": json.dumps(str(folder / "search-index")),
        "BLOGAPP_SEARCH_SYNONYMS_FILE": json.dumps(str(folder / "synonyms.txt")),
        "BLOGAPP_UPLOADS_DIR": json.dumps(str(folder / "uploads")),
        "BLOGAPP_SECRET_KEY": json.dumps(SECRET_KEY),
    }


def build(kind: str, folder: Path, count: int) -> None:
    """Create an instance in `folder`: the demo content or `count` synthetic articles, and an admin."""
    folder.mkdir(parents=True)
    flask = [sys.executable, "-m", "flask", "--app", "blogapp"]
    env = instance_env(folder)
    subprocess.run([*flask, "init"], env=env, check=True, cwd=ROOT)
    subprocess.run([*flask, "seed-demo"], env=env, check=True, cwd=ROOT)
    if kind == "synthetic":
        subprocess.run([*flask, "seed-synthetic", "--count", str(count)], env=env, check=True, cwd=ROOT)
    create = ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password", ADMIN_PASSWORD]
    subprocess.run([*flask, *create], env=env, check=True, cwd=ROOT)


def _rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def reader_urls(database: Path) -> list[str]:
    """Return the reader pages, feeds, sitemaps and searches to render."""
    articles = [slug for (slug,) in _rows(database, f"SELECT slug FROM articles ORDER BY id LIMIT {SAMPLE}")]
    articles += [slug for (slug,) in _rows(database, f"SELECT slug FROM articles ORDER BY id DESC LIMIT {SAMPLE}")]
    kinds = {
        "category": [slug for (slug,) in _rows(database, "SELECT slug FROM categories ORDER BY id")],
        "tag": [slug for (slug,) in _rows(database, f"SELECT slug FROM tags ORDER BY id LIMIT {SAMPLE}")],
        "author": [slug for (slug,) in _rows(database, f"SELECT slug FROM authors ORDER BY id LIMIT {SAMPLE}")],
    }
    urls = ["/", "/?page=2", "/?page=99999", "/categories/", "/robots.txt", "/opensearch.xml", "/sitemap.xml"]
    urls += ["/sitemap-1.xml", "/feed.rss", "/feed.atom", "/search", "/search/suggest?q=mig", "/no-such-page/"]
    urls += ["/?p=1", "/healthz"]
    urls += [f"/articles/{slug}/" for slug in dict.fromkeys(articles)]
    urls += [f"/articles/{articles[0]}/?hl=pain"]
    for kind, slugs in kinds.items():
        for slug in slugs:
            urls += [f"/{kind}/{slug}/", f"/{kind}/{slug}/?page=2", f"/{kind}/{slug}/feed.rss"]
            urls += [f"/{kind}/{slug}/feed.atom"]
    for query in SEARCHES:
        urls += [f"/search?q={query}{option}" for option in SEARCH_OPTIONS]
    urls += [f"/search?q=pain&category={kinds['category'][0]}", f"/search?q=pain&tag={kinds['tag'][0]}"]
    return urls


def newsroom_urls(database: Path) -> list[str]:
    """Return the newsroom pages to render, signed in as the admin."""
    article_ids = [row[0] for row in _rows(database, f"SELECT id FROM articles ORDER BY id DESC LIMIT {SAMPLE}")]
    urls = ["/admin/", "/admin/articles/", "/admin/articles/?page=2", "/admin/articles/new", "/admin/trash/"]
    urls += ["/admin/categories/", "/admin/tags/", "/admin/uploads/", "/admin/users/", "/admin/settings"]
    for article_id in article_ids:
        urls += [f"/admin/articles/{article_id}/", f"/admin/articles/{article_id}/edit"]
        urls += [f"/admin/articles/{article_id}/revisions/"]
    pairs = f"SELECT article_id, min(id), max(id) FROM revisions GROUP BY article_id LIMIT {SAMPLE}"
    revisions = _rows(database, pairs)
    urls += [f"/admin/articles/{article}/revisions/diff?a={old}&b={new}" for article, old, new in revisions]
    urls += [f"/admin/categories/{row[0]}/" for row in _rows(database, "SELECT id FROM categories ORDER BY id")]
    urls += [f"/admin/tags/{row[0]}/" for row in _rows(database, f"SELECT id FROM tags ORDER BY id LIMIT {SAMPLE}")]
    return urls


def _record(url: str, response) -> bytes:
    body = CSRF.sub(rb"\1CSRF\2", response.get_data())
    if url == "/admin/users/":
        body = SIGN_IN_TIME.sub(b"<td>SIGNED-IN</td>", body)
    head = f"{response.status}\n{response.headers.get('Content-Type')}\n{response.headers.get('Location')}\n\n"
    return head.encode() + body


def _file_name(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", url).strip("_")[:150] or "root"


def render(instance: Path, out: Path) -> int:
    """Write every page of the instance to `out`; return how many."""
    sys.path.insert(0, str(ROOT))
    from blogapp import create_app

    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="page-snapshot-") as temporary:
        copy = Path(temporary) / "instance"
        shutil.copytree(instance, copy)
        database = copy / "blog.sqlite"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "SEARCH_INDEX_DIR": str(copy / "search-index"),
                "SEARCH_SYNONYMS_FILE": str(copy / "synonyms.txt"),
                "UPLOADS_DIR": str(copy / "uploads"),
                "SECRET_KEY": SECRET_KEY,
                "SESSION_COOKIE_SECURE": False,
            }
        )
        client = app.test_client()
        pages = [(url, client.get(url)) for url in reader_urls(database)]
        login = client.get("/login")
        pages.append(("/login", login))
        token = CSRF.search(login.get_data()).group(0).split(b'value="')[1].rstrip(b'"').decode()
        form = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302, "the snapshot admin could not sign in"
        pages += [(url, client.get(url)) for url in newsroom_urls(database)]
        for number, (url, response) in enumerate(pages):
            (out / f"{number:04d}-{_file_name(url)}").write_bytes(url.encode() + b"\n" + _record(url, response))
    return len(pages)


def main() -> None:
    """Build an instance or render its pages, as the command line says."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="create an instance to snapshot")
    build_parser.add_argument("kind", choices=("demo", "synthetic"))
    build_parser.add_argument("folder", type=Path)
    build_parser.add_argument("--count", type=int, default=10_000, help="synthetic articles")
    render_parser = commands.add_parser("render", help="render the instance's pages into a new folder")
    render_parser.add_argument("instance", type=Path)
    render_parser.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args.kind, args.folder, args.count)
    else:
        print(f"{render(args.instance, args.out)} pages written to {args.out}")


if __name__ == "__main__":
    main()
