"""Export/import of a portable archive, and backup/restore of the SQLite database."""

import io
import json

import pytest

from blogapp.extensions import db
from blogapp.models import Article
from blogapp.search import get_index


def snapshot(client) -> dict[str, str]:
    """What readers see: the listing pages, every article page and a few searches."""
    urls = ["/", "/?page=2", "/categories/", "/search?q=ketamine", "/search?q=sleep&sort=newest", "/feed.atom"]
    urls += [f"/articles/{slug}/" for slug in db.session.scalars(db.select(Article.slug).order_by(Article.slug))]
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, response.get_data(as_text=True))
    return pages


@pytest.fixture
def demo(client, runner, ctx):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0


def test_export_then_import_into_empty_instance_gives_same_site(app, client, runner, demo, tmp_path):
    before = snapshot(client)
    archive = tmp_path / "site.json"
    result = runner.invoke(args=["export", str(archive)])
    assert result.exit_code == 0 and "Exported 26 articles" in result.output
    data = json.loads(archive.read_text())
    assert data["format"] == "blogapp-export" and len(data["articles"]) == 26
    db.session.execute(db.delete(Article))
    db.session.commit()
    assert runner.invoke(args=["import", "archive", str(archive)]).exit_code == 1  # categories remain
    db.drop_all()
    db.create_all()
    get_index().create()  # a new, empty instance
    result = runner.invoke(args=["import", "archive", str(archive)])
    assert result.exit_code == 0, result.output
    after = snapshot(client)
    assert after.keys() == before.keys()
    for url in before:
        assert after[url] == before[url], url


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


def test_backup_and_restore_round_trip(app, client, runner, demo, tmp_path):
    before = snapshot(client)
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folder = result.output.strip().split(" to ")[-1]
    db.session.execute(db.delete(Article).where(Article.slug.like("c%")))
    db.session.commit()
    assert snapshot(client) != before
    result = runner.invoke(args=["restore", "--yes", folder])
    assert result.exit_code == 0, result.output
    assert "indexed 25 articles" in result.output
    after = snapshot(client)
    for url in before:
        assert after[url] == before[url], url


def test_restore_refuses_what_is_not_a_backup(runner, ctx, tmp_path):
    result = runner.invoke(args=["restore", "--yes", str(tmp_path)])
    assert result.exit_code == 1 and "not a blogapp backup" in result.output


def test_export_writes_valid_json_for_empty_site(ctx):
    from blogapp.archive import export_archive

    out = io.StringIO()
    assert export_archive(out) == 0
    assert json.loads(out.getvalue())["articles"] == []
