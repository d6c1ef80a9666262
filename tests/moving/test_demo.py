"""The demo content is complete, varied and self-consistent."""

import re

from sqlalchemy import func, select

from blogapp.content.references import identifier_url
from blogapp.extensions import db
from blogapp.models import Upload
from blogapp.moving.demo import DEMO_DIR, demo_articles


def test_demo_has_enough_varied_content():
    articles = demo_articles()
    published = [a for a in articles if a.meta.get("status", "published") == "published"]
    assert len(published) >= 24
    assert len({a.meta["category"] for a in published}) >= 5
    assert len({a.meta["author"] for a in published}) >= 3
    assert any(a.meta["published_hours_ago"] < 24 for a in published)
    assert max(a.meta["published_hours_ago"] for a in published) > 24 * 60
    for article in articles:
        assert article.meta["tags"], article.slug
        assert article.body.count("\n## ") >= 3, article.slug
        assert not article.body.startswith("# "), article.slug


def test_demo_internal_links_resolve(client, runner):
    runner.invoke(args=["seed-demo"])
    slugs = {a.slug for a in demo_articles() if a.meta.get("status", "published") == "published"}
    for article in demo_articles():
        for target in re.findall(r"\]\(/articles/([^/)]+)/\)", article.body):
            assert target in slugs, f"{article.slug} links to missing {target}"
    for slug in slugs:
        assert client.get(f"/articles/{slug}/").status_code == 200


def test_demo_shows_medical_review_and_references(client, runner):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])  # loading twice adds no second reviewer account
    html = client.get("/articles/acupuncture-for-migraine-prevention/").get_data(as_text=True)
    assert "Medically reviewed by" in html and "Priya Nair, PharmD" in html
    assert 'href="https://doi.org/10.1002/14651858.CD001218.pub3"' in html
    result = runner.invoke(args=["users", "list"])
    assert result.output.count("priya-nair@demo.invalid") == 1 and "inactive" in result.output


def test_demo_pages_are_published_in_the_footer_and_link_to_each_other(client, runner):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])  # loading twice adds no page twice
    slugs = ["about", "editorial-policy", "medical-review-board", "contact", "privacy"]
    assert [page.slug for page in demo_articles("pages")] == sorted(slugs)
    footer = client.get("/").get_data(as_text=True).split('class="site-footer"')[1]
    assert re.findall(r'href="/([a-z-]+)/"', footer) == slugs  # in menu order
    for page in demo_articles("pages"):
        assert page.body.count("\n## ") >= 2 or page.slug == "medical-review-board", page.slug
        html = client.get(f"/{page.slug}/").get_data(as_text=True)
        assert f"<title>{page.meta['title']} — Treatment Notes</title>" in html
        for target in re.findall(r"\]\(/([a-z-]+)/\)", page.body):
            assert target in slugs, f"{page.slug} links to missing page {target}"


def test_most_demo_articles_are_reviewed_with_references_with_web_addresses():
    articles = demo_articles()
    reviewed = [a for a in articles if "reviewed_by" in a.meta and a.meta.get("references")]
    assert len(reviewed) * 2 >= len(articles)
    for article in reviewed:
        assert article.meta["reviewed_by"] != article.meta["author"], article.slug
        assert 0 < article.meta["reviewed_hours_ago"] <= article.meta["published_hours_ago"], article.slug
        for reference in article.meta["references"]:
            assert identifier_url(reference["identifier"]), (article.slug, reference)
    # Some stay unreviewed, so the demo shows both review states.
    assert any("reviewed_by" not in a.meta for a in articles if a.meta.get("status", "published") == "published")


def test_demo_featured_images_are_stored_as_uploads_with_alt_text(client, runner, app):
    with_images = [a for a in demo_articles() if "image" in a.meta]
    assert len(with_images) >= 8
    assert sum(path.stat().st_size for path in (DEMO_DIR / "images").iterdir()) < 1_500_000
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])  # loading twice stores no second copy
    with app.app_context():  # each article's image and each author's photo
        assert db.session.scalar(select(func.count(Upload.id))) == len(with_images) + 4
    author = client.get("/author/maya-okafor/").get_data(as_text=True)
    assert 'alt="Portrait illustration of Dr. Maya Okafor"' in author
    byline = client.get(f"/articles/{with_images[0].slug}/").get_data(as_text=True).split('class="meta byline">')[1]
    assert byline.split("By <a")[0].count('class="byline-photo"') == 1
    for article in with_images:
        html = client.get(f"/articles/{article.slug}/").get_data(as_text=True)
        figure = html.split('<figure class="featured-image">')[1].split("</figure>")[0]
        assert f'alt="{article.meta["image_alt"]}"' in figure and 'width="1600" height="900"' in figure
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        image = client.get(re.search(r'src="([^"]+)"', figure).group(1))
        assert image.status_code == 200 and image.mimetype == "image/webp"
