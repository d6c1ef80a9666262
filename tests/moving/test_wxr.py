"""WordPress (WXR) import through the real stack: database, search index and reader pages."""

import resource
import socket
import time
from pathlib import Path

import pytest
from conftest import make_user

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Redirect, Role, Tag, User
from blogapp.moving.commands import wxr_command
from blogapp.moving.wordpress.html import convert_content

WXR = Path(__file__).resolve().parents[3] / "shared" / "data" / "wxr"
WPI = WXR / "wordpress-importer"
pytestmark = pytest.mark.skipif(not WXR.is_dir(), reason=f"shared WXR fixtures not found at {WXR}")


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
        for model in (Article, Category, Author, Redirect, Tag, User)
    }


def run(runner, path, *args):
    return runner.invoke(wxr_command, [str(path), *args])


def article(slug: str) -> Article:
    return db.session.scalar(db.select(Article).where(Article.slug == slug))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_small_export_imports_posts_only_with_statuses_categories_tags_authors(client, runner, ctx, no_network):
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0, result.output
    assert "Imported 6 posts; skipped 5." in result.output and "page, not a post): 5" in result.output
    hello = article("hello-world")
    assert hello.title == "Hello world!" and hello.status == ArticleStatus.PUBLISHED
    assert hello.published_at.isoformat() == "2011-01-18T07:40:14" and hello.category.slug == "uncategorized"
    private = article("private-post")
    assert private.status == ArticleStatus.DRAFT and [t.slug for t in private.tags] == ["tag1", "tag2", "tag3"]
    assert article("foo-child").category.slug == "foo-bar" and article("many-categories").category.slug == "alpha"
    assert {a.slug for a in db.session.scalars(db.select(Author))} >= {"admin", "editor", "author"}
    assert "private as draft: 1" in result.output and "categories flattened" in result.output
    assert client.get("/articles/hello-world/").status_code == 200
    assert client.get("/articles/private-post/").status_code == 404
    response = client.get("/?p=1")
    assert response.status_code == 301 and response.location.endswith("/articles/hello-world/")
    assert client.get("/hello-world/").status_code == 301
    assert "/articles/top-level-foo/" in client.get("/search?q=foo").get_data(as_text=True)
    assert "/articles/private-post/" not in client.get("/search?q=private").get_data(as_text=True)


def users() -> dict[str, tuple]:
    rows = db.session.scalars(db.select(User))
    return {u.email: (u.role, u.active, u.password_hash, u.author.slug, u.session_token) for u in rows}


def test_authors_become_inactive_users_without_password_on_their_profiles(runner, ctx):
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0 and "inactive users created: 3" in result.output
    imported = users()
    assert {email: row[:4] for email, row in imported.items()} == {
        "local@host.null": (Role.AUTHOR, False, "", "admin"),
        "editor@example.org": (Role.AUTHOR, False, "", "editor"),
        "author@example.org": (Role.AUTHOR, False, "", "author"),
    }
    editor = db.session.scalar(db.select(User).where(User.email == "editor@example.org"))
    assert editor.name == "editor" and article("foo-child").author == editor.author
    assert not editor.check_password("")


def test_reimport_changes_nothing_and_says_already_imported(runner, ctx):
    assert run(runner, WPI / "phpunit_data_small-export.xml").exit_code == 0
    before, before_users = counts(), users()
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0 and "Imported 0 posts" in result.output
    assert "skipped (already imported): 6" in result.output and "inactive users created" not in result.output
    assert counts() == before and users() == before_users


def test_author_already_on_the_team_keeps_account_and_byline(runner, ctx):
    member = make_user(Role.EDITOR, email="editor@example.org", name="Ed Itor")
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0 and "inactive users created: 2" in result.output
    assert article("foo-child").author.slug == "ed-itor"
    assert db.session.scalar(db.select(Author.id).where(Author.slug == "editor")) is None
    assert users()["editor@example.org"][:4] == (Role.EDITOR, True, member.password_hash, "ed-itor")


def test_author_profile_held_by_another_account_gets_no_second_account(runner, ctx):
    make_user(Role.AUTHOR, email="someone@else.example", name="Admin")
    assert db.session.scalar(db.select(Author.slug).join(User)) == "admin"
    result = run(runner, WPI / "phpunit_data_small-export.xml")
    assert result.exit_code == 0 and "author profiles already claimed: 1" in result.output
    assert "local@host.null" not in users() and len(users()) == 3


def test_pending_post_is_in_review_and_author_without_email_gets_invalid_address(client, runner, ctx, tmp_path):
    export = tmp_path / "pending.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title><wp:wxr_version>1.2</wp:wxr_version>'
        "<wp:author><wp:author_login>J.Doe</wp:author_login><wp:author_email></wp:author_email>"
        "<wp:author_display_name>Jane Doe</wp:author_display_name></wp:author>"
        "<item><title>Waiting</title><dc:creator>J.Doe</dc:creator><wp:post_id>7</wp:post_id>"
        "<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt><wp:post_name>waiting</wp:post_name>"
        "<wp:status>pending</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>\n",
        encoding="utf-8",
    )
    result = run(runner, export)
    assert result.exit_code == 0, result.output
    assert "pending as in review: 1" in result.output and "author emails made up: 1" in result.output
    waiting = article("waiting")
    assert waiting.status == ArticleStatus.REVIEW and waiting.published_at is None
    assert users()["j-doe@wordpress.invalid"][:4] == (Role.AUTHOR, False, "", "j-doe")
    assert waiting.author.name == "Jane Doe"
    assert client.get("/articles/waiting/").status_code == 404
    assert run(runner, export).exit_code == 0 and len(users()) == 1


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


@pytest.mark.parametrize(
    "name, message",
    [
        ("phpunit_data_malformed.xml", "invalid WXR version 'abc'"),
        ("phpunit_data_malformed-simple.xml", "not well-formed XML (line"),
        ("phpunit_data_invalid-version-tag.xml", "invalid WXR version 'abc'"),
        ("phpunit_data_missing-version-tag.xml", "wp:wxr_version is missing"),
        # Nested CDATA is not well-formed XML; WordPress's regex parser reads it, a real XML parser cannot.
        ("phpunit_data_crazy-cdata.xml", "not well-formed XML (line 18)"),
    ],
)
def test_broken_fixture_is_rejected_and_nothing_written(runner, ctx, name, message):
    result = run(runner, WPI / name)
    assert result.exit_code == 1 and "Nothing imported" in result.output and message in result.output
    assert set(counts().values()) == {0}


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not XML at all", "not well-formed XML"),
        ("<html><body>hi</body></html>", "root element is <html>"),
        (
            '<rss version="2.0"><channel><title>Feed</title><item><title>A</title></item></channel></rss>',
            "RSS feed, not a WordPress export",
        ),
    ],
)
def test_non_wxr_file_is_rejected(runner, ctx, tmp_path, content, message):
    path = tmp_path / "other.xml"
    path.write_text(content)
    result = run(runner, path)
    assert result.exit_code == 1 and message in result.output, result.output
    assert set(counts().values()) == {0}


def test_dry_run_writes_nothing(runner, ctx):
    result = run(runner, WPI / "phpunit_data_small-export.xml", "--dry-run")
    assert result.exit_code == 0 and "Would import 6 posts" in result.output
    assert "inactive users created: 3" in result.output
    assert set(counts().values()) == {0}


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
