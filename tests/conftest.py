"""Fixtures: an app over a real SQLite file and a real Whoosh index in tmp_path."""

from datetime import timedelta

import pytest

from blogapp import create_app
from blogapp.articles import save_article
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, utcnow
from blogapp.search import get_index


@pytest.fixture
def app(tmp_path):
    """Create an app whose database and index live in tmp_path."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'blog.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
            "ARTICLES_PER_PAGE": 3,
        }
    )
    app.instance_path = str(tmp_path / "instance")  # commands like `init` must not touch the real instance/
    with app.app_context():
        db.create_all()
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
