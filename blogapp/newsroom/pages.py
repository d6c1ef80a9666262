"""The site's pages in the newsroom: list, write, preview, publish, unpublish, trash, restore and delete (editors)."""

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ..content import pages
from ..content.markup import render_markdown
from ..content.slugs import slugify
from ..extensions import db
from ..models import Page, PageStatus, Role
from . import bp
from .auth import role_required
from .forms import ActionForm
from .page_forms import DeletePageForm, PageForm


def get_page(page_id: int, *, trashed: bool = False) -> Page:
    """Return the page (in the trash if `trashed`, else out of it), or 404."""
    page = db.get_or_404(Page, page_id)
    if (page.deleted_at is not None) != trashed:
        abort(404)
    return page


@bp.get("/pages/")
@role_required(Role.EDITOR)
def pages_list():
    """List the pages in menu order, then those in the trash."""
    return _list(DeletePageForm())


def _list(delete_form: DeletePageForm, failed_id: int | None = None) -> str:
    rows = list(db.session.scalars(select(Page).order_by(Page.menu_order, Page.id)))
    return render_template(
        "admin/pages.html",
        pages=[page for page in rows if page.deleted_at is None],
        trashed=[page for page in rows if page.deleted_at is not None],
        delete_form=delete_form,
        failed_id=failed_id,
    )


@bp.route("/pages/new", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def new_page():
    """Write a new page."""
    return _edit(Page())


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit_page(page_id: int):
    """Edit a page."""
    return _edit(get_page(page_id))


def _edit(page: Page):
    """Show the page editor; save a valid form, or render its preview, or show what to fix (422)."""
    form = PageForm(obj=None if request.method == "POST" else page if page.id else None, page_id=page.id)
    preview = None
    if request.method == "POST" and form.validate():
        if form.preview.data:
            preview = Markup(render_markdown(form.body.data or "").html)
        else:
            pages.save_page(
                page,
                title=form.title.data,
                slug=form.slug.data or pages.free_slug(slugify(form.title.data), page.id),
                body=form.body.data or "",
                status=PageStatus(form.status.data),
                in_footer=form.in_footer.data,
                in_header=form.in_header.data,
                menu_order=form.menu_order.data or 0,
                editor=current_user,
            )
            db.session.commit()
            flash(f"Saved “{page.title}” ({page.status}).")
            return redirect(url_for("admin.edit_page", page_id=page.id))
    status = 422 if form.errors else 200
    return render_template("admin/page_edit.html", form=form, page=page, preview=preview), status


def _act(page_id: int, change, message: str, *, trashed: bool = False):
    """Apply a button's change to a page if its form is valid (else 400), commit, and go back to the list."""
    page = get_page(page_id, trashed=trashed)
    if not ActionForm().validate_on_submit():
        abort(400)
    change(page)
    db.session.commit()
    flash(message.format(title=page.title))
    return redirect(url_for("admin.pages_list"))


@bp.post("/pages/<int:page_id>/publish")
@role_required(Role.EDITOR)
def publish_page(page_id: int):
    """Publish a page at its address."""
    return _act(
        page_id, partial(pages.set_status, status=PageStatus.PUBLISHED, editor=current_user), "Published “{title}”."
    )


@bp.post("/pages/<int:page_id>/unpublish")
@role_required(Role.EDITOR)
def unpublish_page(page_id: int):
    """Take a page back to draft: readers get a 404 at its address."""
    return _act(
        page_id, partial(pages.set_status, status=PageStatus.DRAFT, editor=current_user), "“{title}” is a draft again."
    )


@bp.post("/pages/<int:page_id>/trash")
@role_required(Role.EDITOR)
def trash_page(page_id: int):
    """Move a page to the trash."""
    return _act(page_id, pages.trash_page, "Moved “{title}” to the trash.")


@bp.post("/pages/<int:page_id>/restore")
@role_required(Role.EDITOR)
def restore_page(page_id: int):
    """Take a page out of the trash, with the status it had."""
    return _act(page_id, pages.restore_page, "Restored “{title}”.", trashed=True)


@bp.post("/pages/<int:page_id>/delete")
@role_required(Role.EDITOR)
def delete_page(page_id: int):
    """Delete a page in the trash for good, once confirmed (422 without the tick)."""
    page = get_page(page_id, trashed=True)
    form = DeletePageForm()
    if not form.validate_on_submit():
        return _list(form, failed_id=page.id), 422
    db.session.delete(page)
    db.session.commit()
    flash(f"Deleted “{page.title}” for good.")
    return redirect(url_for("admin.pages_list"))
