"""Search results show a small lazy thumbnail of each result's featured image, read with the results' links."""

import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage

from blogapp.content.raw_query import watch_statements
from blogapp.content.uploads import store_image
from blogapp.extensions import db


def png(size=(1000, 750)) -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 90)).save(out, "PNG")
    return FileStorage(io.BytesIO(out.getvalue()), "ward.png")


def test_results_show_featured_images_as_lazy_thumbnails_in_one_statement(app, client, publish, uploads_dir):
    pictured = publish("Migraine ward", "Migraine care on the ward.", hours_ago=1)
    publish("Migraine diary", "Keeping a migraine diary.", hours_ago=2)
    pictured.featured_image = store_image(png(), None, "A hospital ward")
    db.session.commit()
    with watch_statements(db.engine) as statements:
        page = client.get("/search?q=migraine").get_data(as_text=True)
    results = re.findall(
        r'<li class="result">\s*(.*?)\s*<h2 class="card-title"><a href="/articles/([a-z-]+)/', page, re.S
    )
    thumbnails = {slug: thumbnail for thumbnail, slug in results}
    assert len(thumbnails) == 2 and thumbnails["migraine-diary"] == ""
    stem = pictured.featured_image.filename[:-4]
    assert f'<source type="image/webp" srcset="/uploads/{stem}-400w.webp 400w' in thumbnails["migraine-ward"]
    img = re.search(r"<img [^>]*>", thumbnails["migraine-ward"]).group(0)
    assert 'class="thumbnail"' in img and 'loading="lazy"' in img and 'alt=""' in img and 'sizes="7.5rem"' in img
    assert 'width="1000" height="750"' in img
    assert sum("uploads" in statement for statement, _ in statements) == 1  # the links' statement, not one per result
