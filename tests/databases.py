"""The database the tests run on: SQLite files copied from a migrated template, or PostgreSQL emptied per test.

Loaded from conftest.py as a plugin. The database is a SQLite file in tmp_path, or, when TEST_DATABASE_URL is set
(e.g. postgresql+psycopg://blogapp:blogapp@127.0.0.1/blogapp_test), that database, emptied before each test; then
the tests marked `sqlite_only` and the browser tests are skipped.
"""

import os
import shutil
import sqlite3
import time
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from blogapp import create_app
from blogapp.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


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


DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE
RESET_RETRIES = 3
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
        for _ in range(RESET_RETRIES):
            try:
                self._reset()
                return self.url
            except OperationalError as error:
                # A background thread of the previous test's app (a batch being written, a drain) may still read
                # the tables TRUNCATE locks one by one: PostgreSQL ends one side of that deadlock, here this one.
                # Once the thread's transaction ends the reset goes through.
                if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED:
                    raise
                time.sleep(0.5)
        self._reset()
        return self.url

    def _reset(self) -> None:
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
