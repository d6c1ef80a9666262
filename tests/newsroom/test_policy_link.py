"""The page linked under every article's disclaimer: the editorial policy by default, chosen in the settings."""

import re

from article_editor import form_of

from blogapp.content.pages import save_page
from blogapp.extensions import db
from blogapp.models import Page, PageStatus


def make_page(title: str, slug: str, status=PageStatus.PUBLISHED) -> None:
    """Save a page, not in the footer, through the page service and commit it."""
    save_page(Page(), title=title, slug=slug, body="How we work.", status=status, in_footer=False, menu_order=0)
    db.session.commit()


def disclaimer_links(html: str) -> list[tuple[str, str]]:
    """Return (href, text) of the links inside the article's disclaimer."""
    match = re.search(r'<p class="disclaimer">(.*?)</p>', html, re.S)
    assert match, "the article has its disclaimer"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(1))


def test_disclaimer_links_the_published_editorial_policy(client, publish):
    article = publish("Migraine basics")
    url = f"/articles/{article.slug}/"
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == []  # no such page yet
    make_page("Editorial policy", "editorial-policy", status=PageStatus.DRAFT)
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == []  # a draft is never linked
    make_page("How we work", "how-we-work")
    make_page("Editorial policy", "editorial-policy-2")
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == []  # only the chosen slug counts


def test_admin_chooses_the_page_or_none(client, publish, team, login):
    article = publish("Migraine basics")
    url = f"/articles/{article.slug}/"
    make_page("Editorial policy", "editorial-policy")
    make_page("How we work", "how-we-work")
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == [("/editorial-policy/", "Editorial policy")]
    login(team["admin"].email)
    data = form_of(client, "/admin/settings")
    assert data["policy_page"] == "editorial-policy"
    assert client.post("/admin/settings", data={**data, "policy_page": "how-we-work"}).status_code == 302
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == [("/how-we-work/", "How we work")]
    assert client.post("/admin/settings", data={**data, "policy_page": "no-such-page"}).status_code == 422
    assert client.post("/admin/settings", data={**data, "policy_page": ""}).status_code == 302
    assert disclaimer_links(client.get(url).get_data(as_text=True)) == []
