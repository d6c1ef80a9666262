"""Reader pages: listings, article page, taxonomy pages, pagination and 404s."""

import re
import time
from datetime import timedelta

import pytest
from lxml import html as lxml_html

from blogapp.extensions import db
from blogapp.models import ArticleStatus, Author, Category, utcnow

TOC_BODY = "Intro.\n\n## Causes\n\nText.\n\n## Treatment\n\nText.\n\n### Medicines\n\nMore.\n\n## Outlook\n\nEnd."


def test_home_lists_newest_first(client, publish):
    publish("Older article", hours_ago=30)
    publish("Newer article", hours_ago=2)
    html = client.get("/").get_data(as_text=True)
    assert html.index("Newer article") < html.index("Older article")
    assert "Ann Writer" in html and "Treatments" in html


def test_home_paginates(client, publish):
    for number in range(5):
        publish(f"Article number {number}", hours_ago=number + 1)
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Article number 0" in first and "Article number 3" not in first
    assert "Article number 3" in second and "Article number 4" in second
    assert 'rel="next"' in first and 'rel="prev"' in second


@pytest.mark.parametrize("query, status", [("abc", 200), ("-1", 404), ("0", 404), ("3", 404), ("9999999999999", 404)])
def test_bad_page_numbers_never_500(client, publish, query, status):
    for number in range(4):
        publish(f"Paged {number}")
    assert client.get(f"/?page={query}").status_code == status
    assert client.get(f"/category/treatments/?page={query}").status_code == status


def test_empty_site_home_is_200(client, ctx):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles have been published yet" in response.get_data(as_text=True)


def test_article_page_shows_everything(client, publish):
    other = publish("Sibling article", hours_ago=3)
    article = publish(
        "Does ketamine help migraines?", TOC_BODY, summary="A short answer.", tags=["Ketamine", "migraine"]
    )
    html = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    assert "<h1>Does ketamine help migraines?</h1>" in html
    assert 'href="/category/treatments/"' in html
    assert 'By <a href="/author/ann-writer/">Ann Writer</a>' in html
    assert "1 min read" in html
    assert 'href="/tag/ketamine/"' in html and 'href="/tag/migraine/"' in html
    assert "In this article" in html and 'href="#s-causes"' in html and 'id="s-causes"' in html
    assert other.title in html  # among the related articles, so not again under "More in Treatments"
    assert "Recent posts" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" data-relative>', html)


def test_more_in_category_leaves_out_the_related_articles(client, publish):
    for n in range(8):
        publish(f"Ketamine for migraine, part {n}", "Ketamine and migraine: what trials found.", hours_ago=n + 2)
    article = publish("Ketamine for migraine, the summary", "Ketamine and migraine: what trials found.")
    doc = lxml_html.fromstring(client.get(f"/articles/{article.slug}/").get_data(as_text=True))
    related = doc.xpath("//section[@class='related']//a/@href")
    more = doc.xpath("//section[@class='more']//a/@href")
    assert related and more and not set(related) & set(more)
    assert len(more) == min(5, 8 - len(related))  # the list is still filled from the category's newest


def test_toc_needs_three_sections(client, publish):
    article = publish("Short piece", "Intro.\n\n## One\n\nText.\n\n## Two\n\nText.")
    assert "In this article" not in client.get(f"/articles/{article.slug}/").get_data(as_text=True)


def test_updated_date_only_when_later(client, publish):
    article = publish("Revised advice")
    assert "Updated" not in client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    article.updated_at = article.published_at + timedelta(days=3)
    db.session.commit()
    assert "Updated" in client.get(f"/articles/{article.slug}/").get_data(as_text=True)


def test_body_html_is_sanitised(client, publish):
    article = publish("Hostile", 'Hi <script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))')
    html = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
    assert "<script>alert" not in html and "onerror" not in html and 'href="javascript:' not in html


def test_drafts_and_future_articles_are_hidden(client, publish):
    draft = publish("Secret draft", status=ArticleStatus.DRAFT, hours_ago=5)
    future = publish("Future piece", status=ArticleStatus.SCHEDULED, hours_ago=-5)
    for url in ("/", "/category/treatments/", "/author/ann-writer/"):
        html = client.get(url).get_data(as_text=True)
        assert "Secret draft" not in html and "Future piece" not in html
    assert client.get(f"/articles/{draft.slug}/").status_code == 404
    assert client.get(f"/articles/{future.slug}/").status_code == 404


def test_scheduled_article_appears_when_its_time_comes(client, publish):
    article = publish("Timed release", status=ArticleStatus.SCHEDULED, hours_ago=-1.5 / 3600)
    assert client.get(f"/articles/{article.slug}/").status_code == 404
    time.sleep(2)
    assert client.get(f"/articles/{article.slug}/").status_code == 200
    assert "Timed release" in client.get("/").get_data(as_text=True)


def listed(html: str) -> list[str]:
    """Return the titles of the articles a listing page lists (not those of its side column)."""
    return [" ".join(a.text_content().split()) for a in lxml_html.fromstring(html).xpath("//div[@class='list']//h2/a")]


def test_category_tag_and_author_pages(client, publish):
    category = Category(slug="pain", name="Pain", description="Living with pain.")
    author = Author(slug="bo", name="Bo Nurse", bio="Nurse and writer.")
    publish("Back pain basics", category=category, author=author, tags=["back pain"])
    publish("Unrelated note")
    category_html = client.get("/category/pain/").get_data(as_text=True)
    assert "Living with pain." in category_html and listed(category_html) == ["Back pain basics"]
    assert listed(client.get("/tag/back-pain/").get_data(as_text=True)) == ["Back pain basics"]
    author_html = client.get("/author/bo/").get_data(as_text=True)
    assert "Nurse and writer." in author_html and listed(author_html) == ["Back pain basics"]
    assert "Unrelated note" in author_html  # in the column of recent posts beside the list
    listing = client.get("/categories/").get_data(as_text=True)
    assert "Pain" in listing and "1 article<" in listing


@pytest.mark.parametrize(
    "url", ["/articles/nope/", "/category/nope/", "/tag/nope/", "/author/nope/", "/no/such/page", "/articles/"]
)
def test_unknown_things_are_404_pages(client, ctx, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_every_page_has_header_search_and_landmarks(client, publish):
    article = publish("Landmarks")
    for url in ("/", f"/articles/{article.slug}/", "/categories/", "/category/treatments/", "/search?q=x", "/nope"):
        html = client.get(url).get_data(as_text=True)
        assert 'role="search"' in html and 'name="q"' in html, url
        assert "<main" in html and "<title>" in html and 'lang="en"' in html, url


def test_server_error_page(app, client, ctx):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_utcnow_is_naive_utc():
    assert utcnow().tzinfo is None


def test_old_addresses_redirect_permanently(client, publish):
    from blogapp.models import Redirect

    article = publish("Moved here")
    db.session.add_all(
        [
            Redirect(old_path="/?p=42", article_id=article.id),
            Redirect(old_path="/2019/05/01/moved/", article_id=article.id),
        ]
    )
    db.session.commit()
    for url in ("/?p=42", "/2019/05/01/moved/", "/2019/05/01/moved"):
        response = client.get(url)
        assert response.status_code == 301 and response.location.endswith("/articles/moved-here/"), url
    assert client.get("/?p=43").status_code == 404
    assert client.get("/2019/05/01/other/").status_code == 404


def test_links_follow_the_address_the_site_is_mounted_at(client, publish):
    article = publish("Mounted")
    assert f'href="/articles/{article.slug}/"' in client.get("/?from=root").get_data(as_text=True)
    mounted = client.get("/?from=prefix", base_url="http://localhost/blog").get_data(as_text=True)
    assert f'href="/blog/articles/{article.slug}/"' in mounted
