"""The newsroom's category and tag forms as a signed-in editor posts them, and rows read back after."""

from conftest import csrf_token

from blogapp.extensions import db


def post(client, url, **data):
    """Post `data` to `url` with the CSRF token a signed-in editor's browser would have."""
    return client.post(url, data={"csrf_token": csrf_token(client, "/admin/tags/"), **data})


def fresh(model, item_id):
    """Reload a row as the database has it now."""
    db.session.expire_all()
    return db.session.get(model, item_id)
