"""Pages in the newsroom: editors write, preview, publish, unpublish, trash, restore and delete; others may not."""

import pytest
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import Page, PageStatus, Redirect


def page_form(client, **fields) -> dict:
    """Return a valid page form post (a published page in the footer), with `fields` changed."""
    data = {"title": "About us", "slug": "", "body": "## Who we are\n\nA small team.", "status": "published",
            "in_footer": "y", "menu_order": "1", "save": "Save", "csrf_token": csrf_token(client, "/admin/pages/new")}
    return data | fields


def the_page(slug: str) -> Page:
    return db.session.scalar(db.select(Page).where(Page.slug == slug))


def test_editor_writes_a_page_that_readers_find_at_its_address(client, editor):
    response = client.post("/admin/pages/new", data=page_form(client))
    assert response.status_code == 302
    page = the_page("about-us")
    assert page.status == PageStatus.PUBLISHED and page.in_footer and page.menu_order == 1
    html = client.get("/about-us/").get_data(as_text=True)
    assert '<h2 id="s-who-we-are">Who we are</h2>' in html
    listing = client.get("/admin/pages/").get_data(as_text=True)
    assert "About us" in listing and f"/admin/pages/{page.id}/edit" in listing


def test_preview_renders_without_saving(client, editor):
    response = client.post("/admin/pages/new", data=page_form(client, body="**bold** <script>x()</script>",
                                                              preview="Preview", save=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>bold</strong>" in html and "<script>x()" not in html
    assert db.session.scalar(db.select(db.func.count(Page.id))) == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Give the page a title."),
        ({"slug": "About Us"}, "Use lower-case letters"),
        ({"slug": "articles"}, "site&#39;s own addresses"),
        ({"slug": "search"}, "site&#39;s own addresses"),
        ({"status": "secret"}, "Not a valid choice"),
        ({"menu_order": "lots"}, "Not a valid integer value"),
        ({"menu_order": "99999"}, "from -1000 to 1000"),
        ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, editor, fields, message):
    response = client.post("/admin/pages/new", data=page_form(client, **fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Page.id))) == 0


def test_a_slug_taken_by_another_page_or_an_old_address_is_refused(client, editor, publish):
    assert client.post("/admin/pages/new", data=page_form(client, slug="about")).status_code == 302
    again = client.post("/admin/pages/new", data=page_form(client, slug="about"))
    assert again.status_code == 422 and "Another page already has this slug." in again.get_data(as_text=True)
    article = publish("Hello world")
    db.session.add(Redirect(old_path="/hello-world/", article=article))
    db.session.commit()
    old = client.post("/admin/pages/new", data=page_form(client, slug="hello-world"))
    assert old.status_code == 422 and "old address" in old.get_data(as_text=True)
    made = client.post("/admin/pages/new", data=page_form(client, title="Hello world"))  # slug from the title
    assert made.status_code == 302 and the_page("hello-world-2") is not None


def test_publish_unpublish_trash_restore_and_delete(client, editor):
    client.post("/admin/pages/new", data=page_form(client, status="draft", slug="privacy"))
    page_id = the_page("privacy").id
    token = {"csrf_token": csrf_token(client, "/admin/pages/")}
    assert client.get("/privacy/").status_code == 404
    assert client.post(f"/admin/pages/{page_id}/publish", data=token).status_code == 302
    assert client.get("/privacy/").status_code == 200
    assert client.post(f"/admin/pages/{page_id}/unpublish", data=token).status_code == 302
    assert client.get("/privacy/").status_code == 404
    client.post(f"/admin/pages/{page_id}/publish", data=token)
    assert client.post(f"/admin/pages/{page_id}/trash", data=token).status_code == 302
    assert client.get("/privacy/").status_code == 404
    assert client.get(f"/admin/pages/{page_id}/edit").status_code == 404  # restore it first
    refused = client.post(f"/admin/pages/{page_id}/delete", data=token)
    assert refused.status_code == 422 and "Tick the box to confirm." in refused.get_data(as_text=True)
    assert client.post(f"/admin/pages/{page_id}/restore", data=token).status_code == 302
    assert client.get("/privacy/").status_code == 200  # with the status it had
    assert client.post(f"/admin/pages/{page_id}/delete", data=token | {"confirm": "y"}).status_code == 404
    client.post(f"/admin/pages/{page_id}/trash", data=token)
    assert client.post(f"/admin/pages/{page_id}/delete", data=token | {"confirm": "y"}).status_code == 302
    assert db.session.get(Page, page_id) is None


def test_edit_keeps_the_old_address_of_a_published_page(client, editor):
    client.post("/admin/pages/new", data=page_form(client, slug="about"))
    page_id = the_page("about").id
    form = client.get(f"/admin/pages/{page_id}/edit").get_data(as_text=True)
    assert 'value="about"' in form and "Who we are" in form
    response = client.post(f"/admin/pages/{page_id}/edit", data=page_form(client, slug="about-us", in_footer=""))
    assert response.status_code == 302
    assert client.get("/about/").location.endswith("/about-us/")
    assert "/about-us/" not in client.get("/").get_data(as_text=True).split("site-footer")[1]


def test_posts_without_a_csrf_token_are_refused(client, editor):
    client.post("/admin/pages/new", data=page_form(client, slug="about"))
    page_id = the_page("about").id
    assert client.post("/admin/pages/new", data=page_form(client, csrf_token="")).status_code == 400
    assert client.post(f"/admin/pages/{page_id}/trash").status_code == 400
    assert the_page("about").deleted_at is None


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_only_editors_and_admins_manage_pages(client, team, login, role):
    page = Page(title="About", slug="about", status="published")
    db.session.add(page)
    db.session.commit()
    login(team[role].email)
    for url in ("/admin/pages/", "/admin/pages/new", f"/admin/pages/{page.id}/edit"):
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/admin/")
    assert client.post(f"/admin/pages/{page.id}/unpublish", data={"csrf_token": token}).status_code == 403
    assert "Pages" not in client.get("/admin/").get_data(as_text=True).split("</nav>")[0]


def test_signed_out_visitors_are_sent_to_sign_in(client, ctx):
    assert client.get("/admin/pages/").status_code == 302
