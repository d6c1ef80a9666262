"""An article described for search engines: schema.org MedicalWebPage JSON-LD."""

from flask import current_app

from ..content import references
from ..web.urls import absolute_url
from .rows import ArticlePage


def article_structured_data(article: ArticlePage) -> dict:
    """Describe an article as schema.org MedicalWebPage JSON-LD for search engines."""
    url = absolute_url("reader.article", slug=article.slug)
    site = current_app.config["SITE_NAME"]
    data = {
        "@context": "https://schema.org",
        "@type": ["MedicalWebPage", "Article"],
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.summary,
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags],
        "datePublished": article.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dateModified": article.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "url": absolute_url("reader.author", slug=article.author.slug),
        },
        "publisher": {"@type": "Organization", "name": site, "url": absolute_url("reader.index")},
        "inLanguage": "en",
    }
    # Only a finished review (reviewer and date) is claimed, the same rule the article page follows.
    if article.reviewer is not None and article.reviewed_at is not None:
        data["reviewedBy"] = {
            "@type": "Person",
            "name": article.reviewer.name,
            "url": absolute_url("reader.author", slug=article.reviewer.slug),
        }
        data["lastReviewed"] = article.reviewed_at.strftime("%Y-%m-%d")
    if article.image is not None:
        data["image"] = absolute_url("media.upload", filename=article.image.filename)
    if article.references:
        data["citation"] = [_citation(reference) for reference in article.references]
    return data


def _citation(reference: dict) -> dict:
    """Describe one reference as a schema.org CreativeWork, leaving out the parts it lacks."""
    title, source, year, identifier = (str(reference.get(key) or "").strip() for key in references.FIELDS)
    work = {"@type": "CreativeWork", "name": title}
    if url := references.identifier_url(identifier):
        work["url"] = url
    if source:
        work["isPartOf"] = {"@type": "CreativeWork", "name": source}
    if year:
        work["datePublished"] = year
    return work
