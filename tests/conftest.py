"""Fixtures: an app over a real SQLite file and a real Whoosh index in tmp_path."""

import re
import shutil
import sqlite3
from datetime import timedelta

import flask_migrate
import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from blogapp import create_app
from blogapp.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Role, User, utcnow
from blogapp.search import get_index


class FreshContextClient(FlaskClient):
    """Serve each request in its own app context, as a server does: its own `g` and database session.

    Without this, a test holding an app context (the `ctx` fixture) would share `g` with every request,
    and with it Flask-Login's cached user and Flask-WTF's cached CSRF token.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Build the schema once through the real migrations; each test starts from a copy of it."""
    folder = tmp_path_factory.mktemp("schema")
    path = folder / "template.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SEARCH_INDEX_DIR": str(folder),
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, safe to copy
    return path


@pytest.fixture
def app(tmp_path, migrated_database):
    """Create an app whose database and index live in tmp_path."""
    shutil.copyfile(migrated_database, tmp_path / "blog.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
            "ARTICLES_PER_PAGE": 3,
            "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
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
