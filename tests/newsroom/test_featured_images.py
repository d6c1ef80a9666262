"""Featured images: chosen in the editor from uploads, shown on the article, in listings and on social cards."""

import re

import feedparser
from article_editor import article_named, form_of, write
from upload_images import image_bytes, post_image

from blogapp.extensions import db
from blogapp.models import Upload


def uploaded(client, size=(64, 48), name="heart-scan.png") -> Upload:
    """Upload an image through the newsroom form and return its row."""
    assert post_image(client, image_bytes("PNG", size=size), filename=name).status_code == 302
    return db.session.scalars(db.select(Upload).order_by(Upload.id.desc())).first()


def test_editor_offers_uploads_and_no_image_by_default(client, editor, publish, uploads_dir):
    image = uploaded(client)
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert '<option selected value="">No featured image</option>' in html
    assert f'<option value="{image.id}">heart-scan.png (64 × 48)</option>' in html
    assert write(client, publish).status_code == 302
    assert article_named("Ketamine for migraine").featured_image is None


def test_featured_image_is_shown_with_size_alt_social_card_and_thumbnail(client, editor, publish, uploads_dir):
    image = uploaded(client)
    db.session.get(Upload, image.id).alt_text = "A heart scan"
    db.session.commit()
    response = write(client, publish, featured_image=str(image.id), status="published")
    assert response.status_code == 302, response.get_data(as_text=True)
    article = article_named("Ketamine for migraine")
    assert article.featured_image_id == image.id
    assert form_of(client, f"/admin/articles/{article.id}/edit")["featured_image"] == str(image.id)
    page = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    img = f'<img src="/uploads/{image.filename}" width="64" height="48" alt="A heart scan" decoding="async">'
    webp = f'<source type="image/webp" srcset="/uploads/{image.filename[:-4]}.webp 64w" sizes='
    assert f"<picture>{webp}" in page and f"{img}</picture>" in page
    assert f'<meta property="og:image" content="http://localhost/uploads/{image.filename}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert f'"image": "http://localhost/uploads/{image.filename}"' in page
    home = client.get("/").get_data(as_text=True)
    thumbnail = re.search(r"<img [^>]*class=\"thumbnail\"[^>]*>", home).group(0)
    assert f'src="/uploads/{image.filename}"' in thumbnail and 'alt=""' in thumbnail and 'loading="lazy"' in thumbnail


def test_a_large_featured_image_offers_its_smaller_and_webp_copies(client, editor, publish, uploads_dir):
    image = uploaded(client, size=(1000, 500))
    write(client, publish, featured_image=str(image.id), status="published")
    page = client.get(f"/articles/{article_named('Ketamine for migraine').slug}/").get_data(as_text=True)
    stem = f"/uploads/{image.filename[:-4]}"
    assert f'<source type="image/webp" srcset="{stem}-400w.webp 400w, {stem}-800w.webp 800w, {stem}.webp 1000w"' in page
    assert f'srcset="{stem}-400w.png 400w, {stem}-800w.png 800w, {stem}.png 1000w"' in page
    assert 'sizes="7.5rem"' in client.get("/").get_data(as_text=True)


def test_article_without_image_keeps_the_summary_card(client, publish):
    article = publish("Plain")
    page = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    assert '<meta name="twitter:card" content="summary">' in page and "og:image" not in page


def test_unknown_or_garbage_featured_image_is_refused(client, editor, publish, uploads_dir):
    for value in ("999999", "abc", "1" * 30):
        response = write(client, publish, featured_image=value)
        assert response.status_code == 422, value
        assert "Not a valid choice" in response.get_data(as_text=True)
    assert article_named("Ketamine for migraine") is None


def test_featured_image_is_each_feed_items_enclosure(client, editor, publish, uploads_dir):
    image = uploaded(client)
    assert write(client, publish, featured_image=str(image.id), status="published").status_code == 302
    write(client, publish, title="Sleep without pills", slug="sleep-without-pills", status="published")
    url = f"http://localhost/uploads/{image.filename}"
    for fmt in ("atom", "rss"):
        feed = feedparser.parse(client.get(f"/feed.{fmt}").get_data())
        enclosures = {entry.link: [(e.href, e.type, e.length) for e in entry.enclosures] for entry in feed.entries}
        assert enclosures["http://localhost/articles/ketamine-for-migraine/"] == [(url, "image/png", str(image.size))]
        assert enclosures["http://localhost/articles/sleep-without-pills/"] == []
