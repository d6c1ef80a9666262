"""What readers see of medical review: the review line, references, the disclaimer and their JSON-LD."""

import json
import re
from datetime import datetime

import pytest
from conftest import make_user
from lxml import html as lxml_html

from blogapp.content.settings import DEFAULT_DISCLAIMER, set_setting
from blogapp.extensions import db
from blogapp.models import Role

REVIEWED_AT = datetime(2025, 3, 14, 9, 30)
REFERENCES = [
    {"title": "Metformin and kidney function", "source": "BMJ", "year": "2019", "identifier": "doi:10.1136/bmj.l123"},
    {"title": "Type 2 diabetes in adults", "source": "PubMed", "year": "", "identifier": "PMID: 31234567"},
    {
        "title": "NICE guideline NG28",
        "source": "",
        "year": "2022",
        "identifier": "https://www.nice.org.uk/guidance/ng28",
    },
    {"title": "A leaflet with no link", "source": "", "year": "", "identifier": ""},
]


def page(client, article) -> str:
    response = client.get(f"/articles/{article.slug}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def structured_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def reviewer(ctx):
    return make_user(Role.REVIEWER, name="Rita Reviewer")


def test_review_line_names_reviewer_and_date(client, publish, reviewer):
    article = publish("Reviewed article")
    article.reviewer, article.reviewed_at = reviewer, REVIEWED_AT
    db.session.commit()
    doc = lxml_html.fromstring(page(client, article))
    (note,) = doc.xpath("//header//p[contains(@class, 'review-note')]")
    assert text_of(note) == "Medically reviewed by Rita Reviewer on 14 March 2025"
    assert note.xpath(".//a")[0].get("href") == "/author/rita-reviewer/"
    assert note.xpath(".//time")[0].get("datetime") == "2025-03-14T09:30:00Z"


@pytest.mark.parametrize("has_reviewer, has_date", [(False, False), (True, False), (False, True)])
def test_unfinished_review_says_not_yet_reviewed(client, publish, reviewer, has_reviewer, has_date):
    article = publish("Not fully reviewed")
    article.reviewer = reviewer if has_reviewer else None
    article.reviewed_at = REVIEWED_AT if has_date else None
    db.session.commit()
    doc = lxml_html.fromstring(page(client, article))
    (note,) = doc.xpath("//header//p[contains(@class, 'review-note')]")
    assert text_of(note) == "Not yet medically reviewed"
    assert not note.xpath(".//a | .//time")


def test_references_are_numbered_in_order_with_links(client, publish):
    article = publish("Cited article", "## Background\n\nText.")
    article.references = REFERENCES
    db.session.commit()
    doc = lxml_html.fromstring(page(client, article))
    (section,) = doc.xpath("//section[@class='references']")
    assert text_of(section.xpath("h2")[0]) == "References"
    items = section.xpath("ol/li")
    assert [item.get("id") for item in items] == ["ref-1", "ref-2", "ref-3", "ref-4"]
    assert [text_of(item.xpath("cite")[0]) for item in items] == [ref["title"] for ref in REFERENCES]
    assert text_of(items[0]) == "Metformin and kidney function. BMJ, 2019. doi:10.1136/bmj.l123"
    assert text_of(items[3]) == "A leaflet with no link."
    links = [(a.get("href"), a.get("rel")) for a in section.xpath(".//a")]
    assert links == [
        ("https://doi.org/10.1136/bmj.l123", "nofollow noopener"),
        ("https://pubmed.ncbi.nlm.nih.gov/31234567/", "nofollow noopener"),
        ("https://www.nice.org.uk/guidance/ng28", "nofollow noopener"),
    ]


def test_references_follow_the_body_in_heading_order(client, publish):
    article = publish("Ordered article", "## In the body\n\nText.")
    article.references = REFERENCES[:1]
    db.session.commit()
    html = page(client, article)
    headings = [
        h.get("id") for h in lxml_html.fromstring(html).xpath("//article[@class='article']//*[self::h1 or self::h2]")
    ]
    assert headings.index("references-heading") == headings.index("s-in-the-body") + 1
    assert html.index('id="references-heading"') < html.index('class="disclaimer"')


def test_unrecognised_identifier_is_text_not_a_link(client, publish):
    article = publish("Sneaky reference")
    article.references = [{"title": "Click me", "source": "", "year": "", "identifier": "javascript:alert(1)"}]
    db.session.commit()
    doc = lxml_html.fromstring(page(client, article))
    (item,) = doc.xpath("//section[@class='references']//li")
    assert item.xpath(".//a") == [] and "javascript:alert(1)" in text_of(item)


def test_reference_html_is_escaped(client, publish):
    article = publish("Escaped reference")
    article.references = [
        {"title": '<img src=x onerror="alert(1)">Study', "source": "<b>Journal</b>", "year": "2020", "identifier": ""}
    ]
    db.session.commit()
    html = page(client, article)
    assert "<img src=x" not in html and "<b>Journal</b>" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Study" in html and "&lt;b&gt;Journal&lt;/b&gt;" in html


def test_no_references_section_without_references(client, publish):
    html = page(client, publish("Uncited article"))
    assert "references-heading" not in html


def test_default_disclaimer_under_every_article(client, publish):
    for article in (publish("First article"), publish("Second article")):
        (line,) = lxml_html.fromstring(page(client, article)).xpath("//article//p[@class='disclaimer']")
        assert text_of(line) == DEFAULT_DISCLAIMER


def test_disclaimer_setting_changes_the_line(client, publish):
    article = publish("Disclaimed article")
    set_setting("disclaimer", "Talk to your <GP> before changing treatment.")
    db.session.commit()
    html = page(client, article)
    assert '<p class="disclaimer">Talk to your &lt;GP&gt; before changing treatment.</p>' in html
    assert DEFAULT_DISCLAIMER not in html


def test_structured_data_has_review_and_citations_when_present(client, publish, reviewer):
    article = publish("Structured article")
    article.reviewer, article.reviewed_at = reviewer, REVIEWED_AT
    article.references = REFERENCES
    db.session.commit()
    data = structured_data(page(client, article))
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Rita Reviewer",
        "url": "http://localhost/author/rita-reviewer/",
    }
    assert data["lastReviewed"] == "2025-03-14"
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Metformin and kidney function",
            "url": "https://doi.org/10.1136/bmj.l123",
            "isPartOf": {"@type": "CreativeWork", "name": "BMJ"},
            "datePublished": "2019",
        },
        {
            "@type": "CreativeWork",
            "name": "Type 2 diabetes in adults",
            "url": "https://pubmed.ncbi.nlm.nih.gov/31234567/",
            "isPartOf": {"@type": "CreativeWork", "name": "PubMed"},
        },
        {
            "@type": "CreativeWork",
            "name": "NICE guideline NG28",
            "url": "https://www.nice.org.uk/guidance/ng28",
            "datePublished": "2022",
        },
        {"@type": "CreativeWork", "name": "A leaflet with no link"},
    ]


def test_structured_data_leaves_out_review_and_citations_when_absent(client, publish, reviewer):
    article = publish("Plain structured article")
    article.reviewer = reviewer  # a reviewer without a review date is not a finished review
    db.session.commit()
    data = structured_data(page(client, article))
    assert "reviewedBy" not in data and "lastReviewed" not in data and "citation" not in data
    assert data["headline"] == "Plain structured article"


def test_structured_data_citation_cannot_break_out_of_its_script(client, publish):
    article = publish("Breakout article")
    title = "</script><script>alert(1)</script>"
    article.references = [{"title": title, "source": "", "year": "", "identifier": "javascript:alert(1)"}]
    db.session.commit()
    html = page(client, article)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<script>" not in block and "\\u003c/script\\u003e" in block
    assert "<script>alert(1)" not in html
    assert structured_data(html)["citation"] == [{"@type": "CreativeWork", "name": title}]
