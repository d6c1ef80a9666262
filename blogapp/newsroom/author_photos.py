"""Author photos: a member picks their own from the uploads on the account page, an admin picks anyone's."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..content.uploads import recent_uploads
from ..extensions import db
from ..models import Author, Upload, User
from . import bp
from .auth import role_required
from .upload_forms import AuthorPhotoForm


def photo_form(author: Author | None, formdata=None) -> AuthorPhotoForm:
    """Return the photo form offering recent uploads (and the author's current photo), with it chosen."""
    form = AuthorPhotoForm(formdata=formdata, photo=author.photo_id if author else None)
    images = recent_uploads(50)
    if author is not None and author.photo is not None and author.photo not in images:
        images.append(author.photo)
    form.photo.choices = [
        SelectChoice("", "No photo"),
        *(SelectChoice(u.id, f"{u.original_name or u.filename} ({u.width} × {u.height})") for u in images),
    ]
    return form


@bp.route("/account/photo", methods=["GET", "POST"])
def own_photo():
    """Show or change the photo on your own author page."""
    if current_user.author is None:
        abort(404)
    return _set_photo(current_user.author, redirect_to=url_for("admin.account"))


@bp.route("/users/<int:user_id>/photo", methods=["GET", "POST"])
@role_required()
def user_photo(user_id: int):
    """Show or change the photo on someone's author page (admins)."""
    user = db.get_or_404(User, user_id)
    if user.author is None:
        flash(f"{user.email} has no author page.")
        return redirect(url_for("admin.users"))
    return _set_photo(user.author, redirect_to=url_for("admin.user_photo", user_id=user.id), user=user)


def _set_photo(author: Author, redirect_to: str, user: User | None = None):
    """Apply a posted photo choice, or show the form (422 with the reason when the choice is refused)."""
    form = photo_form(author, formdata=None if request.method == "GET" else request.form)
    if request.method == "GET" or not form.validate():
        status = 200 if request.method == "GET" else 422
        return render_template("admin/author_photo.html", form=form, author=author, user=user), status
    author.photo = db.session.get(Upload, form.photo.data) if form.photo.data else None
    db.session.commit()
    flash(f"Saved the photo of {author.name}." if author.photo else f"Removed the photo of {author.name}.")
    return redirect(redirect_to)
