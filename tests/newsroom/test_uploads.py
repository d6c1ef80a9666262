"""Image uploads: who may upload, what is accepted or refused, and how stored images are served."""

import io
import os
import struct
import zlib

import pytest
from conftest import csrf_token
from flask import render_template
from PIL import Image
from sqlalchemy import func, select

from blogapp.content.uploads import FILENAME_PATTERN, markdown_for
from blogapp.extensions import db
from blogapp.models import Upload

URL = "/admin/uploads/"


@pytest.fixture
def uploads_dir(app, tmp_path):
    """Store uploads in a folder under tmp_path that does not exist yet."""
    path = tmp_path / "uploads"
    app.config["UPLOADS_DIR"] = str(path)
    return path


@pytest.fixture
def author(team, login, uploads_dir):
    """Sign the client in as an author."""
    login(team["author"].email)
    return team["author"]


def image_bytes(fmt: str, size=(40, 30), mode="RGB", noise=False) -> bytes:
    """Return a real image made by Pillow in memory."""
    image = Image.effect_noise(size, 80).convert(mode) if noise else Image.new(mode, size, (200, 60, 90))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """Return a small, valid 1-bit PNG whose pixels would take far more memory than the file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def post_image(client, data: bytes, filename: str = "chart.png", token: bool = True):
    """Send `data` through the upload form as a browser would."""
    form = {"image": (io.BytesIO(data), filename)}
    if token:
        form["csrf_token"] = csrf_token(client, URL)
    return client.post(URL, data=form, content_type="multipart/form-data")


def stored_files(uploads_dir) -> list[str]:
    return sorted(os.listdir(uploads_dir)) if uploads_dir.exists() else []


def upload_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Upload))


def assert_nothing_stored(uploads_dir) -> None:
    assert stored_files(uploads_dir) == []
    assert upload_count() == 0


@pytest.mark.parametrize("role", ["author", "editor", "admin"])
def test_authors_editors_and_admins_see_the_uploads_page(client, team, login, uploads_dir, role):
    login(team[role].email)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_reviewer_may_not_upload(client, team, login, uploads_dir):
    login(team["reviewer"].email)
    assert client.get(URL).status_code == 403
    form = {"image": (io.BytesIO(image_bytes("PNG")), "a.png"), "csrf_token": csrf_token(client, "/login")}
    assert client.post(URL, data=form, content_type="multipart/form-data").status_code == 403
    assert_nothing_stored(uploads_dir)


def test_anonymous_visitor_is_sent_to_sign_in(client, ctx, uploads_dir):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("fmt", "filename", "ext", "content_type"),
    [
        ("PNG", "Blood pressure chart.png", ".png", "image/png"),
        ("JPEG", "photo.JPEG", ".jpg", "image/jpeg"),
        ("WEBP", "diagram.webp", ".webp", "image/webp"),
        ("GIF", "anim.gif", ".gif", "image/gif"),
    ],
)
def test_uploaded_image_is_stored_under_a_generated_name_and_served(
    client, author, uploads_dir, fmt, filename, ext, content_type
):
    data = image_bytes(fmt, size=(40, 30), mode="P" if fmt == "GIF" else "RGB")
    response = post_image(client, data, filename)
    assert response.status_code == 302
    assert response.headers["Location"] == URL

    (name,) = stored_files(uploads_dir)
    assert FILENAME_PATTERN.fullmatch(name) and name.endswith(ext)
    assert (uploads_dir / name).read_bytes() == data
    upload = db.session.scalars(select(Upload)).one()
    assert (upload.filename, upload.original_name, upload.content_type) == (name, filename, content_type)
    assert (upload.width, upload.height, upload.size) == (40, 30, len(data))
    assert upload.uploaded_by_id == author.id

    page = client.get(URL).get_data(as_text=True)
    assert "Uploaded " in page
    assert f'<code class="upload-markdown">{markdown_for(upload)}</code>' in page
    assert f'src="/uploads/{name}" width="40" height="30"' in page

    served = client.get(f"/uploads/{name}")
    assert served.status_code == 200
    assert served.data == data
    assert served.mimetype == content_type
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_image_name_decides_nothing_about_its_type(client, author, uploads_dir):
    post_image(client, image_bytes("JPEG"), "really-a-jpeg.png")
    (name,) = stored_files(uploads_dir)
    assert name.endswith(".jpg")
    assert client.get(f"/uploads/{name}").mimetype == "image/jpeg"


def test_markdown_snippet_takes_alt_text_from_the_original_name(client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "../../blood_pressure [2024].png")
    upload = db.session.scalars(select(Upload)).one()
    assert upload.original_name == "blood_pressure [2024].png"
    assert markdown_for(upload) == rf"![blood pressure \[2024\]](/uploads/{upload.filename})"


_HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        pytest.param(_HTML, "innocent.png", "is not a PNG, JPEG, WebP or GIF image", id="html-renamed-png"),
        pytest.param(_SVG, "logo.svg", "is not a PNG, JPEG, WebP or GIF image", id="svg-with-script"),
        pytest.param(image_bytes("PNG", noise=True)[:-200], "cut.png", "damaged or incomplete", id="truncated-png"),
        pytest.param(image_bytes("JPEG", noise=True)[:-200], "cut.jpg", "damaged or incomplete", id="truncated-jpeg"),
        pytest.param(b"GIF89a" + _HTML, "poly.gif", "is not a PNG", id="gif-header-then-html"),
        pytest.param(image_bytes("GIF", mode="P") + _HTML, "poly.gif", "web page or script", id="valid-gif-plus-html"),
        pytest.param(image_bytes("PNG") + _SVG, "poly.png", "web page or script", id="valid-png-plus-svg"),
        pytest.param(image_bytes("BMP"), "old.bmp", "is not a PNG", id="bmp"),
        pytest.param(b"", "empty.png", "The file is empty", id="empty"),
    ],
)
def test_bad_file_is_refused_with_the_form_and_a_message(client, author, uploads_dir, data, filename, message):
    response = post_image(client, data, filename)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'enctype="multipart/form-data"' in html
    assert 'aria-invalid="true"' in html
    assert_nothing_stored(uploads_dir)


def test_missing_file_is_refused(client, author, uploads_dir):
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL)}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose an image to upload." in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


def test_file_over_the_byte_limit_is_refused(app, client, author, uploads_dir):
    data = image_bytes("PNG", size=(100, 100), noise=True)
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 1
    response = post_image(client, data)
    assert response.status_code == 422
    assert "The file is larger than" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)

    app.config["UPLOAD_MAX_BYTES"] = len(data)
    assert post_image(client, data).status_code == 302


def test_image_over_the_pixel_limit_is_refused(app, client, author, uploads_dir):
    app.config["UPLOAD_MAX_PIXELS"] = 40 * 30 - 1
    response = post_image(client, image_bytes("PNG", size=(40, 30)))
    assert response.status_code == 422
    assert "million pixels" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


@pytest.mark.parametrize("side", [8_000, 20_000], ids=["over-our-limit", "over-pillows-limit"])
def test_decompression_bomb_is_refused_without_decoding(client, author, uploads_dir, side):
    data = png_claiming(side, side)
    assert len(data) < 2_000_000  # a small file whose pixels would not fit in memory comfortably
    response = post_image(client, data, "bomb.png")
    assert response.status_code == 422
    assert "more than 40 million pixels" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


def test_request_over_max_content_length_gets_413(app, client, author, uploads_dir):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post_image(client, b"\0" * 20_000)
    assert response.status_code == 413
    assert_nothing_stored(uploads_dir)


def test_upload_without_csrf_token_is_refused(client, author, uploads_dir):
    response = post_image(client, image_bytes("PNG"), token=False)
    assert response.status_code == 400
    assert_nothing_stored(uploads_dir)


def test_failed_commit_leaves_no_file_behind(client, author, uploads_dir, monkeypatch):
    def fail():
        raise RuntimeError("database is gone")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError):
        post_image(client, image_bytes("PNG"))
    monkeypatch.undo()
    assert_nothing_stored(uploads_dir)


@pytest.mark.parametrize(
    "path",
    [
        "/uploads/../config.py",
        "/uploads/%2e%2e/config.py",
        "/uploads/..%2fconfig.py",
        "/uploads/" + "0" * 32 + ".png",
        "/uploads/" + "0" * 32 + ".html",
        "/uploads/.upload-abc.tmp",
        "/uploads/",
    ],
)
def test_unknown_or_unsafe_upload_names_are_not_found(client, ctx, uploads_dir, path):
    uploads_dir.mkdir()
    (uploads_dir / ".upload-abc.tmp").write_bytes(b"partial")
    (uploads_dir.parent / "config.py").write_text("SECRET_KEY = 'x'")
    assert client.get(path).status_code == 404


def test_recent_images_are_listed_newest_first(client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "first.png")
    post_image(client, image_bytes("GIF", mode="P"), "second.gif")
    html = client.get(URL).get_data(as_text=True)
    assert html.index("second.gif") < html.index("first.png")


def test_image_picker_offers_snippets_to_insert(app, client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "scan.png")
    upload = db.session.scalars(select(Upload)).one()
    with app.test_request_context():
        html = render_template("admin/_image_picker.html", uploads=[upload])
    snippet = markdown_for(upload)
    assert f"<code>{snippet}</code>" in html
    assert f'<button type="button" class="secondary" data-insert-markdown="{snippet}">' in html
    assert f'href="{URL}"' in html
    assert "<h2" in html


def test_photo_location_and_camera_data_are_removed_but_orientation_kept(uploads_dir, client, team, login):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the picture must still show the right way up
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="JPEG", exif=exif, quality=90)
    login(team["author"].email)
    token = csrf_token(client, "/admin/uploads/")
    data = {"image": (io.BytesIO(buffer.getvalue()), "holiday.jpg"), "csrf_token": token}
    assert client.post("/admin/uploads/", data=data, content_type="multipart/form-data").status_code == 302
    (stored,) = [name for name in os.listdir(uploads_dir) if name.endswith(".jpg")]
    stored = os.path.join(uploads_dir, stored)
    with Image.open(stored) as image:
        kept = image.getexif()
        assert kept.get(0x0112) == 6 and 0x010F not in kept and not kept.get_ifd(0x8825)
        assert image.size == (40, 30)
