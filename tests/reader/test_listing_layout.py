"""The listing pages' right column, topic pages without repeated labels, and tag pages' titles."""

import pytest
from lxml import html as lxml_html

from blogapp.extensions import db
from blogapp.reader import popularity


def page(client, url: str, status: int = 200):
    """Return the parsed page at `url`, checking its status."""
    response = client.get(url)
    assert response.status_code == status, url
    return lxml_html.fromstring(response.get_data(as_text=True))


def column(doc) -> dict[str, list[str]]:
    """Return the side column's lists by heading: their link texts."""
    (aside,) = doc.xpath("//aside[contains(@class, 'listing-sidebar')]")
    links = "following-sibling::ul[1]//a"
    return {h2.text_content(): [a.text_content() for a in h2.xpath(links)] for h2 in aside.xpath("h2")}


@pytest.mark.parametrize("url", ["/category/treatments/", "/tag/migraine/", "/author/ann-writer/"])
def test_listing_pages_show_recent_posts_and_topics_beside_the_list(client, publish, url):
    for n in range(7):
        publish(f"Migraine note {n}", tags=["migraine"], hours_ago=n + 1)
    lists = column(page(client, url))
    assert lists["Recent posts"] == [f"Migraine note {n}" for n in range(5)]
    assert lists["Popular topics"] == ["Treatments"]


def test_home_column_has_topics_but_not_the_articles_it_lists(client, publish):
    publish("Only article")
    assert column(page(client, "/")) == {"Popular topics": ["Treatments"]}


def test_column_lists_the_most_read_articles_once_someone_has_read_them(app, client, publish):
    first, second = publish("Read once"), publish("Read twice")
    publish("Never read")
    assert "Most read" not in column(page(client, "/"))  # a site nobody has read yet has no such list
    for slug in (first.slug, second.slug, second.slug):
        client.get(f"/articles/{slug}/")
    popularity.views(app).flush()
    publish("Newer")  # the list is worked out again with the content, as the cached pages are
    assert column(page(client, "/"))["Most read"] == ["Read twice", "Read once"]
    assert column(page(client, "/tag/unknown-yet/", 404))["Most read"] == ["Read twice", "Read once"]


def test_not_found_and_zero_result_pages_offer_recent_posts(client, publish):
    publish("Something to read")
    assert column(page(client, "/no-such-page/", 404))["Recent posts"] == ["Something to read"]
    assert column(page(client, "/search?q=zebrafinch"))["Recent posts"] == ["Something to read"]


def test_topic_page_does_not_repeat_its_topic_above_each_article(client, publish):
    publish("First"), publish("Second")
    doc = page(client, "/category/treatments/")
    assert len(doc.xpath("//div[@class='list']//article")) == 2
    assert not doc.xpath("//div[@class='list']//a[@class='category-link']")
    assert len(page(client, "/").xpath("//div[@class='list']//a[@class='category-link']")) == 2


def test_tag_page_has_a_capitalised_title_and_a_description(client, publish):
    publish("A", tags=["nicotine pouches"]), publish("B", tags=["nicotine pouches"])
    doc = page(client, "/tag/nicotine-pouches/")
    assert doc.xpath("string(//h1)") == "Nicotine pouches"
    assert doc.xpath("string(//title)").startswith("Nicotine pouches: articles tagged “nicotine pouches”")
    description = doc.xpath("string(//meta[@name='description']/@content)")
    assert description.startswith("2 articles about nicotine pouches from ")


def test_author_page_shows_credentials_when_the_author_has_them(client, publish):
    publish("Signed piece")
    publish.author.credentials = "RN, BSN · Registered nurse"
    db.session.commit()
    doc = page(client, "/author/ann-writer/")
    assert doc.xpath("string(//p[@class='credentials'])") == "RN, BSN · Registered nurse"
    publish.author.credentials = ""
    db.session.commit()
    assert not page(client, "/author/ann-writer/").xpath("//p[@class='credentials']")
