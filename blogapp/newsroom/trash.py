"""The trash: articles moved out of sight, restorable until an editor empties it."""

from flask import flash, redirect, render_template, url_for

from ..extensions import db
from ..models import Article, Role
from . import bp, workflow
from .auth import role_required
from .forms import ActionForm, EmptyTrashForm


@bp.get("/trash/")
@role_required(Role.EDITOR)
def trash():
    """List trashed articles with restore buttons and the form that empties the trash."""
    return render_template(
        "admin/trash.html", articles=workflow.trashed(), form=ActionForm(), empty_form=EmptyTrashForm()
    )


@bp.post("/trash/<int:article_id>/restore")
@role_required(Role.EDITOR)
def restore_from_trash(article_id: int):
    """Take an article out of the trash, with the status it had."""
    article = db.get_or_404(Article, article_id)
    if ActionForm().validate_on_submit() and article.deleted_at is not None:
        workflow.restore(article)
        db.session.commit()
        flash(f"Restored “{article.title}”.")
    return redirect(url_for("admin.trash"))


@bp.post("/trash/empty")
@role_required(Role.EDITOR)
def empty_trash():
    """Delete everything in the trash for good, once confirmed."""
    form = EmptyTrashForm()
    if not form.validate_on_submit():
        return render_template("admin/trash.html", articles=workflow.trashed(), form=ActionForm(), empty_form=form), 422
    count = workflow.empty_trash()
    db.session.commit()
    flash(f"Deleted {count} article{'s' if count != 1 else ''} for good.")
    return redirect(url_for("admin.trash"))
