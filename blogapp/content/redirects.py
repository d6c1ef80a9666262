"""Old addresses: the form they are kept in, where one leads now, and keeping an article's old address."""

from sqlalchemy import select

from ..extensions import db
from ..models import Article, Page, PageStatus, Redirect


def normalise_old_path(path: str, query: str = "") -> str:
    """Return the form old addresses are stored in: a leading slash, a trailing slash, `?p=N` kept."""
    path = "/" + path.strip("/") + ("/" if path.strip("/") else "")
    return f"{path}?{query}" if query else path


def redirect_target(path: str, query: str = "") -> Redirect | None:
    """Return the redirect for an old address if its article or page is visible or it points to a category or tag."""
    page_visible = (Page.status == str(PageStatus.PUBLISHED)) & Page.deleted_at.is_(None)
    stmt = (
        select(Redirect)
        .outerjoin(Redirect.article)
        .outerjoin(Redirect.page)
        .where(
            Redirect.old_path == normalise_old_path(path, query),
            Article.is_visible() | Redirect.article_id.is_(None),
            page_visible | Redirect.page_id.is_(None),
        )
    )
    return db.session.scalar(stmt)


def keep_old_address(article: Article, new_slug: str) -> None:
    """Redirect the old URL of a live article whose slug changes; free the new URL if it was a redirect."""
    new_path = normalise_old_path(f"/articles/{new_slug}/")
    db.session.execute(db.delete(Redirect).where(Redirect.old_path == new_path))
    if article.id is not None and article.slug != new_slug and article.is_live:
        old_path = normalise_old_path(f"/articles/{article.slug}/")
        db.session.execute(db.delete(Redirect).where(Redirect.old_path == old_path))
        db.session.add(Redirect(old_path=old_path, article=article))
