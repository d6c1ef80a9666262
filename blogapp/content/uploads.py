"""Uploaded images: check them by their content, store them under a generated name, list them, cite them."""

import contextlib
import io
import os
import re
import secrets
import struct
import tempfile

from flask import current_app
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..models import Article, Upload, User
from .image_metadata import DamagedImage, without_metadata
from .renditions import WIDTHS, make_renditions, remove_renditions, rendition_name, webp_name

# Detected format → (Content-Type, extension). MPO is how Pillow names a JPEG with extra
# pictures (many phone cameras write them); browsers show it as the JPEG it also is.
FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "MPO": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
CONTENT_TYPES = {ext: content_type for content_type, ext in FORMATS.values()}
FILENAME_PATTERN = re.compile(r"[0-9a-f]{32}\.(?:png|jpg|webp|gif)")
# An upload's smaller and WebP copies (renditions.py), served like it (a full-size WebP copy matches FILENAME_PATTERN).
RENDITION_PATTERN = re.compile(r"[0-9a-f]{32}-[0-9]{3,4}w\.(?:png|jpg|webp)")

# Only these decoders may look at an upload: Pillow would otherwise try every format it knows.
_OPEN_FORMATS = ["PNG", "JPEG", "WEBP", "GIF"]
# What Pillow raises for broken or hostile files besides its own UnidentifiedImageError (an OSError).
_COPY_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}  # GIFs get no copies
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, Image.DecompressionBombError)
# Markup that turns an image into an HTML/SVG/script polyglot; a real photo or drawing never holds it.
_MARKUP = re.compile(rb"<(?:script|html[\s>]|body[\s>]|iframe|svg[\s>]|!doctype\s+html|\?php)", re.IGNORECASE)
_ACCEPTED = "PNG, JPEG, WebP or GIF"


class UploadError(ValueError):
    """An uploaded file that is refused, with a message for the person who sent it."""


def store_image(file_storage: FileStorage, user: User | None, alt: str = "") -> Upload:
    """Check an uploaded image, store its bytes under a generated name and add its row (the caller commits)."""
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.stream.read(max_bytes + 1)
    if not data:
        raise UploadError("The file is empty. Choose an image to upload.")
    if len(data) > max_bytes:
        raise UploadError(f"The file is larger than {_size_label(max_bytes)}. Make it smaller and try again.")
    image_format, width, height = _inspect(data, current_app.config["UPLOAD_MAX_PIXELS"])
    if _MARKUP.search(data):
        raise UploadError("The file contains web page or script code besides the image. Export a clean copy.")
    try:
        data = without_metadata(data, image_format)
    except DamagedImage:
        raise UploadError("The image is damaged or incomplete. Save or export it again and retry.") from None
    content_type, ext = FORMATS[image_format]
    upload = Upload(
        filename=secrets.token_hex(16) + ext,
        original_name=_clean_name(file_storage.filename),
        alt_text=alt.strip()[:300],
        content_type=content_type,
        width=width,
        height=height,
        size=len(data),
        uploaded_by_id=user.id if user is not None else None,
    )
    _write_atomically(os.path.join(uploads_dir(), upload.filename), data)
    for copy_name, copy in _renditions(data, image_format, width, upload.filename).items():
        _write_atomically(os.path.join(uploads_dir(), copy_name), copy)
    db.session.add(upload)
    return upload


def _renditions(data: bytes, image_format: str, width: int, filename: str) -> dict[str, bytes]:
    """Return the copies of a checked image by name; none if Pillow cannot make them (the original still serves)."""
    try:
        return make_renditions(data, image_format, width, filename)
    except _BROKEN:
        return {}


def add_missing_copies(upload: Upload) -> int:
    """Write the copies a stored upload lacks (made before a width was added, or imported without); return how many."""
    folder, image_format = uploads_dir(), _COPY_FORMATS.get(upload.content_type)
    if image_format is None or all(os.path.exists(os.path.join(folder, n)) for n in _copy_names(upload)):
        return 0
    try:
        with open(os.path.join(folder, upload.filename), "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return 0
    copies = _renditions(data, image_format, upload.width, upload.filename)
    missing = {name: copy for name, copy in copies.items() if not os.path.exists(os.path.join(folder, name))}
    for name, copy in missing.items():
        _write_atomically(os.path.join(folder, name), copy)
    return len(missing)


def _copy_names(upload: Upload) -> list[str]:
    """Return the names of the copies its width calls for (a WebP too large for the format may never come)."""
    widths = [w for w in WIDTHS if w < upload.width]
    names = [rendition_name(upload.filename, w, f) for w in widths for f in (None, "WEBP")]
    return [*names, webp_name(upload.filename)]


def discard_file(filename: str) -> None:
    """Delete the stored file (and smaller copies) of an upload whose row was not committed, or was deleted."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(uploads_dir(), filename))
    remove_renditions(uploads_dir(), filename)


def articles_showing(upload: Upload, limit: int = 3) -> list[str]:
    """Return the titles of (at most `limit`) articles whose body shows the upload, trashed ones included."""
    stmt = select(Article.title).where(Article.body.contains(public_url(upload), autoescape=True))
    return list(db.session.scalars(stmt.order_by(Article.id).limit(limit)))


def recent_uploads(limit: int = 50) -> list[Upload]:
    """Return the newest uploads first."""
    stmt = select(Upload).order_by(Upload.created_at.desc(), Upload.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def public_url(upload: Upload) -> str:
    """Return the site-relative address an upload is served at."""
    return f"/uploads/{upload.filename}"


def markdown_for(upload: Upload) -> str:
    """Return the Markdown that shows an upload, with the alt text given at upload (else its original name)."""
    return f"![{alt_text(upload)}]({public_url(upload)})"


def alt_text(upload: Upload) -> str:
    """Return the upload's alt text, or its original name without the extension, safe inside Markdown brackets."""
    text = upload.alt_text or os.path.splitext(upload.original_name)[0].replace("_", " ")
    text = " ".join(text.split())
    return re.sub(r"([\\\[\]])", r"\\\1", text) or "image"


def uploads_dir() -> str:
    """Return the folder uploads are stored in."""
    return current_app.config["UPLOADS_DIR"]


def _inspect(data: bytes, max_pixels: int) -> tuple[str, int, int]:
    """Return (format, width, height) of a complete, decodable image, or raise UploadError."""
    try:
        with Image.open(io.BytesIO(data), formats=_OPEN_FORMATS) as image:
            image_format, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(_too_many_pixels(max_pixels)) from None
    except _BROKEN:
        raise UploadError(f"This file is not a {_ACCEPTED} image (checked by its content, not its name).") from None
    if image_format not in FORMATS:
        raise UploadError(f"{image_format} images are not accepted. Upload a {_ACCEPTED} image.")
    # The header gives the size; refuse big images before anything is decoded.
    if width < 1 or height < 1 or width * height > max_pixels:
        raise UploadError(_too_many_pixels(max_pixels))
    try:
        with Image.open(io.BytesIO(data), formats=_OPEN_FORMATS) as image:
            image.verify()
        # verify() leaves the image unusable, and checks little for some formats: decode it for real.
        with Image.open(io.BytesIO(data), formats=_OPEN_FORMATS) as image:
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(_too_many_pixels(max_pixels)) from None
    except _BROKEN:
        raise UploadError("The image is damaged or incomplete. Save or export it again and retry.") from None
    return image_format, width, height


def _too_many_pixels(max_pixels: int) -> str:
    return f"The image has more than {max_pixels / 1_000_000:g} million pixels. Scale it down and try again."


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size / 1024:g} KiB"


def _clean_name(filename: str | None) -> str:
    """Keep the last part of the name the browser sent, without control characters, for display only."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:255]


def _write_atomically(path: str, data: bytes) -> None:
    """Write `data` to `path` so that readers never see a partial file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temp_path = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_path, 0o644)  # mkstemp makes it 0600; the web server may serve the folder directly
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temp_path)
        raise
