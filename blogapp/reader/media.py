"""Uploaded images, served from the instance folder under their generated names."""

import os

from flask import Blueprint, abort, send_from_directory

from ..content.uploads import CONTENT_TYPES, FILENAME_PATTERN, RENDITION_PATTERN, uploads_dir

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/uploads/<filename>")
def upload(filename: str):
    """Serve an uploaded image; its name never changes, so browsers may keep it for a year."""
    if not (FILENAME_PATTERN.fullmatch(filename) or RENDITION_PATTERN.fullmatch(filename)):
        abort(404)
    response = send_from_directory(
        uploads_dir(), filename, mimetype=CONTENT_TYPES[os.path.splitext(filename)[1]], max_age=ONE_YEAR
    )
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file gets no scripts, styles or same-origin rights, whatever bytes it holds.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
