"""Hot reads on a bare driver cursor give what the ORM gives, through the driver or through SQLAlchemy."""

from contextlib import contextmanager, nullcontext
from datetime import timedelta

import pytest
from sqlalchemy import event, literal_column, select, table
from sqlalchemy.exc import DBAPIError

from blogapp import article_page
from blogapp.extensions import db
from blogapp.models import ArticleStatus, utcnow
from blogapp.raw_query import reading


@contextmanager
def watched_statements():
    """Watch the engine's statements as a profiler would; collect the SQL seen."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _reviewed_article(publish, team):
    body = "## Dose\n\nText.\n\n## Risks\n\nMore.\n\n## Evidence\n\nEven more text here."
    article = publish("Ketamine for migraine", body, summary="What trials show.", tags=["pain", "Ketamine"])
    article.references = [{"title": "A trial", "source": "Journal", "year": "2024", "identifier": "10.1/x"}]
    article.reviewer, article.reviewed_at = team["reviewer"], utcnow() - timedelta(days=2)
    db.session.commit()
    return article


@pytest.mark.parametrize("watched", [False, True], ids=["driver", "sqlalchemy"])
def test_article_page_reads_what_the_orm_reads(publish, team, watched):
    article = _reviewed_article(publish, team)
    if watched:
        with watched_statements() as seen:
            page = article_page.find_visible(article.slug)
        assert any("FROM articles" in statement for statement in seen)  # the profiler saw the page's reads
    else:
        page = article_page.find_visible(article.slug)
    assert page is not None
    assert (page.id, page.title, page.summary, page.body_html, page.body_text) == (
        article.id,
        article.title,
        article.summary,
        article.body_html,
        article.body_text,
    )
    assert page.toc == article.toc and len(page.toc) == 3
    assert page.references == article.references
    assert (page.published_at, page.updated_at, page.reviewed_at) == (
        article.published_at,
        article.updated_at,
        article.reviewed_at,
    )
    assert (page.category.slug, page.author.name) == ("treatments", "Ann Writer")
    assert (page.reviewer.slug, page.reviewer.name) == (team["reviewer"].author.slug, team["reviewer"].name)
    assert [tag.name for tag in page.tags] == ["Ketamine", "pain"]
    assert page.reading_minutes == article.reading_minutes and page.was_updated == article.was_updated


def test_only_visible_articles_are_found(publish):
    publish("Draft note", status=ArticleStatus.DRAFT)
    publish("Scheduled note", hours_ago=-2, status=ArticleStatus.SCHEDULED)
    gone = publish("Trashed note")
    gone.deleted_at = utcnow()
    db.session.commit()
    shown = publish("Shown note")
    assert article_page.find_visible(shown.slug).reviewer is None
    for slug in ("draft-note", "scheduled-note", "trashed-note", "no-such-note"):
        assert article_page.find_visible(slug) is None, slug


@pytest.mark.parametrize("watched", [False, True], ids=["driver", "sqlalchemy"])
def test_driver_errors_come_out_as_sqlalchemy_errors(ctx, watched):
    missing = select(literal_column("x")).select_from(table("no_such_table"))
    with watched_statements() if watched else nullcontext(), pytest.raises(DBAPIError), reading(db.engine) as reader:
        reader.rows(missing)
    with reading(db.engine) as reader:  # the connection went back to the pool usable
        assert reader.first(select(literal_column("1"))) == (1,)


def test_a_refused_connection_is_a_sqlalchemy_error_and_the_busy_page(client, publish, monkeypatch):
    article = publish("Sleep and pain")
    paths = (f"/articles/{article.slug}/", f"/category/{article.category.slug}/", "/")
    refused = db.engine.dialect.loaded_dbapi.OperationalError("database is locked")

    def raw_connection():
        raise refused  # as a new SQLite connection's set-up statements do under a lock

    monkeypatch.setattr(db.engine, "raw_connection", raw_connection)
    with pytest.raises(DBAPIError), reading(db.engine):
        pass
    for path in paths:
        assert client.get(path).status_code == 503, path
