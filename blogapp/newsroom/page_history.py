"""A page's revisions in the newsroom: the list of saves, the difference between two, and restoring one (editors)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..content import page_revisions, pages
from ..content.revisions import diff
from ..extensions import db
from ..models import Page, PageRevision, PageStatus, Role
from . import bp
from .auth import role_required
from .forms import ActionForm
from .history import History, requested_pair
from .pages import get_page


def _page_history(page: Page) -> History:
    back = url_for("admin.edit_page", page_id=page.id)
    return History(
        page.title,
        back,
        "Back to the page",
        {"page_id": page.id},
        list_endpoint="admin.page_revision_list",
        diff_endpoint="admin.page_revision_diff",
        restore_endpoint="admin.restore_page_revision",
    )


@bp.get("/pages/<int:page_id>/revisions/")
@role_required(Role.EDITOR)
def page_revision_list(page_id: int):
    """List a page's revisions, newest first, with who saved each."""
    page = get_page(page_id)
    return render_template(
        "admin/revisions.html",
        history=_page_history(page),
        revisions=page_revisions.list_revisions(page.id),
        form=ActionForm(),
        can_edit=True,
    )


@bp.get("/pages/<int:page_id>/revisions/diff")
@role_required(Role.EDITOR)
def page_revision_diff(page_id: int):
    """Show the difference between two revisions of a page (?a=older&b=newer)."""
    page = get_page(page_id)
    old_id, new_id = requested_pair()
    old = page_revisions.get_revision(page.id, old_id)
    new = page_revisions.get_revision(page.id, new_id)
    lines = diff(page_revisions.as_text(old), page_revisions.as_text(new))
    return render_template("admin/diff.html", history=_page_history(page), old=old, new=new, lines=lines)


@bp.post("/pages/<int:page_id>/revisions/<int:revision_id>/restore")
@role_required(Role.EDITOR)
def restore_page_revision(page_id: int, revision_id: int):
    """Make an old revision of a page current again; the restore is saved as a new revision."""
    page = get_page(page_id)
    revision = page_revisions.get_revision(page.id, revision_id)
    if ActionForm().validate_on_submit():
        _restore(page, revision)
        db.session.commit()
        flash(f"Restored the revision of {revision.created_at:%d %b %Y %H:%M} UTC as a new revision.")
    return redirect(url_for("admin.page_revision_list", page_id=page.id))


def _restore(page: Page, revision: PageRevision) -> None:
    """Apply a revision through the page service; a slug taken since by something else stays as it is now."""
    fields = revision.fields
    slug = fields.get("slug") or page.slug
    pages.save_page(
        page,
        title=revision.title,
        slug=slug if pages.slug_clash(slug, page.id) is None else page.slug,
        body=revision.body,
        status=PageStatus(fields.get("status", page.status)),
        in_footer=bool(fields.get("in_footer", page.in_footer)),
        in_header=bool(fields.get("in_header", page.in_header)),
        menu_order=int(fields.get("menu_order", page.menu_order)),
        editor=current_user,
    )
