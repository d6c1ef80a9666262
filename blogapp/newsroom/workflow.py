"""The editorial workflow: the trash, medical review, and the dashboard's lists of what needs attention."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..content import audit
from ..extensions import db
from ..models import LIVE_STATUSES, Article, ArticleStatus, User, utcnow
from .permissions import newsroom_articles


def trash(article: Article) -> None:
    """Move an article to the trash; the caller commits."""
    article.deleted_at = utcnow()
    audit.record("article.trashed", article)


def restore(article: Article) -> None:
    """Take an article out of the trash; the caller commits."""
    article.deleted_at = None
    audit.record("article.restored", article)


def record_publishing(article: Article, status_before: str | None, published_before: datetime | None) -> None:
    """Add the audit event for a save that published, scheduled (or moved) or unpublished the article."""
    status = ArticleStatus(article.status)
    when = {"published_at": article.published_at.isoformat()} if article.published_at else {}
    if status == ArticleStatus.PUBLISHED and status_before != ArticleStatus.PUBLISHED:
        audit.record("article.published", article, when)
    elif status == ArticleStatus.SCHEDULED and (
        status_before != ArticleStatus.SCHEDULED or published_before != article.published_at
    ):
        audit.record("article.scheduled", article, when)
    elif status not in LIVE_STATUSES and status_before in LIVE_STATUSES:
        audit.record("article.unpublished", article, {"status": status.value})


def trashed() -> list[Article]:
    """Return the articles in the trash, most recently trashed first."""
    stmt = select(Article).where(Article.deleted_at.is_not(None)).order_by(Article.deleted_at.desc(), Article.id.desc())
    return list(db.session.scalars(stmt.options(joinedload(Article.author))))


def empty_trash() -> int:
    """Delete every trashed article for good (revisions and redirects go with it); return how many."""
    doomed = list(db.session.scalars(select(Article).where(Article.deleted_at.is_not(None))))
    # The log keeps what went (the first 50 by id and title), since the articles themselves are gone.
    gone = [{"id": article.id, "title": article.title} for article in doomed[:50]]
    audit.record("trash.emptied", None, {"count": len(doomed), "articles": gone})
    for article in doomed:
        db.session.delete(article)
    return len(doomed)


def mark_reviewed(article: Article, reviewer: User) -> None:
    """Record that `reviewer` medically reviewed the article now; the caller commits."""
    article.reviewer = reviewer
    article.reviewed_at = utcnow()


def dashboard_lists(user: User, due_months: int, limit: int = 10) -> dict[str, list[Article]]:
    """Return the article lists of the dashboard for `user`."""
    base = newsroom_articles(user)
    now = utcnow()
    due_before = now - timedelta(days=round(due_months * 30.44))
    live = Article.status.in_(LIVE_STATUSES)
    lists = {
        "drafts": base.where(Article.status == ArticleStatus.DRAFT, Article.author_id == user.author_id),
        "in_review": base.where(Article.status == ArticleStatus.REVIEW),
        "scheduled": base.where(live, Article.published_at > now),
        "published": base.where(live, Article.published_at <= now)
        .order_by(None)
        .order_by(Article.published_at.desc(), Article.id.desc()),
        "review_due": base.where(live, Article.published_at <= now)
        .where(Article.reviewed_at.is_(None) | (Article.reviewed_at < due_before))
        .order_by(None)
        .order_by(Article.reviewed_at.asc().nulls_first(), Article.published_at, Article.id),
    }
    # Ids first: selecting only ids lets each list be found in its index alone, where selecting whole articles
    # (bodies included) made SQLite choose indexes that read every row (0.4-1 s a list at 100,000 articles).
    ids = {
        name: list(db.session.scalars(stmt.with_only_columns(Article.id).limit(limit))) for name, stmt in lists.items()
    }
    wanted = {article_id for found in ids.values() for article_id in found}
    by_id = (
        select(Article).where(Article.id.in_(wanted)).options(joinedload(Article.author), joinedload(Article.category))
    )
    articles = {article.id: article for article in db.session.scalars(by_id)} if wanted else {}
    return {name: [articles[article_id] for article_id in found] for name, found in ids.items()}
