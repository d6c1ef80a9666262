"""The seed-synthetic command: article count and shape, determinism, a complete index, a working site."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bench.synthetic import seed_synthetic_command
from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import Article, Author, Category, Tag
from blogapp.moving.demo import load_demo
from blogapp.search import get_index

COUNT = 30


def seed(runner, count=COUNT, seed_value=7):
    result = runner.invoke(seed_synthetic_command, ["--count", str(count), "--seed", str(seed_value)])
    assert result.exit_code == 0, result.output
    return result


def corpus(app) -> list[tuple]:
    """Return what the generator decided for each article, in id order (not the clock-relative dates)."""
    with app.app_context():
        stmt = select(Article).options(selectinload(Article.tags)).order_by(Article.id)
        return [
            (a.slug, a.title, a.summary, a.body, a.category.slug, a.author.slug, sorted(t.slug for t in a.tags))
            for a in db.session.scalars(stmt)
        ]


def test_seed_synthetic_creates_visible_articles_of_realistic_shape(app, runner):
    result = seed(runner)
    assert f"Inserted {COUNT} articles" in result.output and f"Indexed {COUNT} articles" in result.output
    with app.app_context():
        articles = db.session.scalars(select(Article).where(Article.is_visible())).all()
        assert len(articles) == COUNT
        assert len({a.slug for a in articles}) == COUNT
        for article in articles:
            assert 4 <= len(article.title.split()) <= 14
            assert 12 <= len(article.summary.split()) <= 40
            assert 300 <= len(article.body_text.split()) <= 1550
            assert 3 <= article.body.count("\n## ") <= 6
            assert [entry["level"] for entry in article.toc] == [2] * article.body.count("\n## ")
            assert article.body_html.count("<h2") == len(article.toc)
            assert 1 <= len(article.tags) <= 4
        assert any("<ul>" in article.body_html for article in articles)
        assert db.session.scalar(select(func.count(Category.id))) == 12
        assert db.session.scalar(select(func.count(Author.id))) == 20
        assert db.session.scalar(select(func.count(Tag.id))) == 150


def test_same_seed_gives_the_same_articles(app, runner, tmp_path):
    seed(runner)
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "other-index"),
        }
    )
    with other.app_context():
        db.create_all()
        get_index().create()
    seed(other.test_cli_runner())
    assert corpus(other) == corpus(app)
    with other.app_context():
        get_index().close()
        db.engine.dispose()


def test_second_run_adds_different_articles(app, runner):
    seed(runner, count=5)
    seed(runner, count=5)
    articles = corpus(app)
    assert len(articles) == 10
    assert len({title for _, title, *_ in articles}) == 10


def test_index_holds_every_synthetic_article(app, runner):
    seed(runner)
    with app.app_context():
        index = get_index()
        assert index.check().clean
        assert index.pending() == 0
        with index.open().searcher() as searcher:
            assert searcher.doc_count() == COUNT


def test_home_page_and_search_work_on_the_synthetic_site(app, runner, client):
    seed(runner)
    with app.app_context():
        newest = db.session.scalars(select(Article).order_by(Article.published_at.desc())).first()
        slug, title = newest.slug, newest.title
    home = client.get("/")
    assert home.status_code == 200 and f"/articles/{slug}/" in home.get_data(as_text=True)
    results = client.get("/search", query_string={"q": f'"{title}"'})
    assert results.status_code == 200 and f"/articles/{slug}/" in results.get_data(as_text=True)
    assert client.get(f"/articles/{slug}/").status_code == 200


def test_seeding_over_the_demo_reuses_its_categories_by_name(app, runner):
    with app.app_context():
        load_demo()
        db.session.commit()
    seed(runner)
    with app.app_context():
        names = db.session.scalars(select(Category.name)).all()
        assert names.count("Ketamine & Psychedelic Therapy") == 1
        assert len({name.lower() for name in names}) == len(names)


def test_demo_loaded_after_seeding_reuses_the_category_of_that_name(app, runner):
    seed(runner)
    with app.app_context():
        load_demo()
        db.session.commit()
        names = db.session.scalars(select(Category.name)).all()
        assert names.count("Ketamine & Psychedelic Therapy") == 1
