"""The Whoosh schema for articles and the document built for each one."""

import hashlib
import json
from datetime import datetime
from typing import Any

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.lang.porter2 import stem
from whoosh.support.charset import accent_map

from .spelling import SPELL_ANALYZER

# Accents fold before stemming so "café" and "cafe" meet; porter2 stems "running" to "run" (porter gives "runn").
ANALYZER = (
    RegexTokenizer()
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter()
    | StemFilter(stemfn=stem, cachesize=50000)
)

# The title counts most, then tags and category, then the summary, then the body.
FIELD_BOOSTS = {"title": 2.0, "tags": 1.5, "category": 1.5, "summary": 1.25, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)


def make_schema() -> Schema:
    """Return the article schema: analysed text fields plus ids for filtering."""
    return Schema(
        id=ID(stored=True, unique=True),
        digest=ID(stored=True),
        title=TEXT(analyzer=ANALYZER, stored=True, field_boost=FIELD_BOOSTS["title"]),
        tags=TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["tags"]),
        category=TEXT(analyzer=ANALYZER, field_boost=FIELD_BOOSTS["category"]),
        summary=TEXT(analyzer=ANALYZER, stored=True, field_boost=FIELD_BOOSTS["summary"]),
        body=TEXT(analyzer=ANALYZER, stored=True, field_boost=FIELD_BOOSTS["body"]),
        author=TEXT(analyzer=ANALYZER),
        category_slug=ID,
        tag_slugs=KEYWORD(commas=True),
        author_slug=ID,
        published=DATETIME(stored=True, sortable=True),
        spell=TEXT(analyzer=SPELL_ANALYZER, phrase=False),
    )


def document_for(article) -> dict[str, Any]:
    """Build the index document of an article, with a digest of its content for drift checks."""
    doc = {
        "id": str(article.id),
        "title": article.title,
        "tags": " ".join(tag.name for tag in article.tags),
        "category": article.category.name,
        "summary": article.summary,
        "body": article.body_text,
        "author": article.author.name,
        "category_slug": article.category.slug,
        "tag_slugs": ",".join(tag.slug for tag in article.tags),
        "author_slug": article.author.slug,
        "published": article.published_at,
        "spell": " ".join((article.title, article.summary, article.body_text)),
    }
    doc["digest"] = digest(doc)
    return doc


def digest(doc: dict[str, Any]) -> str:
    """Hash the indexed content of a document so a stale entry can be recognised."""
    payload = {
        k: v.isoformat() if isinstance(v, datetime) else v for k, v in doc.items() if k not in ("digest", "spell")
    }
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()
