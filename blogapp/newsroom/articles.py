"""The article list, an article's own page in the newsroom, and its review and trash buttons."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..content.pagination import paginate
from ..extensions import db
from ..models import Article, Role
from . import bp
from .auth import role_required
from .forms import ActionForm
from .permissions import can_edit, can_view, newsroom_articles
from .workflow import mark_reviewed, trash


def get_article(article_id: int) -> Article:
    """Return an article that is not in the trash, or 404; 403 if the user may not see it."""
    article = db.get_or_404(Article, article_id)
    if article.deleted_at is not None:
        abort(404)
    if not can_view(current_user, article):
        abort(403)
    return article


@bp.get("/articles/", endpoint="articles")
def articles_list():
    """List the articles the user works on, with their status."""
    page = request.args.get("page", 1, type=int)
    pagination = paginate(newsroom_articles(current_user), page, 25)
    return render_template("admin/articles.html", pagination=pagination, can_edit=can_edit)


@bp.get("/articles/<int:article_id>/")
def show_article(article_id: int):
    """Show an article as it stands, for review, with its review state."""
    article = get_article(article_id)
    return render_template(
        "admin/article.html",
        article=article,
        form=ActionForm(),
        can_edit=can_edit(current_user, article),
        can_review=current_user.can(Role.REVIEWER),
    )


@bp.post("/articles/<int:article_id>/review")
@role_required(Role.REVIEWER)
def review_article(article_id: int):
    """Record that the signed-in reviewer medically reviewed the article today."""
    article = get_article(article_id)
    if ActionForm().validate_on_submit():
        mark_reviewed(article, current_user)
        db.session.commit()
        flash(f"Marked “{article.title}” as medically reviewed by {current_user.name}.")
    return redirect(url_for("admin.show_article", article_id=article.id))


@bp.post("/articles/<int:article_id>/trash")
@role_required(Role.AUTHOR, Role.EDITOR)
def trash_article(article_id: int):
    """Move an article to the trash (editors can restore it)."""
    article = get_article(article_id)
    if not can_edit(current_user, article):
        abort(403)
    if ActionForm().validate_on_submit():
        trash(article)
        db.session.commit()
        flash(f"Moved “{article.title}” to the trash. Editors can restore it from there.")
    return redirect(url_for("admin.articles"))
