"""Fixtures: an app over a real database and a real Whoosh index in tmp_path.

The database is a SQLite file in tmp_path, or, when TEST_DATABASE_URL is set (e.g.
postgresql+psycopg://blogapp:blogapp@127.0.0.1/blogapp_test), that database, emptied before each test.
"""

import os
import re
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.pool import NullPool
from werkzeug.security import generate_password_hash

from blogapp import create_app
from blogapp.content.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Role, User, utcnow
from blogapp.search import get_index

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
pytest_plugins = ["live_site"]


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `sqlite_only("why")`, and the browser tests, when the suite runs on another database."""
    if not TEST_DATABASE_URL:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "needs SQLite"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        elif item.get_closest_marker("browser"):
            # They check what the browser gets, which does not depend on the database; they run in the SQLite pass.
            item.add_marker(pytest.mark.skip(reason="browser tests run in the SQLite pass"))


class FreshContextClient(FlaskClient):
    """Serve each request in its own app context, as a server does: its own `g` and database session.

    Without this, a test holding an app context (the `ctx` fixture) would share `g` with every request,
    and with it Flask-Login's cached user and Flask-WTF's cached CSRF token.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class SqliteTemplate:
    """A SQLite file built once by the real migrations; each test gets its own copy."""

    def __init__(self, folder: Path):
        self.path = folder / "template.sqlite"
        with _migrating_app(f"sqlite:///{self.path}", folder).app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
        with sqlite3.connect(self.path) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, safe to copy

    def fresh_url(self, tmp_path: Path) -> str:
        shutil.copyfile(self.path, tmp_path / "blog.sqlite")
        return f"sqlite:///{tmp_path / 'blog.sqlite'}"

    def close(self) -> None:
        pass


SEQUENCES_LEFT_BY_MIGRATIONS = """
    SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value FROM pg_sequences
    WHERE schemaname = current_schema() AND last_value IS NOT NULL
"""


class PostgresDatabase:
    """A PostgreSQL schema, migrated once per session and emptied before each test.

    Emptying (TRUNCATE … RESTART IDENTITY) takes milliseconds where migrating takes seconds; the rows and
    sequence positions the migrations themselves leave (such as the site version row) are put back.
    """

    def __init__(self, url: str, folder: Path):
        self.url = url
        app = _migrating_app(url, folder)
        with app.app_context():
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            flask_migrate.upgrade()
            db.engine.dispose()
        self.engine = create_engine(url, pool_size=1)
        with self.engine.connect() as connection:
            self.tables = MetaData()
            self.tables.reflect(connection)
            self.tables.remove(self.tables.tables["alembic_version"])
            self.seeded = {
                table: [row._asdict() for row in connection.execute(table.select())]
                for table in self.tables.sorted_tables
            }
            self.sequences = connection.execute(text(SEQUENCES_LEFT_BY_MIGRATIONS)).all()

    def fresh_url(self, _tmp_path: Path) -> str:
        quote = self.engine.dialect.identifier_preparer.format_table
        with self.engine.begin() as connection:
            # A connection left open by a test would block TRUNCATE for ever; fail with a reason instead.
            connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            names = ", ".join(quote(table) for table in self.tables.sorted_tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            for table, rows in self.seeded.items():
                if rows:
                    connection.execute(table.insert(), rows)
            for sequence, value in self.sequences:
                connection.execute(text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": value})
        return self.url

    def close(self) -> None:
        self.engine.dispose()


def _migrating_app(url: str, folder: Path):
    config = {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": str(folder)}
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Build the schema once through the real migrations; each test starts from a clean copy of it.

    SQLite by default; the database at TEST_DATABASE_URL (e.g. PostgreSQL) when that is set.
    """
    folder = tmp_path_factory.mktemp("schema")
    database = PostgresDatabase(TEST_DATABASE_URL, folder) if TEST_DATABASE_URL else SqliteTemplate(folder)
    yield database
    database.close()


@pytest.fixture
def app(tmp_path, migrated_database):
    """Create an app whose database is fresh and whose index lives in tmp_path."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": migrated_database.fresh_url(tmp_path),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
            "ARTICLES_PER_PAGE": 3,
            "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
            "SEARCH_LOG_FLUSH_SECONDS": 0,  # each search is in the log when its page is answered
        }
    )
    app.instance_path = str(tmp_path / "instance")  # commands like `init` must not touch the real instance/
    app.test_client_class = FreshContextClient
    with app.app_context():
        get_index().create()
    yield app
    with app.app_context():
        get_index().wait_for_retry(2)
        get_index().close()
        db.engine.dispose()


EMPTY_SCHEMA = "empty_database"


@pytest.fixture
def empty_database_url(tmp_path):
    """Return the URL of a database with no tables: a new SQLite file, or an empty schema at TEST_DATABASE_URL."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'blog.sqlite'}"
        return
    engine = create_engine(TEST_DATABASE_URL, poolclass=NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {EMPTY_SCHEMA} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {EMPTY_SCHEMA}")
    # The app under test sees only that schema: it creates its tables and alembic_version there.
    url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={EMPTY_SCHEMA}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        connection.exec_driver_sql(f"DROP SCHEMA {EMPTY_SCHEMA} CASCADE")
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """Run the test body inside an app context."""
    with app.app_context():
        yield


class Publisher:
    """Creates articles through the same service function the app uses, and commits."""

    def __init__(self):
        self.category = Category(slug="treatments", name="Treatments", description="How treatments work.")
        self.author = Author(slug="ann-writer", name="Ann Writer", bio="Writes about treatment.")
        db.session.add_all([self.category, self.author])
        db.session.commit()
        self.created: list[Article] = []

    def __call__(
        self,
        title,
        body="Some body text.",
        *,
        summary="",
        hours_ago=1.0,
        tags=(),
        status=ArticleStatus.PUBLISHED,
        category=None,
        author=None,
        slug=None,
    ) -> Article:
        published_at = utcnow() - timedelta(hours=hours_ago)
        article = save_article(
            Article(),
            title=title,
            slug=slug,
            body=body,
            summary=summary,
            category=category or self.category,
            author=author or self.author,
            tags=list(tags),
            status=status,
            published_at=published_at,
            updated_at=published_at,
        )
        db.session.commit()
        self.created.append(article)
        return article


@pytest.fixture
def publish(ctx):
    """Return a function that publishes an article and commits it."""
    return Publisher()


PASSWORD = "correct horse battery"
# Cheap scrypt parameters for test users only (the hash names its parameters; the app's own hashes use the
# strong default): signing in hundreds of times would otherwise cost minutes.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def make_user(role: Role, email: str | None = None, name: str | None = None) -> User:
    """Create and commit a user with `role` whose password is PASSWORD."""
    name = name or f"{role.value.title()} Person"
    author = Author(slug=name.lower().replace(" ", "-"), name=name)
    user = User(email=email or f"{role.value}@example.org", role=role, author=author, password_hash=_PASSWORD_HASH)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def team(ctx):
    """Return one committed user per role, by role name."""
    return {role.value: make_user(role) for role in Role}


def csrf_token(client, url: str = "/login") -> str:
    """Return the CSRF token of the form at `url`, as a browser would read it."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def login(client):
    """Return a function that signs `client` in as a user (by email) through the real sign-in form."""

    def sign_in(email: str, password: str = PASSWORD):
        response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return sign_in
