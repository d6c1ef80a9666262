"""Hot reads on a bare driver cursor give what the ORM gives, named by label, and are seen by whoever watches."""

from datetime import timedelta

import pytest
from sqlalchemy import literal_column, select, table
from sqlalchemy.exc import DBAPIError

from blogapp.content.raw_query import reading, watch_statements
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Category, utcnow
from blogapp.reader import article_page


def _reviewed_article(publish, team):
    body = "## Dose\n\nText.\n\n## Risks\n\nMore.\n\n## Evidence\n\nEven more text here."
    article = publish("Ketamine for migraine", body, summary="What trials show.", tags=["pain", "Ketamine"])
    article.references = [{"title": "A trial", "source": "Journal", "year": "2024", "identifier": "10.1/x"}]
    article.reviewer, article.reviewed_at = team["reviewer"], utcnow() - timedelta(days=2)
    db.session.commit()
    return article


def test_article_page_reads_what_the_orm_reads(publish, team):
    article = _reviewed_article(publish, team)
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
    assert page.reading_minutes == max(1, round(len(article.body_text.split()) / 220)) and not page.was_updated


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


def test_watching_sees_every_raw_statement_and_changes_no_result(publish, team):
    article = _reviewed_article(publish, team)
    unwatched = article_page.find_visible(article.slug)
    with watch_statements(db.engine) as seen:
        watched = article_page.find_visible(article.slug)
    assert watched == unwatched
    # The article with its byline, its tags, and its related list (not kept yet, so none): what production runs.
    assert len(seen) == 2 and all("FROM articles" in sql or "FROM tags" in sql for sql, _ in seen), seen
    assert seen[0][1]  # with the parameters sent


def test_rows_are_named_by_label_and_alike_labels_fail_at_once(ctx, publish):
    article = publish("Sleep and pain")
    statement = select(Article.slug, Category.slug.label("category_slug")).join(Category).where(Article.id == 1)
    with reading(db.engine) as reader:
        row = reader.first(statement)
        assert (row.slug, row.category_slug) == (article.slug, article.category.slug)
        with pytest.raises(ValueError, match="slug"):
            reader.rows(select(Article.slug, Category.slug).join(Category))


def test_driver_errors_come_out_as_sqlalchemy_errors(ctx):
    missing = select(literal_column("x")).select_from(table("no_such_table"))
    with pytest.raises(DBAPIError), reading(db.engine) as reader:
        reader.rows(missing)
    with reading(db.engine) as reader:  # the connection went back to the pool usable
        assert tuple(reader.first(select(literal_column("1").label("one")))) == (1,)


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
