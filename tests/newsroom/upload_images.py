"""Images to upload, made by Pillow, sent through the newsroom's upload form; what the uploads left behind."""

import io
import os

from conftest import csrf_token
from PIL import Image
from sqlalchemy import func, select

from blogapp.extensions import db
from blogapp.models import Upload

URL = "/admin/uploads/"


def image_bytes(fmt: str, size=(40, 30), mode="RGB", noise=False) -> bytes:
    """Return a real image made by Pillow in memory."""
    image = Image.effect_noise(size, 80).convert(mode) if noise else Image.new(mode, size, (200, 60, 90))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def post_image(client, data: bytes, filename: str = "chart.png", token: bool = True, alt: str = "A chart"):
    """Send `data` through the upload form as a browser would, with its alt text."""
    form = {"image": (io.BytesIO(data), filename), "alt_text": alt}
    if token:
        form["csrf_token"] = csrf_token(client, URL)
    return client.post(URL, data=form, content_type="multipart/form-data")


def stored_files(uploads_dir) -> list[str]:
    """Return the names of the files in the uploads folder."""
    return sorted(os.listdir(uploads_dir)) if uploads_dir.exists() else []


def originals(uploads_dir) -> list[str]:
    """Return the names of the stored uploads, without their smaller and WebP copies."""
    names = stored_files(uploads_dir)
    stems = {name.rsplit(".", 1)[0] for name in names if not name.endswith(".webp")}
    return [n for n in names if "w." not in n and not (n.endswith(".webp") and n[:-5] in stems)]


def upload_count() -> int:
    """Return how many uploads the database records."""
    return db.session.scalar(select(func.count()).select_from(Upload))


def assert_nothing_stored(uploads_dir) -> None:
    """Fail unless the uploads folder and the uploads table are both empty."""
    assert stored_files(uploads_dir) == []
    assert upload_count() == 0
