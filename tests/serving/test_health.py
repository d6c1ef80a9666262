"""/healthz: 200 when the database answers and the index opens, 503 with the reason otherwise, never 500."""

import os
import shutil
from datetime import timedelta

import pytest
from conftest import FreshContextClient
from sqlalchemy import func, select

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import SearchQueueItem, utcnow
from blogapp.search import get_index
from blogapp.serving.health import QUEUE_MAX_AGE_SECONDS


def queue_rows(article_ids, *, age: timedelta) -> None:
    """Leave queued index changes as a process killed after its commit would (no session hook drains them)."""
    db.session.add_all(SearchQueueItem(article_id=i, queued_at=utcnow() - age) for i in article_ids)
    db.session.commit()


def test_healthy_site_answers_200_with_index_and_queue(client, publish):
    publish("Counted once")
    publish("Counted twice")
    client.get("/healthz")  # the first request drains leftovers; rows queued after it stay for this test
    queue_rows([101, 102, 103], age=timedelta(minutes=2))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["search_index"] == {"ok": True, "documents": 2}
    assert body["queue"]["pending"] == db.session.scalar(select(func.count(SearchQueueItem.id))) == 3
    assert 115 <= body["queue"]["oldest_seconds"] <= 180
    assert body["queue"]["ok"] is True


def test_empty_queue_has_no_age(client):
    body = client.get("/healthz").get_json()
    assert body["queue"] == {"pending": 0, "oldest_seconds": None, "ok": True}


def test_very_old_queue_is_flagged_but_keeps_serving(client, ctx):
    client.get("/healthz")
    queue_rows([7], age=timedelta(seconds=QUEUE_MAX_AGE_SECONDS + 60))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["queue"]["ok"] is False


def test_healthz_is_not_taken_by_the_old_address_route(app):
    assert app.url_map.bind("localhost").match("/healthz") == ("health.healthz", {})


def test_deleted_index_answers_503(app, client):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": True}
    assert body["search_index"]["ok"] is False
    assert "search rebuild" in body["search_index"]["error"]
    assert body["queue"]["pending"] == 0


def test_corrupt_index_answers_503(app, client):
    folder = app.config["SEARCH_INDEX_DIR"]
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "wb") as damaged:
            damaged.write(b"not a whoosh file" * 8)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["search_index"]["ok"] is False
    assert body["database"]["ok"] is True


def _app_with_database(tmp_path, uri: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": uri,
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SEARCH_SYNONYMS_FILE": str(tmp_path / "synonyms.txt"),
        }
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = FreshContextClient
    with app.app_context():
        get_index().create()
    return app


@pytest.mark.parametrize("kind", ["missing directory", "not a database"])
def test_unreachable_database_answers_503(tmp_path, kind):
    if kind == "missing directory":
        path = tmp_path / "no-such-directory" / "blog.sqlite"
    else:
        path = tmp_path / "garbage.sqlite"
        path.write_bytes(b"this is not an SQLite database\n" * 200)
    app = _app_with_database(tmp_path, f"sqlite:///{path}")

    response = app.test_client().get("/healthz")  # TESTING propagates exceptions: a 500 would raise here

    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is False
    assert "did not answer" in body["database"]["error"]
    assert body["search_index"] == {"ok": True, "documents": 0}
    assert body["queue"]["pending"] is None
    with app.app_context():
        db.engine.dispose()


def test_database_without_tables_answers_503(tmp_path):
    app = _app_with_database(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == {"ok": True}
    assert "initialised" in body["queue"]["error"]
    with app.app_context():
        db.engine.dispose()
