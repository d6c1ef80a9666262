"""The reader's URL patterns for the endpoint benchmark, with real addresses picked from the instance's database."""

import math
import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.instances import ROOT, flask
from blogapp import config as defaults
from blogapp.reader.sitemap import split_parts

# What readers may see (Article.is_visible), in SQL over the seeded SQLite file; `?` is now, in UTC.
VISIBLE = (
    "a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL AND a.deleted_at IS NULL"
    " AND a.published_at <= ?"
)
PAGE_VISIBLE = "status = 'published' AND deleted_at IS NULL"  # what readers may see of pages (content.pages)
FEED_SLUGS = 3  # categories, tags and authors whose RSS and Atom feeds are requested


@dataclass
class Pattern:
    """One URL pattern the app serves: the addresses measured for it and the budget group it falls in."""

    name: str
    route: str  # the Flask rule, as `flask routes` prints it
    group: str  # reader, sitemap, search-short, search, newsroom or not-found
    urls: list[str]
    warmup: list[str] = field(default_factory=list)  # unmeasured, before the measured pass (workers' first use)
    samples: int | None = None  # fewer URLs than this are requested again (never for searches: they stay unique)
    signed_in: bool = False

    @property
    def expected(self) -> str:
        """Return the answers that count as right: 404 for a missing address, else any 2xx or 3xx."""
        return "404" if self.group == "not-found" else "2xx/3xx"


def connect(database: Path) -> sqlite3.Connection:
    """Open the instance's SQLite database read-only."""
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True)


def now_text() -> str:
    """Return now in UTC as SQLite holds datetimes, for comparing with published_at."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _column(connection: sqlite3.Connection, sql: str, *params) -> list:
    return [row[0] for row in connection.execute(sql, params)]


def _sample(rng: random.Random, items: list, count: int) -> tuple[list, list]:
    """Return `count` items and up to two more for the warm-up (the measured ones again when too few)."""
    chosen = rng.sample(items, min(len(items), count + 2))
    measured, spare = (chosen[:count], chosen[count:]) if len(chosen) > count else (chosen, chosen[:1])
    return measured, spare or measured[:1]


def _listing_patterns(connection, rng: random.Random, count: int, now: str) -> list[Pattern]:
    per_page = defaults.ARTICLES_PER_PAGE
    total = connection.execute(f"SELECT count(*) FROM articles a WHERE {VISIBLE}", (now,)).fetchone()[0]
    last = max(1, math.ceil(total / per_page))
    by_category = dict(
        connection.execute(
            f"SELECT c.slug, count(a.id) FROM categories c JOIN articles a ON a.category_id = c.id WHERE {VISIBLE}"
            " GROUP BY c.id",
            (now,),
        ).fetchall()
    )
    categories, spare = _sample(rng, sorted(by_category), count)
    last_page = lambda slug: f"/category/{slug}/?page={math.ceil(by_category[slug] / per_page)}"  # noqa: E731
    return [
        Pattern("home", "/", "reader", ["/"]),
        Pattern("home page 50", "/", "reader", [f"/?page={min(50, last)}"]),
        Pattern("home last page", "/", "reader", [f"/?page={last}"]),
        Pattern("categories index", "/categories/", "reader", ["/categories/"]),
        _per_slug("category", "/category/<slug>/", categories, spare),
        _per_slug("category last page", "/category/<slug>/", categories, spare, last_page),
    ]


def _per_slug(name: str, route: str, slugs: list[str], spare: list[str], address=None) -> Pattern:
    """Return a reader pattern measured at `slugs` (warmed up at `spare`), by default at the route with each slug."""
    address = address or (lambda slug: route.replace("<slug>", slug))
    return Pattern(name, route, "reader", [address(s) for s in slugs], [address(s) for s in spare])


def _page_patterns(connection, rng: random.Random, count: int, now: str) -> list[Pattern]:
    articles = connection.execute(f"SELECT a.slug, a.title FROM articles a WHERE {VISIBLE}", (now,)).fetchall()
    chosen, spare = _sample(rng, articles, count)
    tags = _column(
        connection,
        "SELECT t.slug FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags x JOIN articles a ON a.id = x.article_id"
        f" WHERE x.tag_id = t.id AND {VISIBLE})",
        now,
    )
    authors = _column(
        connection,
        f"SELECT DISTINCT au.slug FROM authors au JOIN articles a ON a.author_id = au.id WHERE {VISIBLE}",
        now,
    )
    tags, spare_tags = _sample(rng, tags, count)
    authors, spare_authors = _sample(rng, authors, count)
    pages, spare_pages = _sample(rng, _column(connection, f"SELECT slug FROM pages WHERE {PAGE_VISIBLE}"), count)
    highlighted = [f"/articles/{slug}/?hl={max(title.split(), key=len).lower()}" for slug, title in chosen]
    return [
        _per_slug("article", "/articles/<slug>/", [s for s, _ in chosen], [s for s, _ in spare]),
        Pattern("article ?hl=", "/articles/<slug>/", "reader", highlighted, highlighted[:1]),
        _per_slug("tag", "/tag/<slug>/", tags, spare_tags),
        _per_slug("author", "/author/<slug>/", authors, spare_authors),
        _per_slug("site page", "/<slug>/", pages, spare_pages),
        *_feed_patterns(categories_of(connection, rng, now), tags, authors),
    ]


def categories_of(connection, rng: random.Random, now: str) -> list[str]:
    """Return the slugs of the categories that have visible articles, shuffled."""
    slugs = _column(
        connection,
        f"SELECT DISTINCT c.slug FROM categories c JOIN articles a ON a.category_id = c.id WHERE {VISIBLE}",
        now,
    )
    return rng.sample(slugs, len(slugs))


def _feed_patterns(categories: list[str], tags: list[str], authors: list[str]) -> list[Pattern]:
    patterns = [Pattern("feed site", "/feed.<any(rss, atom):fmt>", "reader", ["/feed.rss", "/feed.atom"])]
    for kind, slugs in (("category", categories), ("tag", tags), ("author", authors)):
        urls = [f"/{kind}/{slug}/feed.{fmt}" for slug in slugs[:FEED_SLUGS] for fmt in ("rss", "atom")]
        patterns.append(
            Pattern(
                f"feed {kind}", "/<any(category, tag, author):kind>/<slug>/feed.<any(rss, atom):fmt>", "reader", urls
            )
        )
    return patterns


def reader_patterns(database: Path, count: int, rng: random.Random, uploads: list[str]) -> list[Pattern]:
    """Return every reader pattern but searches and sitemaps, `count` addresses each where the site has them."""
    now = now_text()
    with closing(connect(database)) as connection:
        patterns = _listing_patterns(connection, rng, count, now) + _page_patterns(connection, rng, count, now)
    statics = sorted(path.name for path in (ROOT / "static").iterdir() if path.is_file())
    missing = [f"/no-such/page-{rng.randrange(10**9)}/" for _ in range(count)]  # one segment would be a page's
    return [
        *patterns,
        Pattern("robots.txt", "/robots.txt", "reader", ["/robots.txt"]),
        Pattern("opensearch", "/opensearch.xml", "reader", ["/opensearch.xml"]),
        Pattern("healthz", "/healthz", "reader", ["/healthz"]),
        Pattern("metrics", "/metrics", "reader", ["/metrics"]),  # the benchmark asks from 127.0.0.1, allowed
        Pattern("static file", "/static/<path:filename>", "reader", [f"/static/{name}" for name in statics]),
        Pattern("upload", "/uploads/<filename>", "reader", [f"/uploads/{name}" for name in uploads]),
        Pattern("unknown address (404)", "/<path:old_path>", "not-found", missing, missing[:1]),
    ]


def sitemap_size(database: Path) -> tuple[int, int]:
    """Return how many listing pages and articles the sitemap lists (as blogapp.reader.sitemap counts them)."""
    with closing(connect(database)) as connection:
        named = sum(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("categories", "tags", "authors")
        )
        visible = connection.execute(f"SELECT count(*) FROM articles a WHERE {VISIBLE}", (now_text(),)).fetchone()[0]
        pages = connection.execute(f"SELECT count(*) FROM pages WHERE {PAGE_VISIBLE}").fetchone()[0]
    return 2 + named + pages, visible


def sitemap_patterns(size: tuple[int, int], per_part: int, label: str = "") -> list[Pattern]:
    """Return the sitemap, or its index and each of its parts, for `size` URLs at `per_part` a file."""
    listing_parts, article_parts = split_parts(*size, per_part)
    samples = 3  # up to a second each, and the same work every time: three are enough for a p95 budget of 1 s
    if not listing_parts:
        return [Pattern(f"sitemap (one file){label}", "/sitemap.xml", "sitemap", ["/sitemap.xml"], samples=samples)]
    index = Pattern(f"sitemap index{label}", "/sitemap.xml", "sitemap", ["/sitemap.xml"], samples=samples)
    return [index] + [
        Pattern(
            f"sitemap part {n}{label}", "/sitemap-<int:number>.xml", "sitemap", [f"/sitemap-{n}.xml"], samples=samples
        )
        for n in range(1, listing_parts + article_parts + 1)
    ]


def served_routes(env: dict) -> list[str]:
    """Return every rule the app answers GET on, as `flask routes` lists them."""
    lines = flask(env, "routes", quiet=True).stdout.splitlines()
    # Columns are as wide as the dashes under their heading; a rule may hold spaces (`<any(rss, atom):fmt>`).
    widths = [len(dashes) for dashes in lines[1].split("  ")]
    rules = []
    for line in lines[2:]:
        methods = line[widths[0] + 2 : widths[0] + 2 + widths[1]]
        if "GET" in methods.strip().split(", "):
            rules.append(line[widths[0] + widths[1] + 4 :].strip())
    return rules


def article_paths(database: Path, count: int, rng: random.Random) -> list[str]:
    """Return the addresses of up to `count` random visible articles."""
    with closing(connect(database)) as connection:
        slugs = _column(connection, f"SELECT a.slug FROM articles a WHERE {VISIBLE}", now_text())
    return [f"/articles/{slug}/" for slug in rng.sample(slugs, min(count, len(slugs)))]
