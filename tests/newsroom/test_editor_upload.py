"""Uploading from inside the editor: the page comes back with everything typed, the image stored and inserted."""

import io

from article_editor import form_of
from upload_images import image_bytes, originals

from blogapp.content.uploads import markdown_for
from blogapp.extensions import db
from blogapp.models import Article, Upload

URL = "/admin/articles/new"


def post_with_image(client, publish, data: bytes, alt: str = "A dosing chart"):
    fields = form_of(client, URL) | {"title": "Typed title", "body": "Typed body.", "category": publish.category.id}
    fields |= {"image": (io.BytesIO(data), "chart.png"), "image_alt": alt, "upload_image": "1"}
    return client.post(URL, data=fields, content_type="multipart/form-data")


def test_upload_and_insert_keeps_the_typed_text_and_adds_the_image(client, author, publish, uploads_dir):
    response = post_with_image(client, publish, image_bytes("PNG"))
    page = response.get_data(as_text=True)
    upload = db.session.scalars(db.select(Upload)).one()
    assert response.status_code == 200 and originals(uploads_dir) == [upload.filename]
    assert upload.alt_text == "A dosing chart" and upload.uploaded_by_id == author.id
    assert 'value="Typed title"' in page and f"Typed body.\n\n{markdown_for(upload)}\n</textarea>" in page
    assert "The article is not saved yet." in page and f'<option value="{upload.id}">chart.png' in page
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0  # nothing saved, nothing published


def test_a_refused_file_says_why_and_keeps_the_typed_text(client, author, publish, uploads_dir):
    for data, alt, reason in (
        (b"not an image", "A chart", "not a PNG, JPEG, WebP or GIF"),
        (image_bytes("PNG"), "", "Describe"),
    ):
        response = post_with_image(client, publish, data, alt)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "The image was not uploaded" in page and reason in page
        assert 'value="Typed title"' in page and "\nTyped body.</textarea>" in page
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0 and originals(uploads_dir) == []


def test_saving_the_editor_form_as_rendered_does_not_upload(client, author, publish, uploads_dir):
    fields = form_of(client, URL)
    assert "upload_image" not in fields and "image_alt" in fields
    fields |= {"title": "Plain save", "category": publish.category.id}
    assert client.post(URL, data=fields).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0
