"""A page's history: every save and status change a revision, any two compared, an old one restored (editors)."""

import re

from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import Page, PageRevision


def save(client, url: str, **fields) -> None:
    """Post the page editor at `url` with a valid form, `fields` changed, and check it saved."""
    data = {"title": "About us", "slug": "about", "body": "First line.\n\nSecond line.", "status": "published",
            "in_footer": "y", "menu_order": "1", "save": "Save", "csrf_token": csrf_token(client, "/admin/pages/new")}
    response = client.post(url, data=data | fields)
    assert response.status_code == 302, response.get_data(as_text=True)


def revision_count(page_id: int) -> int:
    return db.session.scalar(db.select(db.func.count(PageRevision.id)).where(PageRevision.page_id == page_id))


def test_every_save_is_a_revision_that_can_be_compared_and_restored(client, editor):
    save(client, "/admin/pages/new")
    page = db.session.scalar(db.select(Page).where(Page.slug == "about"))
    edit = f"/admin/pages/{page.id}/edit"
    assert f"/admin/pages/{page.id}/revisions/" in client.get(edit).get_data(as_text=True)
    save(client, edit, body="First line.\n\nChanged line.")
    save(client, edit, title="About the team", slug="team", body="First line.\n\nChanged line.")
    listing = client.get(f"/admin/pages/{page.id}/revisions/").get_data(as_text=True)
    assert "Revisions of “About the team”" in listing and "Editor" in listing
    ids = sorted(int(i) for i in re.findall(r"/revisions/(\d+)/restore", listing))
    assert len(ids) == 2  # the two older revisions can be restored; the newest is current
    diff = client.get(f"/admin/pages/{page.id}/revisions/diff?a={ids[0]}&b={ids[0] + 2}").get_data(as_text=True)
    assert '<li class="removed"><span class="visually-hidden">Removed: </span>Second line.</li>' in diff
    assert '<li class="added"><span class="visually-hidden">Added: </span>Title: About the team</li>' in diff
    assert "Slug: team" in diff
    token = {"csrf_token": csrf_token(client, f"/admin/pages/{page.id}/revisions/")}
    assert client.post(f"/admin/pages/{page.id}/revisions/{ids[0]}/restore", data=token).status_code == 302
    db.session.expire_all()
    restored = db.session.get(Page, page.id)
    assert (restored.title, restored.slug, restored.body) == ("About us", "about", "First line.\n\nSecond line.")
    assert revision_count(page.id) == 4  # the restore is a revision of its own
    assert "Second line." in client.get("/about/").get_data(as_text=True)
    assert client.get("/team/").location.endswith("/about/")  # the address it had in between still leads there


def test_publishing_and_unpublishing_are_revisions(client, editor):
    save(client, "/admin/pages/new", status="draft")
    page_id = db.session.scalar(db.select(Page.id))
    token = {"csrf_token": csrf_token(client, "/admin/pages/")}
    client.post(f"/admin/pages/{page_id}/publish", data=token)
    client.post(f"/admin/pages/{page_id}/unpublish", data=token)
    statuses = db.session.scalars(db.select(PageRevision.fields).order_by(PageRevision.id))
    assert [fields["status"] for fields in statuses] == ["draft", "published", "draft"]


def test_bad_revision_addresses_are_404_and_restores_need_a_token(client, editor):
    save(client, "/admin/pages/new")
    page_id = db.session.scalar(db.select(Page.id))
    first = db.session.scalar(db.select(PageRevision.id))
    for url in (
        f"/admin/pages/{page_id}/revisions/diff?a={first}",
        f"/admin/pages/{page_id}/revisions/diff?a={first}&b=99999",
        f"/admin/pages/{page_id}/revisions/diff?a=-1&b={first}",
        f"/admin/pages/{page_id}/revisions/diff?a={2**40}&b={first}",
        f"/admin/pages/{page_id + 1}/revisions/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/pages/{page_id}/revisions/{first}/restore").status_code == 400
    assert revision_count(page_id) == 1


def test_only_editors_see_a_pages_history(client, author):
    assert client.get("/admin/pages/1/revisions/").status_code == 403
