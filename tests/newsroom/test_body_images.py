"""Images in article bodies: uploaded ones carry their size and smaller copies, all but the first load lazily."""

import io

from conftest import csrf_token
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
    stem = f"/uploads/{upload.filename[:-4]}"
    srcset = f"{stem}-400w.png 400w, {stem}-800w.png 800w, {src} 1200w"
    assert images[0].get("srcset") == srcset and images[2].get("srcset") is None
    assert "42rem" in images[0].get("sizes")
    page = lxml_html.fromstring(client.get(f"/articles/{article.slug}/").get_data(as_text=True))
    sources = page.xpath("//div[@class='prose']//picture/source")
    webp = f"{stem}-400w.webp 400w, {stem}-800w.webp 800w, {stem}.webp 1200w"
    assert [(s.get("type"), s.get("srcset")) for s in sources] == [("image/webp", webp)] * 2
    assert [bool(img.xpath("ancestor::picture")) for img in images] == [True, True, False]


def test_large_uploads_get_smaller_copies_served_like_the_original(client, author, uploads_dir):
    post_image(client, image_bytes("JPEG", size=(2000, 1000), noise=True), "photo.jpg")
    upload = db.session.scalars(db.select(Upload)).one()
    stem = upload.filename[:-4]
    copies = [f"{stem}-{width}w{ext}" for width in (400, 800, 1600) for ext in (".jpg", ".webp")]
    assert stored_files(uploads_dir) == sorted([upload.filename, f"{stem}.webp", *copies])
    for width, ext, kind in [(w, e, k) for w in (400, 800, 1600) for e, k in ((".jpg", "jpeg"), (".webp", "webp"))]:
        served = client.get(f"/uploads/{stem}-{width}w{ext}")
        assert served.status_code == 200 and served.mimetype == f"image/{kind}"
        with Image.open(io.BytesIO(served.data)) as copy:
            assert copy.size == (width, width // 2) and copy.format == kind.upper()
    full = client.get(f"/uploads/{stem}.webp")
    with Image.open(io.BytesIO(full.data)) as copy:
        assert full.mimetype == "image/webp" and copy.format == "WEBP" and copy.size == (2000, 1000)
    assert len(client.get(f"/uploads/{stem}-800w.jpg").data) < len(client.get(f"/uploads/{upload.filename}").data) / 3


def test_small_images_get_only_a_webp_copy_and_gifs_none(client, author, uploads_dir):
    post_image(client, image_bytes("PNG", size=(400, 300)), "small.png")
    post_image(client, image_bytes("GIF", size=(1000, 400), mode="P"), "wide.gif")
    post_image(client, image_bytes("WEBP", size=(400, 300)), "small.webp")
    png, gif, webp = (u.filename for u in db.session.scalars(db.select(Upload).order_by(Upload.id)))
    assert stored_files(uploads_dir) == sorted([png, png[:-4] + ".webp", gif, webp])


def test_deleting_an_upload_removes_its_webp_copies(client, editor, uploads_dir):
    post_image(client, image_bytes("JPEG", size=(2000, 1000)), "photo.jpg")
    upload = db.session.scalars(db.select(Upload)).one()
    assert len(stored_files(uploads_dir)) == 8
    client.post(f"/admin/uploads/{upload.id}/delete", data={"csrf_token": csrf_token(client, "/admin/uploads/")})
    assert stored_files(uploads_dir) == []


def test_sizes_written_by_the_author_are_kept(client, author, uploads_dir, publish):
    post_image(client, image_bytes("PNG", size=(1200, 800)), "wide.png")
    upload = db.session.scalars(db.select(Upload)).one()
    article = publish("Sized by hand", f'<img src="/uploads/{upload.filename}" alt="Chart" width="300">')
    assert 'width="300"' in article.body_html and 'height="800"' not in article.body_html


def test_a_body_without_images_is_left_as_rendered(publish):
    article = publish("Plain", "Just **text**.")
    assert article.body_html == "<p>Just <strong>text</strong>.</p>\n"
