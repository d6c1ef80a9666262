"""/healthz: 200 when the database answers, the index opens and keeps up with the log; else 503 and why, never 500."""

import os
import shutil
from datetime import timedelta

import pytest
from conftest import FreshContextClient
from sqlalchemy import update

from blogapp import create_app
from blogapp.extensions import db
from blogapp.models import SearchChange, utcnow
from blogapp.search import changelog, get_index


def log_unapplied(article_ids, *, age: timedelta) -> None:
    """Leave log entries as a process killed after its commit would (no session hook applies them)."""
    changelog.append(db.session.connection(), article_ids)
    db.session.execute(
        update(SearchChange).where(SearchChange.article_id.in_(article_ids)).values(changed_at=utcnow() - age)
    )
    db.session.commit()


def test_healthy_site_answers_200_with_index_and_log_position(client, publish):
    publish("Counted once")
    publish("Counted twice")
    client.get("/healthz")  # the first request applies leftovers; entries logged after it stay for this test
    log_unapplied([101, 102, 103], age=timedelta(seconds=20))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["search_index"] == {"ok": True, "documents": 2}
    assert body["log"]["pending"] == 3
    assert body["log"]["position"] == get_index().position() > 0
    assert 15 <= body["log"]["lag_seconds"] <= 60
    assert body["log"]["ok"] is True


def test_node_in_step_has_no_lag(client):
    body = client.get("/healthz").get_json()
    assert body["log"] == {"position": 0, "pending": 0, "lag_seconds": 0.0, "ok": True}


def test_node_lagging_past_the_bound_is_unavailable_until_it_catches_up(app, client, ctx):
    client.get("/healthz")
    log_unapplied([7], age=timedelta(seconds=app.config["SEARCH_MAX_LAG_SECONDS"] + 60))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["log"]["ok"] is False
    get_index().drain()
    assert client.get("/healthz").status_code == 200


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
    assert body["log"]["pending"] == 0


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
    assert body["log"]["pending"] is None
    with app.app_context():
        db.engine.dispose()


def test_database_without_tables_answers_503(tmp_path):
    app = _app_with_database(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == {"ok": True}
    assert "initialised" in body["log"]["error"]
    with app.app_context():
        db.engine.dispose()
