"""The probes of bench/probes.py: requests an attacker repeats to bypass caches and limits, grouped by sender."""

import secrets
import sqlite3
import string
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus


@dataclass
class Probe:
    """One attack: requests sent one after another (GET paths, or POST forms through a callable)."""

    name: str
    paths: list[str]
    expect: str = "2xx/3xx"  # what a bounded answer is (statuses outside it are listed)


def _one(connection: sqlite3.Connection, sql: str) -> str:
    return connection.execute(sql).fetchone()[0]


def targets(database: Path) -> dict[str, str]:
    """Return a published article slug, a category, a tag and an author slug of the instance."""
    with closing(sqlite3.connect(database)) as connection:
        return {
            "article": _one(connection, "SELECT slug FROM articles WHERE status='published' ORDER BY id LIMIT 1"),
            "category": _one(connection, "SELECT slug FROM categories ORDER BY id LIMIT 1"),
            "tag": _one(connection, "SELECT slug FROM tags ORDER BY id LIMIT 1"),
            "tags": [row[0] for row in connection.execute("SELECT slug FROM tags ORDER BY id LIMIT 8")],
            "author": _one(connection, "SELECT slug FROM authors ORDER BY id LIMIT 1"),
            "article_id": _one(connection, "SELECT id FROM articles ORDER BY id LIMIT 1"),
        }


def search_probes(t: dict, repeats: int) -> list[Probe]:
    """Return repeated searches and their near-verbatim variants, deep pages, odd orders and many filters."""
    variants = ["pain relief", "Pain Relief", "PAIN   RELIEF", "pain, relief!", "pain AND relief", "Páin relief"]
    others = ["relief pain", "the pain and relief", '"pain relief"', "pain -relief", "pain rel*", "pain tag:pain"]
    tags, words = "&".join(f"tag={slug}" for slug in t["tags"]), ("health", "sleep", "pain")
    letters = list(string.ascii_lowercase)
    kept = [f"/search/suggest?q={c}" for c in letters + [c.upper() for c in letters]]
    pairs = ["".join(secrets.choice(letters) for _ in range(2)) for _ in range(100)]
    search = lambda texts: [f"/search?q={quote_plus(text)}" for text in texts]  # noqa: E731
    return [
        Probe("search: same query repeated", ["/search?q=sleep+advice"] * repeats),
        Probe("search: case/space/punctuation/AND/accent (one search)", search(variants)),
        Probe("search: order, stop word, phrase, -, *, tag: (six)", search(others)),
        Probe("search: page=999 (past the last)", ["/search?q=health&page=999"], "404"),
        Probe("search: page=10**9", ["/search?q=health&page=1000000000"], "404"),
        Probe("search: unknown sort, sort=date", ["/search?q=health&sort=zzz", "/search?q=health&sort=date"]),
        Probe(
            "search: 8 tag filters + category (3 queries)",
            [f"/search?q={w}&{tags}&category={t['category']}" for w in words],
        ),
        Probe(
            "search: filters only, no words (3 orders)",
            [f"/search?{tags}&sort={s}" for s in ("relevance", "date", "x")],
        ),
        Probe("search: cache-busting extra parameter", [f"/search?q=sleep+advice&x={n}" for n in range(repeats)]),
        Probe("suggest: 100-char prefix, 8 words", ["/search/suggest?q=" + "+".join(["pai"] * 7 + ["a" * 70])]),
        Probe("suggest: one-letter prefix", ["/search/suggest?q=a"]),
        Probe("suggest: a-z, then A-Z (kept per version: A-Z free)", kept),
        Probe("suggest: 100 random two-letter prefixes", [f"/search/suggest?q={pair}" for pair in pairs]),
    ]


def reader_probes(t: dict, repeats: int) -> list[Probe]:
    """Return cache busters on reader pages, feeds and sitemaps, and URL parts that reach SQL."""
    article, category = f"/articles/{t['article']}/", f"/category/{t['category']}/"
    bust = lambda path: [f"{path}?cb={secrets.token_hex(4)}" for _ in range(repeats)]  # noqa: E731
    return [
        Probe("article: page cache hit (same URL)", [article] * repeats),
        Probe("article: ?cb=<unique> (cache buster)", bust(article)),
        Probe("home: ?cb=<unique>", bust("/")),
        Probe("category: ?page=1&cb=<unique>", [f"{category}?page=1&x={n}" for n in range(repeats)]),
        Probe("article: ?hl=<4,000 chars>", [article + "?hl=" + "+".join(["pain"] * 800)]),
        Probe("feed.rss ?cb=<unique>", bust("/feed.rss")),
        Probe("category feed ?cb=<unique>", bust(f"{category}feed.atom")),
        Probe("sitemap.xml ?cb=<unique>", bust("/sitemap.xml")),
        Probe(
            "home ?page=10**9 / -1 / abc / 10**30",
            ["/?page=1000000000", "/?page=-1", "/?page=abc", "/?page=" + "9" * 30],
            "200/404",
        ),
        Probe("category ?page=10**9", [f"{category}?page=1000000000"], "404"),
        Probe(
            "slug of 3,000 chars / unicode / NUL",
            ["/articles/" + "a" * 3000 + "/", "/articles/%E2%9D%A4%F0%9F%98%80/", "/articles/a%00b/", "/?q=%00"],
            "4xx",
        ),
        Probe("old address: /?p=<huge> /?page_id=x", ["/?p=" + "9" * 40, "/?page_id=%F0%9F%98%80"], "3xx/404"),
        Probe("upload: /uploads/<long name>", ["/uploads/" + "x" * 2000 + ".png"], "404"),
    ]


def newsroom_probes(t: dict) -> list[Probe]:
    """Return the newsroom's lists and filters far past their ends, as the least-privileged role."""
    article_id, huge = t["article_id"], "9" * 30
    return [
        Probe(
            "admin articles ?page=10**9 / 10**30",
            ["/admin/articles/?page=1000000000", f"/admin/articles/?page={huge}"],
            "404",
        ),
        Probe("admin articles ?per_page=100000 (3 times)", ["/admin/articles/?per_page=100000"] * 3),
        Probe(
            "admin audit, 1900-9999 (admins only)",
            ["/admin/audit/?since=1900-01-01&until=9999-12-31&page=1000000000"],
            "403/404",
        ),
        Probe("admin revisions of an article", [f"/admin/articles/{article_id}/revisions/"], "2xx/403"),
        Probe("admin diff a=1&b=10**30", [f"/admin/articles/{article_id}/revisions/diff?a=1&b={huge}"], "4xx"),
        Probe("admin edit article id 10**30 / -1", [f"/admin/articles/{huge}/edit", "/admin/articles/-1/edit"], "404"),
        Probe("admin uploads ?page=10**9", ["/admin/uploads/?page=1000000000"], "2xx/404"),
        Probe("admin dashboard ?since=1900&until=9999", ["/admin/?since=1900-01-01&until=9999-12-31"]),
    ]
