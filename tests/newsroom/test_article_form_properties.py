"""Random and hostile input to the article editor, preview and buttons: a refusal stores nothing, no script shown."""

import re
from urllib.parse import quote

from conftest import csrf_token
from hostile_input import (
    HOSTILE,
    assert_refusal_kept_everything,
    assert_shown,
    changes,
    datetimes,
    fresh_name,
    fuzz,
    has_nul,
    ids,
    long_text,
    numbers,
    overlay,
    published_site,
    signed_in,
    snapshot,
    unseeded_segment_names,
)
from hypothesis import given
from hypothesis import strategies as st
from servers import form_fields

from blogapp.content.revisions import latest_revision_id
from blogapp.extensions import db
from blogapp.models import ArticleStatus

_unseeded_segment_names = unseeded_segment_names()
admin = signed_in("admin")
editor = signed_in("editor")
site = published_site()


ARTICLE_FIELDS = ["title", "slug", "summary", "body", "category", "tags", "status", "published_at", "author"]
ARTICLE_FIELDS += ["references", "base_revision", "save", "preview"]
article_changes = changes(
    ARTICLE_FIELDS,
    title=st.text(min_size=1, max_size=40),
    slug=st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    body=st.just("x" * 500_001) | long_text,
    category=ids,
    author=ids,
    status=st.sampled_from([status.value for status in ArticleStatus]),
    published_at=datetimes,
)


@fuzz(60)
@given(role=st.sampled_from(["author", "editor"]), changed=article_changes)
def test_new_article_form_never_stores_a_refused_article(client, site, team, login, role, changed):
    login(team[role].email)
    fields = form_fields(client.get("/admin/articles/new").get_data(as_text=True))
    data = overlay({**fields, "title": fresh_name()}, changed)
    before = snapshot()
    response = client.post("/admin/articles/new", data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(client, response, data["title"].strip())
    elif has_nul(data):
        assert response.status_code == 400


@fuzz(50)
@given(changed=article_changes)
def test_edit_form_never_half_saves_an_article(editor, site, changed):
    url = f"/admin/articles/{site.created[0].id}/edit"
    data = overlay(form_fields(editor.get(url).get_data(as_text=True)), changed)
    before = snapshot()
    response = editor.post(url, data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(editor, response, data["title"].strip())


@fuzz(30)
@given(changed=changes(["body"], body=st.sampled_from(HOSTILE) | st.text()))
def test_preview_renders_only_sanitised_html(editor, changed):
    data = overlay({"csrf_token": csrf_token(editor), "body": ""}, changed)
    before = snapshot()
    response = editor.post("/admin/preview", data=data)
    assert response.status_code in (200, 400, 422)
    assert snapshot() == before
    if response.status_code == 200:
        assert not re.search(r"<script|<[^>]+\son\w+=|href=\"javascript:", response.get_data(as_text=True), re.I)


ACTIONS = ["articles/{a}/trash", "articles/{a}/review", "trash/{a}/restore", "trash/empty"]
ACTIONS += ["articles/{a}/revisions/{r}/restore"]


@fuzz(40)
@given(
    action=st.sampled_from(ACTIONS),
    article=st.sampled_from(["fresh", "fresh", "trashed"]) | st.integers(0, 99).map(str) | numbers,
    revision=st.sampled_from(["fresh"]) | ids,
    changed=changes(["confirm", "submit"]),
)
def test_article_buttons_change_nothing_when_refused(admin, site, action, article, revision, changed):
    db.session.expunge_all()  # the app may have deleted articles this session still holds, and reused their ids
    fresh = site(fresh_name())
    trashed = site(fresh_name())
    trashed.deleted_at = trashed.updated_at
    db.session.commit()
    a = {"fresh": fresh.id, "trashed": trashed.id}.get(article, article)
    r = latest_revision_id(fresh.id) if revision == "fresh" else revision
    url = "/admin/" + action.format(a=quote(str(a), safe=""), r=quote(str(r), safe=""))
    before = snapshot()
    response = admin.post(url, data=overlay({"csrf_token": csrf_token(admin)}, changed))
    assert_refusal_kept_everything(response, before)
