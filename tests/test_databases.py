"""What must not depend on the database: the suite runs these on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""

import json
from datetime import datetime

from sqlalchemy import select

from bench.synthetic import insert_synthetic
from blogapp.extensions import db
from blogapp.models import Article, Author, Tag, User
from blogapp.moving.commands import wxr_command

LONG = "Word " * 200  # longer than any name or title column


def test_articles_added_after_synthetic_ones_get_new_ids(app, publish):
    ids = insert_synthetic(3)
    article = publish("Written after the synthetic corpus")
    assert article.id > max(ids)


def test_overlong_tag_name_is_cut_to_fit(client, publish):
    article = publish("Tagged at length", tags=[LONG])
    assert len(article.tags[0].name) == Tag.name.type.length
    assert client.get(f"/tag/{article.tags[0].slug}/").status_code == 200


def test_overlong_byline_name_is_refused_by_the_command(runner, ctx):
    args = ["users", "create", "--email", "a@example.org", "--role", "author", "--name", LONG]
    result = runner.invoke(args=args, input="a long password\na long password\n")
    assert result.exit_code != 0 and "at most 120 characters" in result.output
    assert db.session.scalar(select(User)) is None


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author><wp:author_login>ann</wp:author_login><wp:author_email>ann@example.org</wp:author_email>
    <wp:author_display_name>{long}</wp:author_display_name></wp:author>
  <item>
    <title>{long}</title>
    <link>https://old.example.org/{path}/</link>
    <dc:creator>ann</dc:creator>
    <content:encoded><![CDATA[<p>A post with long names.</p>]]></content:encoded>
    <wp:post_id>7</wp:post_id>
    <wp:post_date_gmt>2020-05-01 10:00:00</wp:post_date_gmt>
    <wp:post_name>long-names</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    <category domain="category" nicename="long"><![CDATA[{long}]]></category>
    <category domain="post_tag" nicename="long-tag"><![CDATA[{long}]]></category>
  </item>
</channel>
</rss>
"""


def test_wordpress_names_longer_than_their_columns_are_cut_to_fit(client, runner, ctx, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(WXR.format(long=LONG.strip(), path="x" * 600))
    result = runner.invoke(wxr_command, [str(export)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 posts" in result.output and "old addresses too long to keep: 1" in result.output
    article = db.session.scalar(select(Article))
    assert len(article.title) <= Article.title.type.length and len(article.category.name) <= 120
    assert len(db.session.scalar(select(Author)).name) <= 120 and len(article.tags[0].name) <= 120
    assert client.get("/articles/long-names/").status_code == 200
    assert client.get("/?p=7").status_code == 301


def test_archive_times_with_an_offset_are_stored_as_utc(runner, ctx, tmp_path):
    archive = tmp_path / "site.json"
    record = {"slug": "timed", "title": "Timed", "summary": "", "body": "Body.", "status": "published"}
    record |= {"published_at": "2024-01-02T12:00:00+02:00", "created_at": "2024-01-02T10:00:00Z"}
    record |= {"updated_at": "2024-01-02T10:00:00+00:00", "category": "c", "author": "a", "tags": []}
    data = {"format": "blogapp-export", "version": 1, "tags": [], "articles": [record]}
    data |= {"categories": [{"slug": "c", "name": "C"}], "authors": [{"slug": "a", "name": "A"}]}
    archive.write_text(json.dumps(data))
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    article = db.session.scalar(select(Article))
    assert article.published_at == article.created_at == article.updated_at == datetime(2024, 1, 2, 10, 0)


def test_nul_character_in_a_request_is_a_bad_request_not_a_server_error(client, publish):
    publish("Plain")
    for url in ("/articles/pl%00ain/", "/category/a%00/", "/?p=1%00", "/search?q=a%00b", "/search/suggest?q=a%00"):
        assert client.get(url).status_code == 400, url
    response = client.post("/login", data={"email": "editor@example.org\x00", "password": "x"})
    assert response.status_code == 400
