"""Uploads arriving in an archive get their smaller and WebP copies, as uploads made on the site do."""

import base64
import io

from PIL import Image

from blogapp.moving.archive_uploads import write_uploads


def record(fmt: str, size: tuple[int, int], name: str, content_type: str) -> dict:
    """Return an archive's upload record carrying a real image."""
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 150)).save(out, fmt)
    return {"filename": name, "content_type": content_type, "width": size[0], "data": base64.b64encode(out.getvalue())}


def test_archived_images_get_smaller_and_webp_copies(tmp_path):
    photo, small = "a" * 32, "b" * 32
    records = [
        record("JPEG", (1000, 500), photo + ".jpg", "image/jpeg"),
        record("PNG", (40, 30), small + ".png", "image/png"),
    ]
    records.append(
        {"filename": "c" * 32 + ".png", "content_type": "image/png", "width": 900, "data": base64.b64encode(b"x")}
    )
    assert write_uploads(records, tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            f"{photo}.jpg",
            f"{photo}-400w.jpg",
            f"{photo}-400w.webp",
            f"{photo}-800w.jpg",
            f"{photo}-800w.webp",
            f"{photo}.webp",
            f"{small}.png",
            f"{small}.webp",
            "c" * 32 + ".png",
        ]  # a file Pillow cannot read is kept as it is, without copies
    )
    with Image.open(tmp_path / f"{photo}-800w.webp") as copy:
        assert copy.format == "WEBP" and copy.size == (800, 400)
