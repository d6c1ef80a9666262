"""Editorial workflow: who may change what, trash, medical review, site settings and the dashboard lists."""

import time
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from . import freshness
from .extensions import db
from .models import LIVE_STATUSES, Article, ArticleStatus, Role, Setting, User, utcnow

DEFAULT_DISCLAIMER = (
    "This article is for general information and does not replace advice from a clinician who knows you."
)


def commit_with_retry(apply: Callable[[], None], attempts: int = 3) -> None:
    """Run `apply` and commit; if a concurrent writer got in first (a new tag or slug, a lock), start over."""
    for attempt in range(1, attempts + 1):
        try:
            apply()
            db.session.commit()
            return
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if attempt == attempts:
                raise
            time.sleep(0.05 * attempt)


def get_setting(key: str, default: str = "") -> str:
    """Return a site setting, or `default` when it was never set."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(key: str, value: str) -> None:
    """Store a site setting; the caller commits."""
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    db.session.add(row)


def disclaimer() -> str:
    """Return the line shown under every article."""
    return freshness.remember("disclaimer", lambda: get_setting("disclaimer", DEFAULT_DISCLAIMER))


def review_due_months() -> int:
    """Return how many months after a medical review an article is due for another."""
    value = get_setting("review_due_months")
    return int(value) if value.isdigit() else current_app.config["REVIEW_DUE_MONTHS"]


def can_edit(user: User, article: Article) -> bool:
    """Tell whether `user` may change `article`: editors any, authors their own until it goes live."""
    if user.can(Role.EDITOR):
        return True
    return (
        user.role == Role.AUTHOR
        and article.author_id == user.author_id
        and article.status in (ArticleStatus.DRAFT, ArticleStatus.REVIEW)
    )


def can_view(user: User, article: Article) -> bool:
    """Tell whether `user` may open an unpublished article in the newsroom."""
    return user.can(Role.EDITOR, Role.REVIEWER) or article.author_id == user.author_id


def newsroom_articles(user: User) -> Select:
    """Select the articles (not trashed) a user sees in the newsroom, most recently changed first."""
    stmt = (
        select(Article)
        .where(Article.deleted_at.is_(None))
        .options(joinedload(Article.author), joinedload(Article.category))
        .order_by(Article.updated_at.desc(), Article.id.desc())
    )
    if not user.can(Role.EDITOR, Role.REVIEWER):
        stmt = stmt.where(Article.author_id == user.author_id)
    return stmt


def trash(article: Article) -> None:
    """Move an article to the trash; the caller commits."""
    article.deleted_at = utcnow()


def restore(article: Article) -> None:
    """Take an article out of the trash; the caller commits."""
    article.deleted_at = None


def trashed() -> list[Article]:
    """Return the articles in the trash, most recently trashed first."""
    stmt = select(Article).where(Article.deleted_at.is_not(None)).order_by(Article.deleted_at.desc(), Article.id.desc())
    return list(db.session.scalars(stmt.options(joinedload(Article.author))))


def empty_trash() -> int:
    """Delete every trashed article for good (revisions and redirects go with it); return how many."""
    doomed = list(db.session.scalars(select(Article).where(Article.deleted_at.is_not(None))))
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
        .order_by(Article.reviewed_at.is_not(None), Article.reviewed_at, Article.published_at, Article.id),
    }
    return {name: list(db.session.scalars(stmt.limit(limit))) for name, stmt in lists.items()}
