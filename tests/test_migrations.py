"""Schema migrations: a new database, a database from before migrations, and the models agree."""

import shutil
import sqlite3
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from blogapp import create_app
from blogapp.extensions import db


@pytest.fixture
def bare_app(tmp_path, empty_database_url):
    """An app whose database has no tables yet (a SQLite file that does not exist, or an empty schema)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
        }
    )
    app.instance_path = str(tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_migrations_build_exactly_the_models_schema(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert schema_differences(bare_app) == []
    again = bare_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert again.exit_code == 0, again.output


# Every migration that has landed on main, in its order: a site upgraded then is at one of them, and alembic
# applies only what comes after it. So a landed migration keeps its place, and a new one goes after the last,
# whatever number its branch gave it (a migration put before a landed one would never run on such a site).
LANDED = [
    "0001_baseline",
    "0002_newsroom",
    "0003_site_version",
    "0004_listing_indexes",
    "0005_queue_autoincrement",
    "0006_related_lists",
    "0007_covering_listing_indexes",
    "0008_sitemap_covering_indexes",
    "0009_workflow_indexes",
    "0010_accounts_self_service",
    "0011_audit_log",
    "0012_names_and_featured_images",
    "0013_pages",
    "0014_alt_text_and_credentials",
    "0015_search_change_log",
    "0016_best_bets",
    "0020_tag_names_unique",
]


def test_landed_migrations_keep_their_order_and_new_ones_come_after(bare_app):
    with bare_app.app_context():
        script = ScriptDirectory.from_config(bare_app.extensions["migrate"].migrate.get_config())
    chain = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert chain[: len(LANDED)] == LANDED


def test_database_at_the_last_landed_migration_upgrades_to_the_models_schema(bare_app):
    with bare_app.app_context():
        flask_migrate.upgrade(revision=LANDED[-1])
        flask_migrate.upgrade()
    assert schema_differences(bare_app) == []


@pytest.mark.sqlite_only("databases from before migrations are SQLite files; the test writes one with sqlite3")
def test_database_from_before_migrations_is_upgraded_without_losing_data(bare_app, tmp_path):
    with bare_app.app_context():
        flask_migrate.upgrade(revision="0001_baseline")
    path = tmp_path / "blog.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE alembic_version")  # as create_all() left it before migrations existed
        con.executescript(
            """
            INSERT INTO authors (id, slug, name, bio) VALUES (1, 'ann', 'Ann', '');
            INSERT INTO categories (id, slug, name, description) VALUES (1, 'pain', 'Pain', '');
            INSERT INTO tags (id, slug, name) VALUES (1, 'migraine', 'Migraine');
            INSERT INTO articles (id, title, slug, summary, body, body_html, body_text, toc, status, published_at,
                                  created_at, updated_at, view_count, author_id, category_id)
            VALUES (1, 'Kept', 'kept', '', 'Body', '<p>Body</p>', 'Body', '[]', 'published', '2026-01-01 00:00:00',
                    '2026-01-01 00:00:00', '2026-01-01 00:00:00', 7, 1, 1);
            INSERT INTO article_tags (article_id, tag_id) VALUES (1, 1);
            INSERT INTO redirects (old_path, article_id) VALUES ('/?p=12', 1);
            """
        )
    result = bare_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Marking the existing database as migration 0001_baseline" in result.output
    assert schema_differences(bare_app) == []
    with sqlite3.connect(path) as con:
        assert con.execute('SELECT title, view_count, "references", deleted_at FROM articles').fetchall() == [
            ("Kept", 7, "[]", None)
        ]
        assert con.execute("SELECT * FROM article_tags").fetchall() == [(1, 1)]
        assert con.execute("SELECT old_path, article_id FROM redirects").fetchall() == [("/?p=12", 1)]
    client = bare_app.test_client()
    assert client.get("/articles/kept/").status_code == 200
    assert client.get("/?p=12").status_code == 301


FAILING_MIGRATION = '''"""A migration that fails half way."""

import sqlalchemy as sa
from alembic import op

revision = "9999_fails_half_way"
down_revision = "{head}"


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("half_done_flag", sa.Integer, nullable=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    raise RuntimeError("the upgrade broke here")
'''


def test_a_failing_upgrade_leaves_the_database_as_it_was(bare_app, tmp_path):
    migrations = tmp_path / "migrations"
    shutil.copytree(Path(__file__).resolve().parent.parent / "migrations", migrations)
    with bare_app.app_context():
        flask_migrate.upgrade()
        head = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.rollback()
        (migrations / "versions" / "9999_fails_half_way.py").write_text(FAILING_MIGRATION.format(head=head))
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits, as `flask db upgrade` does
            flask_migrate.upgrade(directory=str(migrations))
        db.engine.dispose()
        tables = set(db.inspect(db.engine).get_table_names())
        columns = {column["name"] for column in db.inspect(db.engine).get_columns("articles")}
        version = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert "half_done" not in tables and "half_done_flag" not in columns
    assert version == head


def test_categories_sharing_a_name_are_renamed_apart_before_names_become_unique(bare_app):
    with bare_app.app_context():
        flask_migrate.upgrade(revision="0009_workflow_indexes")
        rows = [(1, "pain", "Pain"), (2, "pain-2", "PAIN"), (3, "pain-3", "Pain (pain-2)"), (4, "sleep", "Sleep")]
        for category_id, slug, name in rows:
            db.session.execute(
                db.text("INSERT INTO categories (id, slug, name, description) VALUES (:id, :slug, :name, '')"),
                {"id": category_id, "slug": slug, "name": name},
            )
        db.session.commit()
        flask_migrate.upgrade()
        names = db.session.execute(db.text("SELECT id, slug, name FROM categories ORDER BY id")).all()
        db.session.rollback()
    # The older category keeps the name; the other takes its slug in brackets, numbered if even that is taken.
    assert names == [
        (1, "pain", "Pain"),
        (2, "pain-2", "PAIN (pain-2 2)"),
        (3, "pain-3", "Pain (pain-2)"),
        (4, "sleep", "Sleep"),
    ]


def test_tags_sharing_a_name_are_renamed_apart_before_names_become_unique(bare_app):
    with bare_app.app_context():
        flask_migrate.upgrade(revision="0015_search_change_log")
        for tag_id, slug, name in [(1, "sleep", "Sleep"), (2, "rest", "SLEEP"), (3, "pain", "Pain")]:
            db.session.execute(
                db.text("INSERT INTO tags (id, slug, name) VALUES (:id, :slug, :name)"),
                {"id": tag_id, "slug": slug, "name": name},
            )
        db.session.execute(db.text("INSERT INTO article_tags (article_id, tag_id) SELECT id, 2 FROM articles"))
        db.session.commit()
        flask_migrate.upgrade()
        names = db.session.execute(db.text("SELECT id, slug, name FROM tags ORDER BY id")).all()
        with pytest.raises(Exception, match=r"(?i)unique"):
            db.session.execute(db.text("INSERT INTO tags (id, slug, name) VALUES (4, 'pain-2', 'PAIN')"))
        db.session.rollback()
    assert names == [(1, "sleep", "Sleep"), (2, "rest", "SLEEP (rest)"), (3, "pain", "Pain")]


def test_slugs_the_old_rule_cut_short_are_transliterated_and_old_addresses_redirect(bare_app):
    with bare_app.app_context():
        flask_migrate.upgrade(revision="0009_workflow_indexes")
        for sql in (
            "INSERT INTO categories (id, slug, name, description) VALUES (1, 'dema-care', 'Œdema care', '')",
            "INSERT INTO tags (id, slug, name) VALUES (1, 'strae', 'Straße')",
            "INSERT INTO tags (id, slug, name) VALUES (2, 'chosen', 'Groß')",  # chosen by hand: kept
            "INSERT INTO tags (id, slug, name) VALUES (3, 'kln', 'Köln')",
            "INSERT INTO tags (id, slug, name) VALUES (4, 'koln', 'Koln')",  # the new slug is taken: kept
        ):
            db.session.execute(db.text(sql))
        db.session.commit()
        flask_migrate.upgrade()
        tags = db.session.execute(db.text("SELECT id, slug FROM tags ORDER BY id")).all()
        category = db.session.execute(db.text("SELECT slug FROM categories")).scalar_one()
        redirects = db.session.execute(db.text("SELECT old_path, tag_id, category_id FROM redirects")).all()
        db.session.rollback()
    assert tags == [(1, "strasse"), (2, "chosen"), (3, "kln"), (4, "koln")] and category == "oedema-care"
    assert sorted(redirects) == [("/category/dema-care/", None, 1), ("/tag/strae/", 1, None)]
    client = bare_app.test_client()
    assert client.get("/tag/strae/").location.endswith("/tag/strasse/")
