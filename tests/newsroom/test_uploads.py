"""Image uploads: who may upload, and how an accepted image is stored, listed, offered and served."""

import io
import os

import pytest
from conftest import csrf_token
from flask import render_template
from PIL import Image
from sqlalchemy import select
from upload_images import URL, assert_nothing_stored, image_bytes, originals, post_image

from blogapp.content.uploads import FILENAME_PATTERN, markdown_for
from blogapp.extensions import db
from blogapp.models import Upload


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

    (name,) = originals(uploads_dir)
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
    (name,) = originals(uploads_dir)
    assert name.endswith(".jpg")
    assert client.get(f"/uploads/{name}").mimetype == "image/jpeg"


def test_markdown_snippet_writes_the_alt_text_given_at_upload(client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "../../figure.png", alt="  Blood pressure [2024]\nby\tage ")
    upload = db.session.scalars(select(Upload)).one()
    assert upload.original_name == "figure.png" and upload.alt_text == "Blood pressure [2024] by age"
    assert markdown_for(upload) == rf"![Blood pressure \[2024\] by age](/uploads/{upload.filename})"


def test_upload_without_alt_text_is_refused_with_a_message(client, author, uploads_dir):
    response = post_image(client, image_bytes("PNG"), alt="   ")
    assert response.status_code == 422
    assert "Describe the image for readers who cannot see it." in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


def test_images_from_before_alt_text_take_it_from_the_original_name(client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "../../blood_pressure [2024].png")
    upload = db.session.scalars(select(Upload)).one()
    upload.alt_text = ""
    assert markdown_for(upload) == rf"![blood pressure \[2024\]](/uploads/{upload.filename})"


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
    data = {"image": (io.BytesIO(buffer.getvalue()), "holiday.jpg"), "alt_text": "A beach", "csrf_token": token}
    assert client.post("/admin/uploads/", data=data, content_type="multipart/form-data").status_code == 302
    (stored,) = [name for name in os.listdir(uploads_dir) if name.endswith(".jpg")]
    stored = os.path.join(uploads_dir, stored)
    with Image.open(stored) as image:
        kept = image.getexif()
        assert kept.get(0x0112) == 6 and 0x010F not in kept and not kept.get_ifd(0x8825)
        assert image.size == (40, 30)


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
