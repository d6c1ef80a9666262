"""The author's photo beside an article's byline, and listing thumbnails that offer their small copies."""

import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage

from blogapp.content.raw_query import watch_statements
from blogapp.content.uploads import store_image
from blogapp.extensions import db
from blogapp.models import Upload


def image(size: tuple[int, int], alt: str) -> Upload:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 90)).save(out, "PNG")
    return store_image(FileStorage(io.BytesIO(out.getvalue()), "picture.png"), None, alt)


def test_byline_shows_the_authors_photo_read_with_the_author(app, client, publish, uploads_dir):
    article = publish("Sleep after surgery", "Rest well.")
    url = f"/articles/{article.slug}/"
    client.get("/")  # what every page reads once per content version (the menus) is read before counting
    with watch_statements(db.engine) as without_photo:
        assert 'class="byline-photo"' not in client.get(url).get_data(as_text=True)
    article.author.photo = image((900, 1200), "Ann at her desk")
    db.session.commit()
    client.get("/")
    with watch_statements(db.engine) as with_photo:
        page = client.get(url).get_data(as_text=True)
    assert len(with_photo) == len(without_photo)  # the photo comes in the article's own statement
    byline = re.search(r'<p class="meta byline">.*?</p>', page, re.S).group(0)
    img = re.search(r"<img [^>]*>", byline).group(0)
    stem = f"/uploads/{article.author.photo.filename[:-4]}"
    assert f'src="{stem}.png"' in img and f'alt="{article.author.name}"' in img
    assert 'width="48" height="48"' in img and 'sizes="3rem"' in img and "loading" not in img
    assert f'<source type="image/webp" srcset="{stem}-400w.webp 400w, {stem}-800w.webp 800w' in byline


def test_listing_thumbnails_offer_their_small_copy(client, publish, uploads_dir):
    article = publish("Ketamine for migraine", "Ketamine and migraine.", tags=["Migraine"])
    article.featured_image = image((1600, 900), "A ward")
    db.session.commit()
    stem = f"/uploads/{article.featured_image.filename[:-4]}"
    pages = ["/", f"/category/{article.category.slug}/", "/tag/migraine/", f"/author/{article.author.slug}/"]
    for url in [*pages, "/search?q=ketamine"]:
        page = client.get(url).get_data(as_text=True)
        thumbnail = re.search(r'<picture><source[^>]*>\s*<img [^>]*class="thumbnail"[^>]*>', page).group(0)
        assert f'srcset="{stem}-400w.webp 400w, ' in thumbnail, url
        assert f'srcset="{stem}-400w.png 400w, ' in thumbnail and thumbnail.count('sizes="7.5rem"') == 2, url
