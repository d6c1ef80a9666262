"""Images in article bodies: uploaded ones carry their size and smaller copies, all but the first load lazily."""

import io

from lxml import html as lxml_html
from PIL import Image
from upload_images import image_bytes, post_image, stored_files

from blogapp.extensions import db
from blogapp.models import Upload


def test_uploaded_images_in_a_body_get_their_size_and_lazy_loading(client, author, uploads_dir, publish):
    post_image(client, image_bytes("PNG", size=(1200, 800)), "wide.png", alt="A wide chart")
    upload = db.session.scalars(db.select(Upload)).one()
    src = f"/uploads/{upload.filename}"
    body = f"![First]({src})\n\nText.\n\n![Again]({src})\n\n![Elsewhere](https://example.org/x.png)\n"
    article = publish("With images", body)
    images = lxml_html.fromstring(client.get(f"/articles/{article.slug}/").get_data(as_text=True)).xpath(
        "//div[@class='prose']//img"
    )
    assert [(img.get("width"), img.get("height")) for img in images] == [("1200", "800"), ("1200", "800"), (None, None)]
    assert [img.get("loading") for img in images] == [None, "lazy", "lazy"]
    assert [img.get("alt") for img in images] == ["First", "Again", "Elsewhere"]
    smaller = f"/uploads/{upload.filename[:-4]}-800w.png"
    assert images[0].get("srcset") == f"{smaller} 800w, {src} 1200w" and images[2].get("srcset") is None
    assert "42rem" in images[0].get("sizes")


def test_large_uploads_get_smaller_copies_served_like_the_original(client, author, uploads_dir):
    post_image(client, image_bytes("JPEG", size=(2000, 1000), noise=True), "photo.jpg")
    upload = db.session.scalars(db.select(Upload)).one()
    stem = upload.filename[:-4]
    assert stored_files(uploads_dir) == sorted([upload.filename, f"{stem}-1600w.jpg", f"{stem}-800w.jpg"])
    for width in (800, 1600):
        served = client.get(f"/uploads/{stem}-{width}w.jpg")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(served.data)) as copy:
            assert copy.size == (width, width // 2)
    assert len(client.get(f"/uploads/{stem}-800w.jpg").data) < len(client.get(f"/uploads/{upload.filename}").data) / 3


def test_small_images_and_gifs_get_no_copies(client, author, uploads_dir):
    post_image(client, image_bytes("PNG", size=(700, 400)), "small.png")
    post_image(client, image_bytes("GIF", size=(1000, 400), mode="P"), "wide.gif")
    assert len(stored_files(uploads_dir)) == 2


def test_sizes_written_by_the_author_are_kept(client, author, uploads_dir, publish):
    post_image(client, image_bytes("PNG", size=(1200, 800)), "wide.png")
    upload = db.session.scalars(db.select(Upload)).one()
    article = publish("Sized by hand", f'<img src="/uploads/{upload.filename}" alt="Chart" width="300">')
    assert 'width="300"' in article.body_html and 'height="800"' not in article.body_html


def test_a_body_without_images_is_left_as_rendered(publish):
    article = publish("Plain", "Just **text**.")
    assert article.body_html == "<p>Just <strong>text</strong>.</p>\n"
