"""Forms that change an uploaded image or add one from elsewhere than the Images page."""

from flask_wtf import FlaskForm
from wtforms import SubmitField

from .forms import UploadForm


class AltTextForm(FlaskForm):
    """Change an uploaded image's alt text (with the same checks as at upload)."""

    alt_text = UploadForm.alt_text


class EditorUploadForm(FlaskForm):
    """Upload an image from the article editor and insert its Markdown, with the upload form's checks."""

    image = UploadForm.image
    image_alt = UploadForm.alt_text
    upload_image = SubmitField("Upload and insert")
