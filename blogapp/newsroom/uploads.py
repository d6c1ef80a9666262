"""Images in the newsroom: upload one, list recent ones with the Markdown that shows them."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..content import audit
from ..content.uploads import (
    UploadError,
    articles_showing,
    discard_file,
    markdown_for,
    public_url,
    recent_uploads,
    store_image,
)
from ..extensions import db
from ..models import Role, Upload
from . import bp
from .auth import role_required
from .forms import ActionForm, UploadForm
from .upload_forms import AltTextForm

# The image picker partial is included by other newsroom pages, so these are available to every template.
bp.add_app_template_global(markdown_for, "upload_markdown")
bp.add_app_template_global(public_url, "upload_url")


@bp.route("/uploads/", methods=["GET", "POST"])
@role_required(Role.AUTHOR, Role.EDITOR)
def uploads():
    """List recent images and store a newly uploaded one."""
    form = UploadForm()
    refused = form.is_submitted()
    if form.validate_on_submit():
        try:
            upload = store_image(form.image.data, current_user, form.alt_text.data)
        except UploadError as error:
            form.image.errors.append(str(error))
        else:
            _commit_or_discard(upload)
            flash(f"Uploaded {upload.original_name or 'the image'} ({upload.width} × {upload.height}).")
            return redirect(url_for("admin.uploads"))
    return render_template("admin/uploads.html", form=form, uploads=recent_uploads()), 422 if refused else 200


@bp.post("/uploads/<int:upload_id>/alt")
@role_required(Role.AUTHOR, Role.EDITOR)
def edit_alt_text(upload_id: int):
    """Change an image's alt text: featured images show the new one; article bodies keep the one inserted."""
    upload = db.get_or_404(Upload, upload_id)
    form = AltTextForm()
    if not form.validate_on_submit():
        page = render_template(
            "admin/uploads.html", form=UploadForm(formdata=None), uploads=recent_uploads(), alt_form=form, alt_of=upload
        )
        return page, 422
    audit.record("upload.alt_changed", upload, {"from": upload.alt_text, "to": form.alt_text.data})
    upload.alt_text = form.alt_text.data
    db.session.commit()
    flash(f"Saved the alt text of {upload.original_name or upload.filename}.")
    return redirect(url_for("admin.uploads"))


@bp.post("/uploads/<int:upload_id>/delete")
@role_required(Role.EDITOR)
def delete_upload(upload_id: int):
    """Delete an image no article shows: its row, then (once that is committed) its file."""
    upload = db.get_or_404(Upload, upload_id)
    name, filename = upload.original_name or upload.filename, upload.filename
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.uploads"))
    showing = articles_showing(upload)
    if showing:
        titles = ", ".join(f"“{title}”" for title in showing)
        flash(f"{name} is not deleted: it is shown in {titles}. Take it out of those articles first.")
        return redirect(url_for("admin.uploads"))
    audit.record("upload.deleted", upload, {"filename": filename, "size": upload.size})
    db.session.delete(upload)
    db.session.commit()
    discard_file(filename)
    flash(f"Deleted {name}.")
    return redirect(url_for("admin.uploads"))


def upload_into_body(upload_form, body_field) -> bool:
    """Store the image the editor sent and append its Markdown to the body field; False (with errors) if refused."""
    if not upload_form.validate():
        return False
    try:
        upload = store_image(upload_form.image.data, current_user, upload_form.image_alt.data)
    except UploadError as error:
        upload_form.image.errors = [*upload_form.image.errors, str(error)]
        return False
    _commit_or_discard(upload)
    body_field.data = f"{(body_field.data or '').rstrip()}\n\n{markdown_for(upload)}\n".lstrip()
    upload_form.image_alt.data = ""
    flash(f"Uploaded {upload.original_name or 'the image'} and added it to the body. The article is not saved yet.")
    return True


def _commit_or_discard(upload) -> None:
    """Record and commit the new row; if that fails, remove the file it would have pointed to."""
    try:
        audit.record("upload.created", upload, {"filename": upload.filename, "size": upload.size})
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard_file(upload.filename)
        raise
