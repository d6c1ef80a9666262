"""Renaming, merging and deleting categories and tags: old addresses redirect, articles and search follow."""

import pytest
from sqlalchemy import func, select
from taxonomy_forms import fresh, post

from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Category, Redirect, Tag, article_tags
from blogapp.search import get_index


def search_html(client, query: str) -> str:
    """Return the search page for `query` once every queued index change is applied."""
    get_index().wait_for_retry(5)
    assert get_index().pending() == 0
    return client.get("/search", query_string={"q": query}).get_data(as_text=True)


def test_renamed_category_redirects_from_every_old_slug(client, editor, publish):
    category_id = publish.category.id
    url = f"/admin/categories/{category_id}/"
    assert post(client, url, name="Therapies", slug="therapies").status_code == 302
    assert post(client, url, name="Care", slug="care").status_code == 302
    for old in ("treatments", "therapies"):
        response = client.get(f"/category/{old}/")
        assert response.status_code == 301
        assert response.headers["Location"] == "/category/care/"
    assert client.get("/category/care/").status_code == 200


def test_taking_back_an_old_slug_serves_the_live_page(client, editor, publish):
    url = f"/admin/categories/{publish.category.id}/"
    post(client, url, name="Therapies", slug="therapies")
    assert post(client, url, name="Treatments", slug="treatments").status_code == 302
    assert client.get("/category/treatments/").status_code == 200
    assert client.get("/category/therapies/").headers["Location"] == "/category/treatments/"
    paths = db.session.scalars(select(Redirect.old_path)).all()
    assert paths == ["/category/therapies/"]


def test_category_rename_is_searchable(client, editor, publish):
    publish("Patch guide", "About patches.")
    post(client, f"/admin/categories/{publish.category.id}/", name="Smoking cessation", slug="")
    assert "1 result" in search_html(client, "cessation")


def test_merging_categories_moves_articles_and_addresses(client, editor, publish):
    target = Category(slug="care", name="Hospice care")
    db.session.add(target)
    db.session.commit()
    first, draft = publish("Patch guide"), publish("Draft guide", status=ArticleStatus.DRAFT)
    source_id, target_id = publish.category.id, target.id
    post(client, f"/admin/categories/{source_id}/", name="Therapies", slug="therapies")
    response = post(client, f"/admin/categories/{source_id}/merge", **{"merge-target": target_id, "merge-confirm": "y"})
    assert response.status_code == 302
    assert fresh(Category, source_id) is None
    assert {fresh(Article, a.id).category_id for a in (first, draft)} == {target_id}
    for old in ("treatments", "therapies"):
        assert client.get(f"/category/{old}/").headers["Location"] == "/category/care/"
    assert "1 result" in search_html(client, "hospice")


@pytest.mark.parametrize("target", ["self", "9999", "nonsense", ""])
def test_bad_merge_target_is_refused(client, editor, publish, target):
    publish("Patch guide")
    other = Category(slug="care", name="Care")
    db.session.add(other)
    db.session.commit()
    source_id = publish.category.id
    target_id = str(source_id) if target == "self" else target
    response = post(client, f"/admin/categories/{source_id}/merge", **{"merge-target": target_id, "merge-confirm": "y"})
    assert response.status_code == 422
    assert fresh(Category, source_id) is not None
    assert db.session.scalar(select(func.count(Article.id)).where(Article.category_id == source_id)) == 1


def test_merge_needs_the_confirmation_box(client, editor, publish):
    other = Category(slug="care", name="Care")
    db.session.add(other)
    db.session.commit()
    response = post(client, f"/admin/categories/{publish.category.id}/merge", **{"merge-target": other.id})
    assert response.status_code == 422
    assert "Tick the box to confirm." in response.get_data(as_text=True)
    assert fresh(Category, publish.category.id) is not None


def test_last_category_cannot_be_deleted(client, editor, publish):
    html = client.get(f"/admin/categories/{publish.category.id}/").get_data(as_text=True)
    assert "This is the only category" in html
    data = {"merge-target": publish.category.id, "merge-confirm": "y"}
    assert post(client, f"/admin/categories/{publish.category.id}/merge", **data).status_code == 422
    assert fresh(Category, publish.category.id) is not None


def test_tag_rename_redirects_and_is_searchable(client, editor, publish):
    article = publish("Night shifts", tags=["sleep"])
    tag_id = article.tags[0].id
    assert post(client, f"/admin/tags/{tag_id}/", name="Insomnia", slug="insomnia").status_code == 302
    assert client.get("/tag/sleep/").headers["Location"] == "/tag/insomnia/"
    assert "1 result" in search_html(client, "insomnia")


def test_tag_merge_gives_each_article_the_target_once(client, editor, publish):
    both = publish("Both tags", tags=["sleep", "insomnia"])
    only_source = publish("Only source", tags=["sleep"])
    source = db.session.scalar(select(Tag).where(Tag.slug == "sleep"))
    target = db.session.scalar(select(Tag).where(Tag.slug == "insomnia"))
    source_id, target_id = source.id, target.id
    response = post(client, f"/admin/tags/{source_id}/merge", **{"merge-target": target_id, "merge-confirm": "y"})
    assert response.status_code == 302
    assert fresh(Tag, source_id) is None
    rows = db.session.execute(select(article_tags.c.article_id, article_tags.c.tag_id)).all()
    assert sorted(rows) == sorted([(both.id, target_id), (only_source.id, target_id)])
    assert client.get("/tag/sleep/").headers["Location"] == "/tag/insomnia/"
    assert "2 results" in search_html(client, "insomnia")


def test_tag_cannot_merge_into_itself(client, editor, publish):
    tag_id = publish("Night shifts", tags=["sleep"]).tags[0].id
    response = post(client, f"/admin/tags/{tag_id}/merge", **{"merge-target": tag_id, "merge-confirm": "y"})
    assert response.status_code == 422
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert fresh(Tag, tag_id) is not None


def test_tag_delete_takes_it_off_articles(client, editor, publish):
    article = publish("Night shifts", tags=["sleep"])
    tag_id = article.tags[0].id
    assert post(client, f"/admin/tags/{tag_id}/delete").status_code == 422  # the box was not ticked
    assert fresh(Tag, tag_id) is not None
    assert post(client, f"/admin/tags/{tag_id}/delete", **{"delete-confirm": "y"}).status_code == 302
    assert fresh(Tag, tag_id) is None
    assert fresh(Article, article.id).tags == []
    assert client.get("/tag/sleep/").status_code == 404
