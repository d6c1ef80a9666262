"""WordPress authors on import: inactive accounts without a password, the team's own accounts, re-imports."""

from conftest import make_user
from wordpress_exports import WPI, article, counts, needs_shared_exports, run

from blogapp.extensions import db
from blogapp.models import ArticleStatus, Author, Role, User

pytestmark = needs_shared_exports


def users() -> dict[str, tuple]:
    """Return each user's role, state, password hash, profile and session token, by email."""
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
    assert "skipped (already imported): 11" in result.output  # 6 posts and 5 pages
    assert "inactive users created" not in result.output
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
