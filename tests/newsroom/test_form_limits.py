"""The editor's long forms: read for a signed-in member, refused unread for anyone else."""

from article_editor import article_named, write


def test_a_signed_in_editor_may_send_a_long_article(client, editor, publish):
    body = "Long careful text. " * 20_000  # 380 KB of body, 500 KB urlencoded: far past the anonymous limit
    response = write(client, publish, title="A long one", body=body)
    assert response.status_code == 302
    assert article_named("A long one").body.strip() == body.strip()


def test_the_same_long_form_is_refused_without_a_session(client, publish):
    response = client.post("/admin/articles/new", data={"title": "A long one", "body": "Long careful text. " * 20_000})
    assert response.status_code == 413
