"""Hostile input to the taxonomy, user, settings and upload forms and any number field: refusals store nothing."""

import io

import pytest
from conftest import csrf_token
from hostile_input import (
    TAXONOMY_FIELDS,
    USER_FIELDS,
    assert_nothing_injected,
    assert_refusal_kept_everything,
    assert_shown,
    changes,
    emails,
    for_each,
    fresh_name,
    fuzz,
    ids,
    numbers,
    overlay,
    published_site,
    signed_in,
    snapshot,
    unseeded_segment_names,
    value,
)
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from servers import form_fields
from werkzeug.datastructures import MultiDict

from blogapp.content import taxonomy
from blogapp.extensions import db
from blogapp.models import Role

_unseeded_segment_names = unseeded_segment_names()
admin = signed_in("admin")
editor = signed_in("editor")
author = signed_in("author")
site = published_site()


taxonomy_changes = changes(
    TAXONOMY_FIELDS, name=st.text(min_size=1, max_size=20), slug=st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)
)


TAXONOMY_FORMS = {
    "categories": (taxonomy.create_category, ["", "merge"]),
    "tags": (taxonomy.create_tag, ["", "merge", "delete"]),
}


@pytest.mark.parametrize("kind", TAXONOMY_FORMS)
@fuzz(60)
@given(choice=st.integers(0, 2), create=st.booleans(), changed=taxonomy_changes, target=ids)
def test_taxonomy_forms_store_nothing_they_refuse(editor, site, kind, choice, create, changed, target):
    make, actions = TAXONOMY_FORMS[kind]
    action = actions[choice % len(actions)]
    item = make(fresh_name())
    db.session.commit()
    url = f"/admin/{kind}/" if create else f"/admin/{kind}/{item.id}/{action}"
    data = overlay({"csrf_token": csrf_token(editor), "name": fresh_name(), "merge-target": target}, changed)
    before = snapshot()
    response = editor.post(url, data=data)
    if assert_refusal_kept_everything(response, before) and (create or not action):  # a name left out is kept
        assert_shown(editor, response, data.get("name", item.name).strip())
    assert_nothing_injected(response)


user_changes = changes(
    USER_FIELDS,
    email=emails,
    name=st.text(min_size=1, max_size=20),
    role=st.sampled_from([role.value for role in Role]),
    password=st.text(min_size=10, max_size=20),
)


@fuzz(50)
@given(target=st.sampled_from(["new", "admin", "author", "nobody"]), changed=user_changes)
def test_user_forms_store_nothing_they_refuse(admin, team, target, changed):
    url = {"new": "/admin/users/", "nobody": "/admin/users/999"}.get(target) or f"/admin/users/{team[target].id}"
    data = overlay({"csrf_token": csrf_token(admin), "role": "author", "active": "y", "name": "New Person"}, changed)
    before = snapshot()
    response = admin.post(url, data=data)
    if assert_refusal_kept_everything(response, before) and target == "new":
        assert_shown(admin, response, data["email"].strip().lower())
    assert admin.get("/admin/users/").status_code == 200  # the admin never loses their own access


@fuzz(40)
@given(changed=changes(["disclaimer", "review_due_months", "submit"], review_due_months=numbers))
def test_settings_form_stores_only_valid_settings(admin, changed):
    data = overlay(form_fields(admin.get("/admin/settings").get_data(as_text=True)), changed)
    before = snapshot()
    response = admin.post("/admin/settings", data=data)
    if assert_refusal_kept_everything(response, before):
        assert_shown(admin, response, data["disclaimer"].strip())


NUMBER_FIELDS = [
    ("/admin/categories/{category}/merge", "merge-target"),
    ("/admin/tags/{tag}/merge", "merge-target"),
    ("/admin/articles/new", "category"),
    ("/admin/articles/new", "author"),
    ("/admin/articles/{article}/edit", "base_revision"),
    ("/admin/settings", "review_due_months"),
]


@fuzz(40)
@for_each("target", NUMBER_FIELDS, number=str(2**63))
@for_each("target", NUMBER_FIELDS, number="²")
@given(target=st.sampled_from(NUMBER_FIELDS), number=numbers)
def test_number_fields_take_any_number(admin, site, target, number):
    owners = {"category": taxonomy.create_category(fresh_name()), "tag": taxonomy.create_tag(fresh_name())}
    db.session.commit()
    address, field = target
    url = address.format(article=site.created[0].id, **{kind: item.id for kind, item in owners.items()})
    if field == "merge-target":
        data = MultiDict({"csrf_token": csrf_token(admin), "merge-confirm": "y"})
    else:
        data = MultiDict({**form_fields(admin.get(url).get_data(as_text=True)), "title": fresh_name()})
    data[field] = number
    before = snapshot()
    response = admin.post(url, data=data)
    assert_refusal_kept_everything(response, before)


def png_bytes() -> bytes:
    """Return a tiny, valid PNG image."""
    out = io.BytesIO()
    Image.new("RGB", (3, 2), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


files = st.binary(max_size=200) | st.just(png_bytes()) | st.binary(max_size=40).map(lambda tail: png_bytes() + tail)


@fuzz(40)
@given(
    content=st.lists(st.tuples(files, value), max_size=2),
    field=st.sampled_from(["image", "other"]),
    changed=changes(["image", "alt_text"]),
)
def test_upload_form_stores_an_image_or_nothing(app, author, tmp_path, content, field, changed):
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    data = overlay({"csrf_token": csrf_token(author), "alt_text": "A chart"}, changed)
    for blob, filename in content:
        data.add(field, (io.BytesIO(blob), filename))
    stored = set((tmp_path / "uploads").glob("*"))
    before = snapshot()
    response = author.post("/admin/uploads/", data=data, content_type="multipart/form-data")
    accepted = assert_refusal_kept_everything(response, before)
    new = set((tmp_path / "uploads").glob("*")) - stored
    assert len([path for path in new if path.suffix != ".webp"]) == (1 if accepted else 0)  # beside its WebP copy
