"""WordPress attachments: a copy of wp-content/uploads brings them along; without one they are counted as skipped."""

from io import BytesIO

from PIL import Image
from wordpress_exports import WXR, article, needs_shared_exports, run

from blogapp.content.uploads import FILENAME_PATTERN
from blogapp.extensions import db
from blogapp.models import Category, Upload

pytestmark = needs_shared_exports
SITETITLE = WXR / "sitetitle.wordpress.2025-01-19.000.xml"
# Files the WordPress.com export's attachments name (by URL or _wp_attached_file), as wp-content/uploads holds them.
FILES = [
    "2025/01/0565b-tt4_post_1.jpg",
    "2025/01/1ceb1-tt4_post_2.jpg",
    "2025/01/a-bright-night-sky-full-of-stars-and-the-milky.png",
]


def media_folder(tmp_path):
    """Write small real images where a copy of wp-content/uploads would hold them, plus a file that is not one."""
    folder = tmp_path / "wp-content-uploads"
    for index, name in enumerate(FILES):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        out = BytesIO()
        Image.new("RGB", (40 + index, 30), "teal").save(out, "PNG" if name.endswith(".png") else "JPEG")
        (folder / name).write_bytes(out.getvalue())
    (folder / "2025/01/a-bright-night-sky-full-of-stars-viewed-from-a.png").write_text("<?php echo 1; ?>")
    return folder


def test_without_media_folder_attachments_are_counted_as_skipped(runner, ctx, uploads_dir):
    result = run(runner, SITETITLE)
    assert result.exit_code == 0, result.output
    assert "skipped (attachment, no --media folder given): 6" in result.output
    assert "featured images skipped without media: 3" in result.output
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_media_folder_brings_attachments_featured_images_and_new_links(client, runner, ctx, tmp_path, uploads_dir):
    result = run(runner, SITETITLE, "--media", str(media_folder(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "attachments imported: 3" in result.output and "featured images set: 2" in result.output
    assert "attachment file not in the media folder): 2" in result.output
    assert "attachment refused: This file is not a PNG, JPEG, WebP or GIF image" in result.output
    uploads = {upload.original_name: upload for upload in db.session.scalars(db.select(Upload))}
    assert set(uploads) == {name.rsplit("/", 1)[1] for name in FILES}
    assert article("the-art-of-connection").featured_image is uploads["0565b-tt4_post_1.jpg"]
    post = article("blog-post-1")
    new_url = f"/uploads/{uploads['a-bright-night-sky-full-of-stars-and-the-milky.png'].filename}"
    assert new_url in post.body_html and "wordpress.com/wp-content/uploads" not in post.body_html
    assert client.get(new_url).status_code == 200
    again = run(runner, SITETITLE, "--media", str(tmp_path / "wp-content-uploads"))
    assert "attachments already imported: 3" in again.output and "Imported 0 posts" in again.output, again.output
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 3
    stored = {path.name for path in uploads_dir.iterdir()}
    assert {name for name in stored if FILENAME_PATTERN.fullmatch(name) and not name.endswith(".webp")} == {
        upload.filename for upload in uploads.values()
    }
    assert {upload.filename.rsplit(".", 1)[0] + ".webp" for upload in uploads.values()} <= stored  # WebP copies


def test_failed_import_leaves_no_stored_files(runner, ctx, tmp_path, uploads_dir):
    broken = tmp_path / "broken.xml"
    broken.write_text(SITETITLE.read_text(encoding="utf-8").replace("<wp:wxr_version>", "<wp:wxr_version>x"))
    result = run(runner, broken, "--media", str(media_folder(tmp_path)))
    assert result.exit_code == 1 and "Nothing imported" in result.output
    assert list(uploads_dir.glob("*.*")) == []


def test_categories_sharing_a_name_become_one(runner, ctx, tmp_path):
    text = SITETITLE.read_text(encoding="utf-8")
    export = tmp_path / "names.xml"
    export.write_text(text.replace("<![CDATA[Uncategorized]]>", "<![CDATA[FOO]]>"), encoding="utf-8")
    result = run(runner, export)
    assert result.exit_code == 0 and "categories sharing a name merged: 1" in result.output, result.output
    assert db.session.scalars(db.select(Category.slug)).all() == ["foo"]
