"""Forms that change an uploaded image or add one from elsewhere than the Images page."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from .forms import UploadForm, _optional_id


class AltTextForm(FlaskForm):
    """Change an uploaded image's alt text (with the same checks as at upload)."""

    alt_text = UploadForm.alt_text


class EditorUploadForm(FlaskForm):
    """Upload an image from the article editor and insert its Markdown, with the upload form's checks."""

    image = UploadForm.image
    image_alt = UploadForm.alt_text
    upload_image = SubmitField("Upload and insert")


class AuthorPhotoForm(FlaskForm):
    """Choose an author's photo from the uploads (or none)."""

    photo = SelectField("Photo", coerce=_optional_id)
    submit = SubmitField("Save photo")
