"""Every post without a valid CSRF token, whatever its fields, is refused: nothing stored, still signed in."""

from conftest import PASSWORD, csrf_token
from hostile_input import (
    TAXONOMY_FIELDS,
    USER_FIELDS,
    changes,
    fresh_name,
    fuzz,
    overlay,
    published_site,
    signed_in,
    snapshot,
    unseeded_segment_names,
    value,
)
from hypothesis import given
from hypothesis import strategies as st

_unseeded_segment_names = unseeded_segment_names()
admin = signed_in("admin")
site = published_site()


POST_URLS = ["/login", "/logout", "/admin/articles/new", "/admin/articles/{a}/edit", "/admin/preview"]
POST_URLS += ["/admin/articles/{a}/review", "/admin/articles/{a}/trash", "/admin/trash/{a}/restore"]
POST_URLS += ["/admin/trash/empty", "/admin/articles/{a}/revisions/{a}/restore", "/admin/categories/"]
POST_URLS += ["/admin/categories/1/", "/admin/categories/1/merge", "/admin/tags/", "/admin/tags/1/"]
POST_URLS += ["/admin/tags/1/merge", "/admin/tags/1/delete", "/admin/users/", "/admin/users/1", "/admin/settings"]
POST_URLS += ["/admin/uploads/", "/admin/search/vocabulary", "/admin/search/vocabulary/restore"]
POST_URLS += ["/admin/uploads/", "/admin/search/best-bets/new", "/admin/search/best-bets/1/edit"]
POST_URLS += ["/admin/search/best-bets/1/delete"]


@fuzz(60)
@given(
    url=st.sampled_from(POST_URLS),
    token=st.none() | st.just("tampered") | value,
    changed=changes(TAXONOMY_FIELDS + USER_FIELDS),
)
def test_posts_without_a_valid_csrf_token_are_refused(admin, site, url, token, changed):
    fields = {"name": fresh_name(), "title": fresh_name(), "body": "Text", "category": "1", "status": "draft"}
    fields |= {"email": "new@example.org", "password": PASSWORD, "role": "admin", "merge-target": "2", "confirm": "y"}
    fields["rules"] = "champix, chantix"
    data = overlay(fields, changed)
    if token == "tampered":  # this session's own token with its last character changed
        real = csrf_token(admin)
        token = real[:-1] + ("A" if real[-1] != "A" else "B")
    if token is not None:
        data["csrf_token"] = token
    before = snapshot()
    response = admin.post(url.format(a=site.created[0].id), data=data)
    assert response.status_code == 400
    assert snapshot() == before
    assert admin.get("/admin/").status_code == 200  # still signed in
