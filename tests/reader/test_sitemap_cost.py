"""The sitemap of a large site: a few grouped statements, none correlated, whatever the number of URLs."""

import re

import pytest

from bench.synthetic import TAG_COUNT, insert_synthetic
from blogapp.content.raw_query import watch_statements
from blogapp.extensions import db
from blogapp.web.templating import iso_utc

ARTICLES = 2000  # the per-tag correlated subqueries this replaced took seconds here, a minute at 10,000
MAX_STATEMENTS = 10


@pytest.fixture
def large_site(ctx):
    insert_synthetic(ARTICLES, seed=7)


def plan_lines(statement: str, parameters) -> list[str]:
    """Return the database's plan of `statement`, one line per step."""
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        return [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]


def sitemap_statements(client, path: str) -> tuple[str, list]:
    """GET `path`; return its body and every statement it sent."""
    with watch_statements(db.engine, all_threads=True) as statements:
        body = client.get(path).get_data(as_text=True)
    return body, list(statements)


def test_a_large_sitemap_costs_a_few_uncorrelated_statements(app, client, large_site):
    body, statements = sitemap_statements(client, "/sitemap.xml")
    assert body.count("<url>") >= ARTICLES + TAG_COUNT
    assert len(statements) <= MAX_STATEMENTS, "\n".join(" ".join(sql.split())[:150] for sql, _ in statements)
    for statement, parameters in statements:
        if statement.lstrip().upper().startswith("SELECT"):
            plan = plan_lines(statement, parameters)
            assert not [line for line in plan if re.search(r"CORRELATED|SubPlan", line)], (statement, plan)


def test_each_part_of_a_large_sitemap_is_as_cheap(app, client, large_site):
    app.config["SITEMAP_MAX_URLS"] = 500
    index, _ = sitemap_statements(client, "/sitemap.xml")
    parts = re.findall(r"<loc>http://localhost(/sitemap-\d+\.xml)</loc>", index)
    assert len(parts) >= ARTICLES // 500
    urls = []
    for part in parts:
        body, statements = sitemap_statements(client, part)
        assert len(statements) <= MAX_STATEMENTS
        urls += re.findall(r"<loc>([^<]+)</loc>", body)
    assert len(urls) == len(set(urls)) >= ARTICLES + TAG_COUNT


def test_sitemap_dates_each_tag_by_its_own_articles(client, publish):
    publish("Older note", tags=["old tag"], hours_ago=48)
    newer = publish("Newer note", tags=["new tag"], hours_ago=1)
    older = publish.created[0]
    body = client.get("/sitemap.xml").get_data(as_text=True)
    dates = dict(re.findall(r"<loc>http://localhost/tag/([^/]+)/</loc>\s*<lastmod>([^<]+)</lastmod>", body))
    assert dates == {"old-tag": iso_utc(older.updated_at), "new-tag": iso_utc(newer.updated_at)}


def test_a_sitemap_part_fetched_again_is_read_from_its_file(app, client, large_site):
    app.config["SITEMAP_MAX_URLS"] = 500
    client.get("/sitemap.xml")
    first, _ = sitemap_statements(client, "/sitemap-3.xml")
    again, statements = sitemap_statements(client, "/sitemap-3.xml")
    assert again == first and first.count("<url>") == 500
    assert not [sql for sql, _ in statements if "articles.slug" in sql]  # no URL is read again


def test_a_kept_sitemap_follows_each_change_and_each_host(app, client, publish, tmp_path):
    publish("Older note")
    assert "/articles/older-note/" in client.get("/sitemap.xml").get_data(as_text=True)
    publish("Newer note")
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/articles/older-note/" in body and "/articles/newer-note/" in body
    elsewhere = client.get("/sitemap.xml", headers={"Host": "blog.example.org"}).get_data(as_text=True)
    assert "<loc>http://blog.example.org/articles/newer-note/</loc>" in elsewhere
    kept = sorted(path.name for path in (tmp_path / "sitemaps").iterdir())
    assert len(kept) == 2, kept  # the older version's file is gone; one per host name


def test_a_split_sitemap_gives_listing_pages_their_own_part(app, client, large_site):
    app.config["SITEMAP_MAX_URLS"] = 500
    listings, _ = sitemap_statements(client, "/sitemap-1.xml")
    assert "/tag/" in listings and "/articles/" not in listings
    articles, statements = sitemap_statements(client, "/sitemap-2.xml")
    assert articles.count("<url>") == 500 and "/tag/" not in articles
    assert not [sql for sql, _ in statements if "article_tags" in sql]  # the tags' last changes are not worked out
