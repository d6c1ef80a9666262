"""Managing categories and tags: who may, creating them, and the input and requests refused."""

import pytest
from conftest import csrf_token
from sqlalchemy import func, select
from taxonomy_forms import fresh, post

from blogapp.extensions import db
from blogapp.models import ArticleStatus, Category, Tag


def category_named(slug: str) -> Category:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def taxonomy_routes(category_id: int, tag_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/admin/categories/"),
        ("POST", "/admin/categories/"),
        ("GET", f"/admin/categories/{category_id}/"),
        ("POST", f"/admin/categories/{category_id}/"),
        ("POST", f"/admin/categories/{category_id}/merge"),
        ("GET", "/admin/tags/"),
        ("POST", "/admin/tags/"),
        ("GET", f"/admin/tags/{tag_id}/"),
        ("POST", f"/admin/tags/{tag_id}/"),
        ("POST", f"/admin/tags/{tag_id}/merge"),
        ("POST", f"/admin/tags/{tag_id}/delete"),
    ]


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_only_editors_manage_categories_and_tags(client, publish, team, login, role):
    article = publish("Tagged", tags=["sleep"])
    login(team[role].email)
    token = csrf_token(client, "/login")
    for method, url in taxonomy_routes(publish.category.id, article.tags[0].id):
        data = {"csrf_token": token, "name": "Hacked", "merge-target": "1", "merge-confirm": "y", "delete-confirm": "y"}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        assert response.status_code == 403, (method, url)
    assert fresh(Category, publish.category.id).name == "Treatments"
    assert db.session.scalar(select(func.count(Tag.id))) == 1


def test_anonymous_users_are_sent_to_sign_in(client, publish):
    article = publish("Tagged", tags=["sleep"])
    token = csrf_token(client, "/login")
    for method, url in taxonomy_routes(publish.category.id, article.tags[0].id):
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token, "name": "X"})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)


def test_admin_may_manage_categories(client, team, login, publish):
    login(team["admin"].email)
    html = client.get("/admin/categories/").get_data(as_text=True)
    assert "Treatments" in html and 'href="/admin/tags/"' in html


def test_editor_creates_category_and_tag(client, editor, ctx):
    response = post(client, "/admin/categories/", name="Heart health", slug="", description="Hearts.")
    assert response.status_code == 302
    assert category_named("heart-health").description == "Hearts."
    assert "Category “Heart health” created." in client.get("/admin/categories/").get_data(as_text=True)
    assert post(client, "/admin/tags/", name="Blood pressure", slug="bp").status_code == 302
    assert db.session.scalar(select(Tag.name).where(Tag.slug == "bp")) == "Blood pressure"


def test_category_list_counts_all_articles(client, editor, publish):
    publish("Live")
    publish("Draft", status=ArticleStatus.DRAFT)
    html = client.get("/admin/categories/").get_data(as_text=True)
    assert '<td class="num">2</td>' in html and "drafts" in html


def test_duplicate_slug_is_refused(client, editor, publish):
    response = post(client, "/admin/categories/", name="Other treatments", slug="treatments")
    assert response.status_code == 422
    assert "Another category already uses the slug" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Category.id))) == 1


def test_category_name_taken_in_any_case_is_refused_on_create_and_rename(client, editor, publish):
    response = post(client, "/admin/categories/", name="  TREATMENTS ", slug="treatments-again")
    assert response.status_code == 422
    assert "Another category is already called “Treatments”" in response.get_data(as_text=True)
    assert post(client, "/admin/categories/", name="Sleep", slug="").status_code == 302
    sleep = category_named("sleep")
    response = post(client, f"/admin/categories/{sleep.id}/", name="treatments", slug="sleep")
    assert response.status_code == 422 and "already called" in response.get_data(as_text=True)
    assert post(client, f"/admin/categories/{sleep.id}/", name="SLEEP", slug="sleep").status_code == 302


def test_tag_name_taken_in_any_case_is_refused_and_the_editor_reuses_it(client, editor, publish):
    assert post(client, "/admin/tags/", name="Sleep", slug="rest").status_code == 302
    response = post(client, "/admin/tags/", name=" SLEEP ", slug="sleep")
    assert response.status_code == 422
    assert "Another tag is already called “Sleep”" in response.get_data(as_text=True)
    article = publish("Night shifts", tags=["sleep", "Pain", "PAIN"])
    # "sleep" finds the tag by its name, though its slug was chosen by hand; "Pain" twice is one tag.
    assert sorted((tag.slug, tag.name) for tag in article.tags) == [("pain", "Pain"), ("rest", "Sleep")]
    assert db.session.scalar(select(func.count(Tag.id))) == 2


@pytest.mark.parametrize("slug", ["a/b", "..", "Héllo World!", "-edge", "two--hyphens"])
@pytest.mark.parametrize("url", ["/admin/categories/", "/admin/tags/"])
def test_bad_slugs_are_refused(client, editor, ctx, url, slug):
    response = post(client, url, name="Fine name", slug=slug)
    assert response.status_code == 422
    assert "Use only lowercase letters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Category.id))) == 0
    assert db.session.scalar(select(func.count(Tag.id))) == 0


@pytest.mark.parametrize("name", ["", "   ", "!!!"])
def test_name_without_letters_is_refused(client, editor, ctx, name):
    response = post(client, "/admin/categories/", name=name, slug="")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Category.id))) == 0


def test_unknown_ids_are_not_found(client, editor, ctx):
    assert client.get("/admin/categories/999/").status_code == 404
    assert client.get("/admin/tags/999/").status_code == 404
    token = csrf_token(client, "/admin/tags/")
    assert client.post("/admin/tags/999/delete", data={"csrf_token": token, "delete-confirm": "y"}).status_code == 404


def test_post_without_csrf_token_changes_nothing(client, editor, publish):
    tag_id = publish("Night shifts", tags=["sleep"]).tags[0].id
    assert client.post("/admin/categories/", data={"name": "Sneaky"}).status_code == 400
    assert client.post(f"/admin/categories/{publish.category.id}/", data={"name": "Sneaky"}).status_code == 400
    assert client.post(f"/admin/tags/{tag_id}/delete", data={"delete-confirm": "y"}).status_code == 400
    assert db.session.scalar(select(func.count(Category.id))) == 1
    assert fresh(Category, publish.category.id).name == "Treatments"
    assert fresh(Tag, tag_id) is not None
