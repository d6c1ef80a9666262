"""WordPress (WXR) import through the real stack: posts, their content, categories, tags, old addresses, scale."""

import resource
import socket
import time
from pathlib import Path

import pytest
from wordpress_exports import WPI, WXR, article, counts, needs_shared_exports, run

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Redirect
from blogapp.moving.wordpress.html import convert_content

pytestmark = needs_shared_exports


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_small_export_imports_posts_with_statuses_categories_tags_authors(client, runner, ctx, no_network):
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0, result.output
    assert "Imported 6 posts and 5 pages; skipped 0." in result.output  # pages: tests/moving/test_wxr_pages.py
    hello = article("hello-world")
    assert hello.title == "Hello world!" and hello.status == ArticleStatus.PUBLISHED
    assert hello.published_at.isoformat() == "2011-01-18T07:40:14" and hello.category.slug == "uncategorized"
    private = article("private-post")
    assert private.status == ArticleStatus.DRAFT and [t.slug for t in private.tags] == ["tag1", "tag2", "tag3"]
    # The child "Foo" (foo-bar, under bar) shares the top-level Foo's name: category names are unique, so it is Foo.
    assert article("foo-child").category.slug == "foo" and article("many-categories").category.slug == "alpha"
    assert "categories sharing a name merged: 1" in result.output
    assert {a.slug for a in db.session.scalars(db.select(Author))} >= {"admin", "editor", "author"}
    assert "private as draft: 1" in result.output and "categories flattened" in result.output
    assert client.get("/articles/hello-world/").status_code == 200
    assert client.get("/articles/private-post/").status_code == 404
    response = client.get("/?p=1")
    assert response.status_code == 301 and response.location.endswith("/articles/hello-world/")
    assert client.get("/hello-world/").status_code == 301
    assert "/articles/top-level-foo/" in client.get("/search?q=foo").get_data(as_text=True)
    assert "/articles/private-post/" not in client.get("/search?q=private").get_data(as_text=True)


@pytest.mark.parametrize(
    "name, slugs",
    [
        ("phpunit_data_valid-wxr-1.0.xml", ["hello-world", "alpha-post", "child-post"]),
        ("phpunit_data_valid-wxr-1.1.xml", ["hello-world"]),
        ("phpunit_data_wxr-utf-8-challenges.xml", ["hello-world-utf8-test"]),
        ("phpunit_data_crazy-cdata-escaped.xml", ["hello-world"]),
        ("phpunit_data_post-content-blank-lines.xml", ["hello-world"]),
        ("phpunit_data_wxr-simple.xml", ["hello-world"]),
        ("phpunit_data_missing-tags.xml", ["no-author-post"]),
    ],
)
def test_fixture_imports_and_renders(client, runner, ctx, no_network, name, slugs):
    result = run(runner, WPI / name)
    assert result.exit_code == 0, result.output
    assert sorted(db.session.scalars(db.select(Article.slug))) == sorted(slugs)
    for slug in slugs:
        assert client.get(f"/articles/{slug}/").status_code == 200


def test_wxr_1_0_tags_and_hierarchy(runner, ctx):
    assert run(runner, WPI / "phpunit_data_valid-wxr-1.0.xml").exit_code == 0
    assert [t.slug for t in article("alpha-post").tags] == ["news", "roar"]
    assert article("child-post").category.slug == "child"
    assert [t.slug for t in article("child-post").tags] == ["chicken", "face"]


def test_content_blank_lines_become_paragraphs(runner, ctx):
    assert run(runner, WPI / "phpunit_data_post-content-blank-lines.xml").exit_code == 0
    html = article("hello-world").body_html
    assert html.count("<p>") == 2 and "<br>" in html and "And more lines with text." in html


def test_utf8_survives(client, runner, ctx):
    assert run(runner, WPI / "phpunit_data_wxr-utf-8-challenges.xml").exit_code == 0
    assert "🌲" in article("hello-world-utf8-test").title


def test_jekyll_sitetitle_export(client, runner, ctx):
    result = run(runner, WXR / "sitetitle.wordpress.2025-01-19.000.xml")
    assert result.exit_code == 0, result.output
    assert "Imported 7 posts" in result.output
    post = article("blog-post-1")
    assert post.category.slug == "foo" and {t.slug for t in post.tags} == {"code", "ruby", "ship", "stars"}
    assert post.author.slug == "jekyllbot"
    old = db.session.scalars(db.select(Redirect.old_path).where(Redirect.article_id == post.id)).all()
    assert "/?p=14" in old and "/blog-post-1/" in old and any(path.startswith("/2025/01/") for path in old)
    for path in old:
        response = client.get(path)
        assert response.status_code == 301 and response.location.endswith("/articles/blog-post-1/"), path
    assert "/articles/blog-post-1/" in client.get("/search?q=ruby").get_data(as_text=True)


def test_wordpress_com_export_with_https_namespaces_imports(runner, ctx, tmp_path):
    text = (WXR / "sitetitle.wordpress.2025-01-19.000.xml").read_text(encoding="utf-8")
    https = tmp_path / "wordpress-com.xml"
    https.write_text(text.replace("http://wordpress.org/export/", "https://wordpress.org/export/"), encoding="utf-8")
    result = run(runner, https)
    assert result.exit_code == 0 and "Imported 7 posts" in result.output, result.output
    assert article("blog-post-1").category.slug == "foo"


def test_namespace_name_outside_ascii_is_read_and_hijacked_namespace_is_not_wordpress(runner, ctx):
    result = run(runner, WPI / "phpunit_data_namespace-edge-cases.xml")
    assert result.exit_code == 0 and "Imported 5 posts; skipped 1." in result.output, result.output
    assert "no wp:post_id): 1" in result.output and article("unicode-namespace") is not None


def test_slug_taken_by_another_post_gets_a_suffix(publish, runner):
    publish("Existing", slug="hello-world")
    assert run(runner, WPI / "phpunit_data_wxr-simple.xml").exit_code == 0
    assert article("hello-world-2").title.startswith('"The Road Not Taken"')


def test_shortcodes_captions_embeds_and_galleries_are_converted():
    from collections import Counter

    counters: Counter = Counter()
    raw = (
        '[caption id="a" width="300"]<img src="/x.jpg" alt="x"> A cat[/caption]\n\n'
        '[gallery ids="1,2"]\n\n[embed]https://example.com/v[/embed]\nhttps://example.org/alone\n\n'
        "Some [highlight color=red]bright[/highlight] text [sic].\n"
        "<!-- wp:paragraph --><p>Kept</p><!-- /wp:paragraph -->"
    )
    body = convert_content(raw, counters)
    assert '<figure><img src="/x.jpg" alt="x"><figcaption>A cat</figcaption></figure>' in body
    assert '<p><a href="https://example.com/v">https://example.com/v</a></p>' in body
    assert '<p><a href="https://example.org/alone">https://example.org/alone</a></p>' in body
    assert "<p>Some bright text [sic].</p>" in body and "<p>Kept</p>" in body and "wp:" not in body
    assert counters["galleries_dropped"] == 1 and counters["shortcodes_dropped"] == 1


def _write_export(path: Path, posts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">'
            "<channel><title>Big</title><wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:author><wp:author_login>bulk</wp:author_login></wp:author>\n"
        )
        for n in range(1, posts + 1):
            words = " ".join(f"word{(n * k) % 997}" for k in range(120))
            out.write(
                f"<item><title>Post number {n}</title><link>http://old.example/{n}/post-{n}/</link>"
                f"<dc:creator>bulk</dc:creator><content:encoded><![CDATA[Para one {words}.\n\nPara two [b]x[/b].]]>"
                f"</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="c{n % 20}"><![CDATA[C{n % 20}]]></category>'
                f'<category domain="post_tag" nicename="t{n % 50}"><![CDATA[t{n % 50}]]></category></item>\n'
            )
        out.write("</channel></rss>\n")


@pytest.mark.slow
def test_ten_thousand_posts_import_in_reasonable_time(client, runner, ctx, tmp_path, capsys):
    export = tmp_path / "big.xml"
    _write_export(export, 10_000)
    start = time.perf_counter()
    result = run(runner, export)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert result.exit_code == 0, result.output
    assert "Imported 10000 posts" in result.output
    assert counts()["Article"] == 10_000 and article("post-10000").title == "Post number 10000"
    assert client.get("/5/post-5/").status_code == 301
    with capsys.disabled():
        print(f"\n10,000-post WXR import: {elapsed:.1f}s, peak RSS {peak_mb:.0f} MB")
    assert elapsed < 600
