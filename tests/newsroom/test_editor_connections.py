"""Saving in the editor on PostgreSQL when the server has closed the connections the app keeps in its pool."""

import pytest
from article_editor import article_named, write
from databases import TEST_DATABASE_URL
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from blogapp.extensions import db

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="a PostgreSQL server that closes connections")


def _close_the_apps_connections(url: str) -> int:
    """End every other session on the app's database, as a server restart or an idle-connection reaper does."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        ended = connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()
    return ended


def test_save_after_the_server_closed_pooled_connections_is_saved_not_a_503(app, client, publish, editor):
    assert write(client, publish, title="Before the restart").status_code == 302  # the pool holds connections now
    db.session.close()
    assert _close_the_apps_connections(str(db.engine.url.render_as_string(hide_password=False))) >= 1
    response = write(client, publish, title="After the restart", status="published")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert article_named("After the restart") is not None
