"""The most-read list: the most viewed articles readers may see, however many hidden ones were viewed more."""

import pytest
from sqlalchemy import update

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, utcnow
from blogapp.reader import popularity


def viewed(article: Article, views: int) -> None:
    db.session.execute(update(Article).where(Article.id == article.id).values(view_count=views))


@pytest.mark.parametrize("candidates", [200, 2], ids=["among the first candidates", "past them"])
def test_most_read_skips_hidden_articles_viewed_more(ctx, publish, monkeypatch, candidates):
    monkeypatch.setattr(popularity, "_CANDIDATES", candidates)
    trashed, draft, scheduled = publish("Trashed"), publish("Draft", status=ArticleStatus.DRAFT), publish("Soon")
    shown = [publish(f"Read {n}") for n in range(3)]
    for article, views in [(trashed, 900), (draft, 800), (scheduled, 700), *zip(shown, (30, 20, 10), strict=True)]:
        viewed(article, views)
    db.session.execute(update(Article).where(Article.id == trashed.id).values(deleted_at=utcnow()))
    later = utcnow().replace(year=2099)
    db.session.execute(update(Article).where(Article.id == scheduled.id).values(published_at=later))
    db.session.commit()
    assert popularity._ranked_ids(3) == [article.id for article in shown]


def test_most_read_orders_equal_views_newest_first(ctx, publish):
    older, newer = publish("Older", hours_ago=5), publish("Newer", hours_ago=1)
    for article in (older, newer):
        viewed(article, 7)
    db.session.commit()
    assert popularity._ranked_ids(2) == [newer.id, older.id]
