"""Forms that change an uploaded image or add one from elsewhere than the Images page."""

from flask_wtf import FlaskForm

from .forms import UploadForm


class AltTextForm(FlaskForm):
    """Change an uploaded image's alt text (with the same checks as at upload)."""

    alt_text = UploadForm.alt_text
