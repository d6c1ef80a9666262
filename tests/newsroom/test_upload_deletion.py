"""Deleting an image: editors only, never one an article shows; the row, the file and an audit event."""

import re

from audit_events import audit_events
from conftest import csrf_token
from upload_images import URL, image_bytes, originals, post_image, stored_files, upload_count

from blogapp.extensions import db
from blogapp.models import Upload


def uploaded(client) -> Upload:
    """Upload an image through the newsroom and return its row."""
    assert post_image(client, image_bytes("PNG"), "chart.png").status_code == 302
    db.session.expire_all()
    return db.session.scalars(db.select(Upload).order_by(Upload.id.desc())).first()


def delete(client, upload_id: int):
    return client.post(f"{URL}{upload_id}/delete", data={"csrf_token": csrf_token(client, URL)})


def test_editor_deletes_an_unused_image_and_it_is_recorded(client, team, login, uploads_dir):
    login(team["editor"].email)
    upload = uploaded(client)
    upload_id, filename = upload.id, upload.filename
    assert f"/admin/uploads/{upload_id}/delete" in client.get(URL).get_data(as_text=True)
    response = delete(client, upload_id)
    assert response.status_code == 302 and upload_count() == 0 and stored_files(uploads_dir) == []
    assert "Deleted chart.png." in client.get(URL).get_data(as_text=True)
    assert client.get(f"/uploads/{filename}").status_code == 404
    (deleted,) = audit_events("upload.deleted")
    assert (deleted.target_id, deleted.target_label, deleted.actor_email) == (
        upload_id,
        "chart.png",
        team["editor"].email,
    )
    assert deleted.detail["filename"] == filename
    assert delete(client, upload_id).status_code == 404


def test_an_image_an_article_shows_is_not_deleted(client, team, login, uploads_dir, publish):
    login(team["editor"].email)
    upload = uploaded(client)
    upload_id, filename = upload.id, upload.filename
    publish("Blood pressure explained", body=f"See ![chart](/uploads/{filename}).")
    assert delete(client, upload_id).status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert re.search(r"chart.png is not deleted: it is shown in “Blood pressure explained”", page)
    assert upload_count() == 1 and originals(uploads_dir) == [filename]
    assert audit_events("upload.deleted") == []


def test_authors_may_not_delete_images(client, team, login, uploads_dir):
    login(team["author"].email)
    upload_id = uploaded(client).id
    assert f"/admin/uploads/{upload_id}/delete" not in client.get(URL).get_data(as_text=True)
    assert delete(client, upload_id).status_code == 403
    assert upload_count() == 1 and len(originals(uploads_dir)) == 1
