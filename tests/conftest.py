"""Fixtures: an app over a real database and a real Whoosh index in tmp_path, its clients, and a team to sign in.

The database comes from the `databases` plugin: a SQLite file in tmp_path, or, when TEST_DATABASE_URL is set
(e.g. postgresql+psycopg://blogapp:blogapp@127.0.0.1/blogapp_test), that database, emptied before each test.
The `live_site` plugin serves the demo site on 127.0.0.1 for the browser tests, and `smtp_inbox` a mail server
there for the mail tests. The test folders mirror the packages of blogapp; this folder is on sys.path, so tests
import these helpers by bare name.
"""

import os
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from blogapp import create_app
from blogapp.content.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Role, User, utcnow
from blogapp.search import get_index

pytest_plugins = ["databases", "live_site", "smtp_inbox"]
# No follower thread in apps (and servers) the tests start: their own commits apply the log, and a thread polling a
# database a test has already thrown away would only log errors. The multi-node tests turn it on for their servers.
os.environ.setdefault("BLOGAPP_SEARCH_FOLLOW_SECONDS", "0")
# Helpers that assert for the tests (found next to them): rewritten like test modules, so failures show the values.
pytest.register_assert_rewrite("hostile_input", "result_clicks", "upload_images", "xss_checks")


class FreshContextClient(FlaskClient):
    """Serve each request in its own app context, as a server does: its own `g` and database session.

    Without this, a test holding an app context (the `ctx` fixture) would share `g` with every request,
    and with it Flask-Login's cached user and Flask-WTF's cached CSRF token.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app_overrides() -> dict:
    """Settings a test module changes for its app (it defines a fixture of this name)."""
    return {}


@pytest.fixture
def app(tmp_path, migrated_database, app_overrides):
    """Create an app whose database is fresh and whose index lives in tmp_path."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": migrated_database.fresh_url(tmp_path),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
            "LOCKS_DIR": str(tmp_path / "locks"),
            "SITEMAP_FILES_DIR": str(tmp_path / "sitemaps"),
            "UPLOADS_DIR": str(tmp_path / "uploads"),  # the demo stores its images; never in the checkout
            "ARTICLES_PER_PAGE": 3,
            "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
            "SEARCH_LOG_FLUSH_SECONDS": 0,  # each search is in the log when its page is answered
            "TRUSTED_HOSTS": ["localhost", "blog.example.org"],
            "RATELIMIT_ENABLED": False,  # tests search far faster than a reader; the limit's own tests turn it on
            **app_overrides,
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


@pytest.fixture
def editor(team, login):
    """Sign the client in as the editor; return that user."""
    login(team["editor"].email)
    return team["editor"]


@pytest.fixture
def author(team, login):
    """Sign the client in as an author; return that user."""
    login(team["author"].email)
    return team["author"]


@pytest.fixture
def uploads_dir(app, tmp_path):
    """Store uploads in a folder under tmp_path that does not exist yet."""
    path = tmp_path / "uploads"
    app.config["UPLOADS_DIR"] = str(path)
    return path
