"""Saving in the editor on PostgreSQL when the server has closed the connections the app keeps in its pool."""

import pytest
from article_editor import article_named, write
from databases import TEST_DATABASE_URL
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from blogapp.extensions import db

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="a PostgreSQL server that closes connections")


def _pooled_pids() -> list[int]:
    """Return the server process ids of every connection the app's pool keeps (checking each out at once)."""
    connections = [db.engine.connect() for _ in range(max(db.engine.pool.checkedin(), 1))]
    pids = [connection.scalar(text("SELECT pg_backend_pid()")) for connection in connections]
    for connection in connections:
        connection.close()
    return pids


def _close_the_apps_connections(url: str, pids: list[int]) -> int:
    """End the app's pooled sessions, as a server restart or an idle-connection reaper does.

    Only those: the test harness's own connections to the database must outlive this test.
    """
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        ended = connection.scalar(
            text("SELECT count(pg_terminate_backend(pid)) FROM unnest(CAST(:pids AS integer[])) AS pid"),
            {"pids": pids},
        )
    engine.dispose()
    return ended


def test_save_after_the_server_closed_pooled_connections_is_saved_not_a_503(app, client, publish, editor):
    assert write(client, publish, title="Before the restart").status_code == 302  # the pool holds connections now
    db.session.close()
    url = db.engine.url.render_as_string(hide_password=False)
    assert _close_the_apps_connections(url, _pooled_pids()) >= 1
    response = write(client, publish, title="After the restart", status="published")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert article_named("After the restart") is not None
