"""Images in article bodies: uploaded ones carry their size, all but the first load lazily."""

from lxml import html as lxml_html
from upload_images import image_bytes, post_image

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


def test_sizes_written_by_the_author_are_kept(client, author, uploads_dir, publish):
    post_image(client, image_bytes("PNG", size=(1200, 800)), "wide.png")
    upload = db.session.scalars(db.select(Upload)).one()
    article = publish("Sized by hand", f'<img src="/uploads/{upload.filename}" alt="Chart" width="300">')
    assert 'width="300"' in article.body_html and 'height="800"' not in article.body_html


def test_a_body_without_images_is_left_as_rendered(publish):
    article = publish("Plain", "Just **text**.")
    assert article.body_html == "<p>Just <strong>text</strong>.</p>\n"
