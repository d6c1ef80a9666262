"""Archives out of the ordinary: version 1, hostile upload names, broken files, no backup, an empty site."""

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from blogapp.extensions import db
from blogapp.models import Article, Revision, Upload


def test_archive_of_version_1_still_imports_with_one_revision_per_article(client, runner, ctx, tmp_path):
    archive = tmp_path / "old.json"
    archive.write_text(
        json.dumps(
            {
                "format": "blogapp-export",
                "version": 1,
                "categories": [{"slug": "sleep", "name": "Sleep", "description": ""}],
                "tags": [{"slug": "insomnia", "name": "Insomnia"}],
                "authors": [{"slug": "ann", "name": "Ann", "bio": ""}],
                "articles": [
                    {
                        "slug": "sleep-hygiene",
                        "title": "Sleep hygiene",
                        "summary": "What helps.",
                        "body": "Keep regular hours.",
                        "status": "published",
                        "published_at": "2024-01-02T03:04:05",
                        "created_at": "2024-01-01T00:00:00",
                        "updated_at": "2024-01-02T03:04:05",
                        "category": "sleep",
                        "author": "ann",
                        "tags": ["insomnia"],
                    }
                ],
            }
        )
    )
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0 and "Imported 1 articles, 1 revisions, 0 users" in result.output
    revision = db.session.scalar(select(Revision))
    assert revision.title == "Sleep hygiene" and revision.fields["tags"] == ["Insomnia"]
    assert client.get("/articles/sleep-hygiene/").status_code == 200


def test_upload_named_outside_the_uploads_folder_is_refused(app, runner, ctx, tmp_path):
    from blogapp.moving.export import export_archive

    out = io.StringIO()
    export_archive(out, app.config["UPLOADS_DIR"])
    data = json.loads(out.getvalue())
    data["uploads"] = [
        {
            "filename": "../escape.png",
            "content_type": "image/png",
            "width": 1,
            "height": 1,
            "size": 3,
            "uploaded_by": None,
            "created_at": "2024-01-01T00:00:00",
            "data": "AAAA",
        }
    ]
    archive = tmp_path / "evil.json"
    archive.write_text(json.dumps(data))
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 1 and "not a plain file name" in result.output
    assert not (Path(app.config["UPLOADS_DIR"]).parent / "escape.png").exists()
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not a JSON file"),
        ('{"format": "other"}', "not a blogapp-export"),
        ('{"format": "blogapp-export", "version": 1, "categories": []}', "incomplete or malformed"),
    ],
)
def test_bad_archive_is_rejected_and_nothing_written(runner, ctx, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = runner.invoke(args=["import", "archive", str(bad)])
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(db.select(db.func.count(Article.id))) == 0


def test_restore_refuses_what_is_not_a_backup(runner, ctx, tmp_path):
    result = runner.invoke(args=["restore", "--yes", str(tmp_path)])
    assert result.exit_code == 1 and "not a blogapp backup" in result.output


def test_export_writes_valid_json_for_empty_site(ctx, tmp_path):
    from blogapp.moving.export import export_archive

    out = io.StringIO()
    assert export_archive(out, str(tmp_path / "uploads")) == 0
    data = json.loads(out.getvalue())
    assert data["articles"] == data["users"] == data["uploads"] == data["settings"] == []
