"""Archives carry author photos (by upload file name) and merge tags whose names differ only in case."""

import io
import json
import shutil

from conftest import csrf_token
from PIL import Image

from blogapp.extensions import db
from blogapp.models import Article, Author, Redirect, Tag, Upload
from blogapp.search import get_index


def test_author_photo_survives_export_and_import(app, client, runner, team, login, uploads_dir, tmp_path):
    author = team["author"]
    login(author.email)
    png = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 60, 90)).save(png, "PNG")
    png.seek(0)
    form = {"image": (png, "me.png"), "alt_text": "Portrait", "csrf_token": csrf_token(client, "/admin/uploads/")}
    assert client.post("/admin/uploads/", data=form, content_type="multipart/form-data").status_code == 302
    photo = db.session.scalar(db.select(Upload))
    url = "/admin/account/photo"
    assert client.post(url, data={"photo": str(photo.id), "csrf_token": csrf_token(client, url)}).status_code == 302
    archive = tmp_path / "site.json"
    assert runner.invoke(args=["export", str(archive)]).exit_code == 0
    slug, filename = author.author.slug, photo.filename
    assert {a["slug"]: a["photo"] for a in json.loads(archive.read_text())["authors"]}[slug] == filename
    db.session.remove()
    db.drop_all()
    db.create_all()
    get_index().create()
    shutil.rmtree(app.config["UPLOADS_DIR"])
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(db.select(Author).where(Author.slug == slug))
    assert imported.photo is not None and imported.photo.filename == filename
    page = client.get(f"/author/{slug}/").get_data(as_text=True)
    assert f'src="/uploads/{filename}"' in page and client.get(f"/uploads/{filename}").status_code == 200


def article(slug: str, tags: list[str]) -> dict:
    return {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "summary": "What helps.",
        "body": "Keep regular hours.",
        "status": "published",
        "published_at": "2024-01-02T03:04:05",
        "created_at": "2024-01-01T00:00:00",
        "updated_at": "2024-01-02T03:04:05",
        "category": "health",
        "author": "ann",
        "tags": tags,
    }


def test_tags_differing_only_in_case_are_merged_into_the_first(client, runner, ctx, tmp_path):
    archive = tmp_path / "old.json"
    archive.write_text(
        json.dumps(
            {
                "format": "blogapp-export",
                "version": 3,
                "categories": [{"slug": "health", "name": "Health", "description": ""}],
                "tags": [{"slug": "sleep", "name": "Sleep"}, {"slug": "sleep-2", "name": "sleep"}],
                "authors": [{"slug": "ann", "name": "Ann", "bio": ""}],  # no photo: written before photos
                "articles": [
                    article("naps", ["sleep"]),
                    article("night-shifts", ["sleep-2"]),
                    article("insomnia", ["sleep-2", "sleep"]),
                ],
                "redirects": [{"old_path": "/tag/rest/", "tag": "sleep-2"}],
            }
        )
    )
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Merged tags whose names differ only in case: sleep-2 into Sleep." in result.output
    assert "and 2 old addresses" in result.output
    tag = db.session.scalars(db.select(Tag)).one()
    assert (tag.slug, tag.name) == ("sleep", "Sleep")
    assert all(a.tags == [tag] for a in db.session.scalars(db.select(Article)))
    assert {r.old_path: r.tag for r in db.session.scalars(db.select(Redirect))} == {
        "/tag/rest/": tag,
        "/tag/sleep-2/": tag,
    }
    assert client.get("/tag/sleep-2/").location.endswith("/tag/sleep/")
    assert client.get("/tag/rest/").location.endswith("/tag/sleep/")
    assert "Night shifts" in client.get("/tag/sleep/").get_data(as_text=True)
