"""Alt text changed after upload: checked like at upload, used by featured images and new Markdown from then on."""

from article_editor import article_named, write
from conftest import csrf_token
from upload_images import URL, image_bytes, post_image

from blogapp.content.uploads import markdown_for
from blogapp.extensions import db
from blogapp.models import Upload


def change_alt(client, upload_id: int, text: str, token: bool = True):
    data = {"alt_text": text} | ({"csrf_token": csrf_token(client, URL)} if token else {})
    return client.post(f"{URL}{upload_id}/alt", data=data)


def only_upload() -> Upload:
    return db.session.scalars(db.select(Upload)).one()


def test_changed_alt_text_is_shown_by_the_featured_image_and_new_markdown(client, editor, publish, uploads_dir):
    post_image(client, image_bytes("PNG"), "scan.png", alt="A scan")
    upload = only_upload()
    write(client, publish, featured_image=str(upload.id), status="published")
    article = article_named("Ketamine for migraine")
    assert 'alt="A scan"' in client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    response = change_alt(client, upload.id, "  An MRI scan of the\nbrain ")
    assert response.status_code == 302 and response.location.endswith(URL)
    db.session.expire_all()
    assert only_upload().alt_text == "An MRI scan of the brain"
    assert 'alt="An MRI scan of the brain"' in client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    page = client.get(URL).get_data(as_text=True)
    assert "Saved the alt text of scan.png." in page and markdown_for(only_upload()) in page
    assert 'value="An MRI scan of the brain"' in page and "keep the alt text written in their body" in page


def test_empty_or_too_long_alt_text_is_refused_with_the_reason(client, author, uploads_dir):
    post_image(client, image_bytes("PNG"), "scan.png", alt="A scan")
    upload = only_upload()
    for text, reason in (("   ", "Describe the image"), ("x" * 301, "longer than 300")):
        response = change_alt(client, upload.id, text)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "The alt text was not changed" in page and reason in page, text
    assert change_alt(client, upload.id, "Sneaky", token=False).status_code == 400  # the site-wide CSRF refusal
    db.session.expire_all()
    assert only_upload().alt_text == "A scan"
    assert change_alt(client, 999999, "Anything").status_code == 404
