"""Revisions: the list of saves of an article, the difference between two, and restoring one."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..content import revisions
from ..content.articles import save_article
from ..extensions import db
from ..models import MAX_ID, Article, ArticleStatus, Author, Category, Role
from . import bp
from .articles import get_article
from .auth import role_required
from .forms import ActionForm
from .permissions import can_edit
from .workflow import record_publishing


@dataclass(frozen=True)
class History:
    """What the revision list and diff templates show of the thing revised (an article or a page)."""

    title: str
    back_url: str
    back_label: str
    ids: dict[str, int]  # the route arguments naming it
    list_endpoint: str = "admin.revision_list"
    diff_endpoint: str = "admin.revision_diff"
    restore_endpoint: str = "admin.restore_revision"


def _article_history(article: Article) -> History:
    back = url_for("admin.show_article", article_id=article.id)
    return History(article.title, back, "Back to the article", {"article_id": article.id})


def requested_pair() -> tuple[int, int]:
    """Return the ids of the two revisions a diff asks for (?a=older&b=newer), or 404."""
    old_id, new_id = request.args.get("a", type=int), request.args.get("b", type=int)
    if old_id is None or new_id is None or not (0 < old_id <= MAX_ID and 0 < new_id <= MAX_ID):
        abort(404)
    return old_id, new_id


@bp.get("/articles/<int:article_id>/revisions/")
def revision_list(article_id: int):
    """List an article's revisions, newest first, with who saved each."""
    article = get_article(article_id)
    return render_template(
        "admin/revisions.html",
        history=_article_history(article),
        revisions=revisions.list_revisions(article.id),
        form=ActionForm(),
        can_edit=can_edit(current_user, article),
    )


@bp.get("/articles/<int:article_id>/revisions/diff")
def revision_diff(article_id: int):
    """Show the difference between two revisions (?a=older&b=newer)."""
    article = get_article(article_id)
    old_id, new_id = requested_pair()
    old = revisions.get_revision(article.id, old_id)
    new = revisions.get_revision(article.id, new_id)
    lines = revisions.diff(revisions.as_text(old), revisions.as_text(new))
    return render_template("admin/diff.html", history=_article_history(article), old=old, new=new, lines=lines)


@bp.post("/articles/<int:article_id>/revisions/<int:revision_id>/restore")
@role_required(Role.AUTHOR, Role.EDITOR)
def restore_revision(article_id: int, revision_id: int):
    """Make an old revision current again; the restore is saved as a new revision."""
    article = get_article(article_id)
    if not can_edit(current_user, article):
        abort(403)
    revision = revisions.get_revision(article.id, revision_id)
    if ActionForm().validate_on_submit():
        before = (article.status, article.published_at)
        _restore(article, revision)
        record_publishing(article, *before)
        db.session.commit()
        flash(f"Restored the revision of {revision.created_at:%d %b %Y %H:%M} UTC as a new revision.")
    return redirect(url_for("admin.revision_list", article_id=article.id))


def _restore(article: Article, revision) -> None:
    """Apply a revision's content through the article service (keeping what no longer exists)."""
    fields = revision.fields
    status = ArticleStatus(fields.get("status", article.status))
    if not current_user.can(Role.EDITOR) and status not in (ArticleStatus.DRAFT, ArticleStatus.REVIEW):
        status = ArticleStatus(article.status)
    save_article(
        article,
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        slug=revisions.free_slug_or_current(fields.get("slug"), article),
        category=db.session.get(Category, fields.get("category_id") or 0) or article.category,
        author=db.session.get(Author, fields.get("author_id") or 0) or article.author,
        tags=fields.get("tags", []),
        status=status,
        published_at=revisions.published_at_of(revision) or article.published_at,
        references=fields.get("references", []),
        editor=current_user,
    )
