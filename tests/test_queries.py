"""Queries stay few and indexed: SQL statements per page type, and the query plans of the hot queries."""

import re
from datetime import timedelta

import pytest
from flask import current_app
from query_plans import full_scans, query_plans, uses
from sqlalchemy import select

from blogapp.content import revisions
from blogapp.content.articles import save_article
from blogapp.content.pages import find_visible_page, menu_links, save_page
from blogapp.content.pagination import paginate
from blogapp.content.raw_query import watch_statements
from blogapp.content.redirects import redirect_target
from blogapp.content.taxonomy import category_counts
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Page, PageStatus, Upload, utcnow
from blogapp.newsroom import accounts
from blogapp.newsroom.permissions import newsroom_articles
from blogapp.reader import article_lists, article_page, listings, popularity, queries
from blogapp.reader.sitemap import sitemap_entries
from blogapp.search import changelog, get_index
from blogapp.search.click_stats import nothing_opened, safety_panel_shown, top_queries_with_clicks
from blogapp.search.querylog import top_queries

ARTICLES = 30
PER_PAGE = 10


@pytest.fixture
def site(app, team):
    """Seed 30 live articles over 3 categories, 7 authors and 6 tags, plus drafts and reviews for the newsroom."""
    app.config["ARTICLES_PER_PAGE"] = PER_PAGE
    categories = [Category(slug=f"topic-{n}", name=f"Topic {n}", description=f"About topic {n}.") for n in range(3)]
    authors = [Author(slug=f"writer-{n}", name=f"Writer {n}", bio="Writes.") for n in range(7)]
    db.session.add_all(categories + authors)
    tags = [f"tag {n}" for n in range(6)]
    # Featured images on two of three articles: listings read them in their one query, with no query per card.
    images = [
        Upload(filename=f"{n:032x}.png", content_type="image/png", width=800, height=600, size=1) for n in range(3)
    ]
    authors[0].photo = images[1]  # treatment-note-0's byline photo, read with its author: no statement of its own
    now = utcnow()
    for n in range(ARTICLES + 6):
        live = n < ARTICLES
        article = save_article(
            Article(),
            title=f"Treatment note {n}",
            body=f"Common words about treatment and care, note {n}.\n\n## Part one\n\nMore text.",
            summary=f"Summary {n}.",
            category=categories[n % 3],
            author=authors[n % 7],
            tags=[tags[n % 6], tags[(n + 1) % 6]],
            status=ArticleStatus.PUBLISHED if live else (ArticleStatus.DRAFT, ArticleStatus.REVIEW)[n % 2],
            published_at=now - timedelta(hours=n + 1) if live else None,
            editor=team["editor"],
        )
        article.featured_image = images[n % 3] if n % 3 else None
        if n % 5 == 0:
            article.reviewer, article.reviewed_at = team["reviewer"], now - timedelta(days=n)
    for order, slug in enumerate(("about", "editorial-policy", "privacy")):  # linked from every page's menus
        save_page(Page(), title=slug.title(), slug=slug, body="Text.", status=PageStatus.PUBLISHED, in_footer=True,
                  in_header=slug == "about", menu_order=order)
    db.session.commit()
    get_index().wait_for_retry(10)
    assert get_index().pending() == 0
    article = db.session.scalar(select(Article).where(Article.slug == "treatment-note-0"))
    return {"article": article, "category": article.category, "writer": article.author, "tag": article.tags[0], **team}


def links_to_articles(html: str) -> int:
    """Count the distinct articles a page links to, on the site or in the newsroom."""
    return len(set(re.findall(r"/(?:articles/treatment-note-\d+|admin/articles/\d+)/", html)))


# Statements per page with 30 articles and 10 to a page, a little above what they take today. An N+1 (a query
# per listed article) adds ten or more, so these limits catch it. Reader pages include the site version and
# newest-article lookups of the HTTP validators; the article page includes the disclaimer setting; the search
# page includes the insert into the search log. Header and footer page links: one statement for both menus per
# content version ("/": 3 -> 4). The page linked under the disclaimer: one statement per content version
# (article: 10 -> 11). The newsroom's synonyms list: one statement per content version, on the first search of each
# ("/search": 6 -> 7). Best bets: every best-bet key, read once per content version too ("/search": 7 -> 8), none
# after. The safety panel's settings: on the first search of a content version in a process ("/search": 8 -> 9).
# The listing column's most-read list: the ranked ids (kept a few minutes) and their rows ("/": 6 -> 7).
READER_PAGE_LIMITS = {
    "/": (7, 10),
    "/?page=2": (6, 10),
    "/articles/treatment-note-0/": (11, 0),
    "/category/topic-0/": (7, 10),
    "/tag/tag-0/": (7, 10),
    "/author/writer-0/": (7, 5),
    "/categories/": (5, 0),
    "/search?q=treatment": (9, 10),
    "/feed.atom": (5, 20),
    "/sitemap.xml": (14, ARTICLES),
    "/about/": (4, 0),
}
# Each newsroom page of an admin or editor without a second factor also reads whether the site requires one. The
# dashboard's search lists take one statement each: top searches with their opened results, zero-result searches,
# "searched, nothing opened" and the safety panel's count (14 -> 15).
NEWSROOM_PAGE_LIMITS = {
    "/admin/": (15, 10),
    "/admin/articles/": (7, 25),
}


def _statements_for(client, url: str, min_listed: int) -> list[str]:
    with watch_statements(db.engine) as statements:  # this thread's: not the background index writer
        response = client.get(url)
    assert response.status_code == 200, url
    assert links_to_articles(response.get_data(as_text=True)) >= min_listed, url
    return [statement for statement, _ in statements]


def test_reader_pages_use_a_fixed_number_of_statements(client, site):
    client.get("/robots.txt")  # the first request of a process also checks the search change log
    for url, (limit, min_listed) in READER_PAGE_LIMITS.items():
        statements = _statements_for(client, url, min_listed)
        assert len(statements) <= limit, f"{url}: {len(statements)} statements\n" + "\n".join(statements)


def test_newsroom_pages_use_a_fixed_number_of_statements(client, site, login):
    login("editor@example.org")
    for url, (limit, min_listed) in NEWSROOM_PAGE_LIMITS.items():
        statements = _statements_for(client, url, min_listed)
        assert len(statements) <= limit, f"{url}: {len(statements)} statements\n" + "\n".join(statements)


# The visible-article listings need an index they can walk newest first, e.g. ix_articles_live on
# (deleted_at, published_at, id, status): `status IN (published, scheduled)` cannot give that order by itself.
_LISTING = "the listing must walk an index in its order, not sort every visible article"


def _listing(kind: str, key=lambda site: None):
    def run(site):
        # A page of the listing and, once per content version, its total.
        page = listings.listing(kind, 1, PER_PAGE, key(site))
        assert page.items and page.total >= len(page.items)

    return run


_COVERING_CATEGORY = "COVERING INDEX ix_articles_category_published"
_COVERING_AUTHOR = "COVERING INDEX ix_articles_author_published"


def _sitemap(limit: int) -> list:
    """Return the sitemap's first `limit` entries, worked out as for a request (its URLs are absolute)."""
    with current_app.test_request_context():
        return list(sitemap_entries(limit))


def _drain(_site):
    changelog.append(db.session.connection(), [1, 2, 3])
    db.session.commit()
    get_index().pending()
    get_index().drain()


def _related_links(site):
    article_lists.related(article_page.find_visible(site["article"].slug))


def _newsroom_lists(site):
    for role in ("editor", "author"):  # editors see every article, authors their own
        paginate(newsroom_articles(site[role]), 1, 25)


def _login_failures(_site):
    accounts.authenticate("nobody@example.org", "wrong password", "203.0.113.9")
    db.session.rollback()


# name: (what runs the queries, must it read rows in the listing's order, the index searches its plan must use)
HOT_QUERIES = {
    "home listing": (_listing("home"), True, ["SEARCH articles"]),
    "recent sidebar": (lambda site: listings.newest("home", 6), True, ["SEARCH articles"]),
    "category listing": (_listing("category", lambda site: site["category"].id), True, [_COVERING_CATEGORY]),
    "author listing": (_listing("author", lambda site: site["writer"].id), True, [_COVERING_AUTHOR]),
    "tag listing": (_listing("tag", lambda site: site["tag"].id), False, ["SEARCH articles"]),
    "article by slug": (lambda site: article_page.find_visible(site["article"].slug), False, ["(slug=?)"]),
    "more in category": (lambda site: listings.newest("category", 6, site["category"].id), True, ["category_id=?"]),
    "related articles": (
        lambda site: (_related_links(site), _related_links(site)),  # worked out, then as kept
        False,
        ["SEARCH related_articles USING INTEGER PRIMARY KEY", "SEARCH articles USING INTEGER PRIMARY KEY"],
    ),
    "search results by id": (
        lambda site: queries.find_links([site["article"].id, site["article"].id + 1]),
        False,
        ["SEARCH articles USING INTEGER PRIMARY KEY"],
    ),
    "suggestion links": (
        lambda site: queries.slugs_by_id([site["article"].id, site["article"].id + 1]),
        False,
        ["SEARCH articles USING INTEGER PRIMARY KEY"],
    ),
    "categories with counts": (lambda site: category_counts(visible_only=True), False, ["SEARCH articles"]),
    "redirect lookup": (lambda site: redirect_target("/2019/05/01/old-slug/"), False, ["(old_path=?)"]),
    "page by slug": (lambda site: find_visible_page("about"), False, ["(slug=?)"]),
    "menu links": (lambda site: menu_links(), True, ["SEARCH pages USING INDEX ix_pages_menu"]),
    "search log applying": (_drain, False, ["SEARCH search_changes USING INTEGER PRIMARY KEY"]),
    "sitemap entries": (lambda site: _sitemap(50_000), False, ["SEARCH articles"]),
    "search log top queries": (
        lambda site: (top_queries(days=30, limit=10), top_queries(days=30, limit=10, zero_only=True)),
        False,
        [],
    ),
    "dashboard clicks and safety panel": (
        lambda site: (top_queries_with_clicks(30, 10), nothing_opened(30, 10), safety_panel_shown(30)),
        False,
        ["(query=? AND day>?)", "SEARCH search_log USING INDEX ix_search_log_searched_at"],
    ),
    "login failure counting": (_login_failures, False, ["(email=?)", "(address=?)", "(failed_at<?)"]),
    "newsroom article list": (_newsroom_lists, False, ["SEARCH articles"]),
    "an author's own articles": (
        lambda site: paginate(newsroom_articles(site["author"]), 1, 25),
        True,
        ["USING INDEX ix_articles_author_updated (author_id=? AND deleted_at=?)"],
    ),
    "most read": (lambda site: popularity._ranked_ids(5), False, ["SCAN articles USING INDEX ix_articles_views"]),
    "revisions by article": (
        lambda site: (revisions.list_revisions(site["article"].id), revisions.latest_revision_id(site["article"].id)),
        False,
        ["SEARCH revisions USING INDEX", "SEARCH revisions USING COVERING INDEX"],
    ),
}


@pytest.fixture
def sqlite_only(ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN output is SQLite's")


@pytest.mark.parametrize("name", HOT_QUERIES)
def test_hot_queries_use_indexes(sqlite_only, site, name):
    run, in_order, searches = HOT_QUERIES[name]
    plans = query_plans(lambda: run(site))
    assert plans, "nothing was queried"
    lines = [line for _, plan in plans for line in plan]
    report = "\n\n".join(f"{' '.join(sql.split())}\n  -> " + "\n  -> ".join(plan) for sql, plan in plans)
    assert not full_scans(lines), f"full scan of a large table:\n{report}"
    if in_order:
        sorts = [line for line in lines if "TEMP B-TREE" in line and "ORDER BY" in line]
        assert not sorts, f"{_LISTING}:\n{report}"
    for search in searches:
        assert uses(lines, search), f"no {search!r}:\n{report}"
