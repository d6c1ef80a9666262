"""Who may see and change what in the newsroom."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ..models import Article, ArticleStatus, Role, User


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
