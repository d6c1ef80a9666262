"""Feeds, sitemaps, robots.txt and the metadata search engines and social sites read."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from blogapp.models import ArticleStatus, Author, Category

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "data" / "schemas"


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("fmt, mimetype", [("rss", "application/rss+xml"), ("atom", "application/atom+xml")])
def test_site_feed_lists_latest_published_with_full_content(client, publish, fmt, mimetype):
    publish("Older", "Body with a [link](/articles/older/) & <b>bold</b>.", summary="Sum & more", hours_ago=5)
    publish("Newer", "Second body.", hours_ago=1)
    publish("Draft", status=ArticleStatus.DRAFT)
    publish("Future", status=ArticleStatus.SCHEDULED, hours_ago=-2)
    response, feed = parse_feed(client, f"/feed.{fmt}")
    assert response.mimetype == mimetype
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    older = feed.entries[1]
    assert older.link == "http://localhost/articles/older/"
    # RSS descriptions are HTML (feedparser returns it as such); Atom's summary is plain text.
    assert older.summary == {"rss": "Sum &amp; more", "atom": "Sum & more"}[fmt]
    assert 'href="http://localhost/articles/older/"' in older.content[0].value
    assert "<b>bold</b>" in older.content[0].value
    assert older.published_parsed is not None and older.author == "Ann Writer"


def test_feeds_per_category_tag_and_author(client, publish):
    other = Category(slug="other", name="Other", description="")
    bo = Author(slug="bo", name="Bo", bio="")
    publish("In treatments", tags=["sleep"])
    publish("Elsewhere", category=other, author=bo)
    for url, titles in (
        ("/category/treatments/feed.rss", ["In treatments"]),
        ("/tag/sleep/feed.atom", ["In treatments"]),
        ("/author/bo/feed.rss", ["Elsewhere"]),
    ):
        _, feed = parse_feed(client, url)
        assert [entry.title for entry in feed.entries] == titles
    assert client.get("/category/nope/feed.rss").status_code == 404
    assert client.get("/category/treatments/feed.json").status_code == 404


def test_feed_has_at_most_twenty_items(client, publish):
    for number in range(23):
        publish(f"Item {number}", hours_ago=number + 1)
    _, feed = parse_feed(client, "/feed.rss")
    assert len(feed.entries) == 20


def test_site_url_setting_makes_urls_absolute_behind_a_proxy(app, client, publish):
    app.config["SITE_URL"] = "https://notes.example.org/"
    publish("Proxied")
    _, feed = parse_feed(client, "/feed.atom")
    assert feed.entries[0].link == "https://notes.example.org/articles/proxied/"
    assert "Sitemap: https://notes.example.org/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)


def validate(xml: bytes, schema_name: str):
    if not SCHEMAS.is_dir():
        pytest.skip("../shared/data/schemas is not present")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / schema_name)))
    document = etree.fromstring(xml)
    schema.assertValid(document)
    return document


def test_sitemap_lists_every_public_page_and_is_valid(client, publish):
    publish("Mapped", tags=["sleep"])
    publish("Hidden draft", status=ArticleStatus.DRAFT)
    document = validate(client.get("/sitemap.xml").data, "sitemap.xsd")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = document.xpath("//s:loc/text()", namespaces=ns)
    for path in (
        "/",
        "/categories/",
        "/category/treatments/",
        "/tag/sleep/",
        "/author/ann-writer/",
        "/articles/mapped/",
    ):
        assert f"http://localhost{path}" in locs
    assert not any("hidden-draft" in loc for loc in locs)
    assert len(document.xpath("//s:lastmod", namespaces=ns)) >= 5


def test_large_sitemap_becomes_an_index_of_parts(app, client, publish):
    app.config["SITEMAP_MAX_URLS"] = 4
    for number in range(6):
        publish(f"Part {number}")
    index = validate(client.get("/sitemap.xml").data, "siteindex.xsd")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    parts = index.xpath("//s:loc/text()", namespaces=ns)
    # home, topics, one category, one author and six articles: 10 URLs in parts of 4
    assert parts == [f"http://localhost/sitemap-{n}.xml" for n in (1, 2, 3)]
    seen = []
    for n in (1, 2, 3):
        part = validate(client.get(f"/sitemap-{n}.xml").data, "sitemap.xsd")
        seen += part.xpath("//s:loc/text()", namespaces=ns)
    assert len(seen) == len(set(seen)) == 10
    assert client.get("/sitemap-4.xml").status_code == 404


def test_robots_txt_points_to_sitemap(client, ctx):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in body and "Disallow: /search" in body


def test_article_page_metadata(client, publish):
    article = publish("Meta article", "Body.", summary="A summary for search engines.", tags=["sleep"])
    html = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/articles/meta-article/">' in html
    assert '<meta name="description" content="A summary for search engines.">' in html
    assert '<meta property="og:title" content="Meta article">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'name="twitter:card"' in html and 'rel="alternate" type="application/rss+xml"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == ["MedicalWebPage", "Article"]
    assert data["headline"] == "Meta article" and data["author"]["name"] == "Ann Writer"
    assert data["datePublished"].endswith("Z") and data["publisher"]["name"]


def test_structured_data_cannot_break_out_of_its_script(client, publish):
    article = publish("</script><script>alert(1)</script>")
    html = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<script>" not in block and "\\u003c/script\\u003e" in block


def test_listing_pages_canonical_and_feeds(client, publish):
    for number in range(4):
        publish(f"Listed {number}", hours_ago=number + 1)
    html = client.get("/category/treatments/?page=2&utm_source=x").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/category/treatments/?page=2">' in html
    assert 'href="/category/treatments/feed.rss"' in html
    assert 'rel="canonical"' not in client.get("/search?q=listed").get_data(as_text=True)


def test_feeds_send_html_as_escaped_text_and_summaries_as_text(client, publish):
    publish(
        "Lines",
        "First line  \nsecond line\n\n![chart](/uploads/chart.png)",
        summary="Pain & <img src=x onerror=alert(1)>",
    )
    rss = etree.fromstring(client.get("/feed.rss").data)
    item = rss.find("channel/item")
    # Readers decode <description> as HTML: the plain-text summary must come out of that as text again.
    assert item.findtext("description") == "Pain &amp; &lt;img src=x onerror=alert(1)&gt;"
    encoded = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert "<br>" in encoded and '<img src="http://localhost/uploads/chart.png"' in encoded
    atom = etree.fromstring(client.get("/feed.atom").data)
    content = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content")
    assert content.get("type") == "html" and "<br>" in content.text and len(content) == 0
