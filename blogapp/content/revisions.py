"""Article revisions: what a save recorded, differences between two, and the values to restore one."""

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Article, Revision
from .references import format_references


def snapshot(article: Article) -> dict[str, Any]:
    """Return the revision columns that record `article` as it is now."""
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "fields": {
            "slug": article.slug,
            "status": str(article.status),
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "category_id": article.category.id if article.category else article.category_id,
            "category": article.category.name if article.category else "",
            "author_id": article.author.id if article.author else article.author_id,
            "author": article.author.name if article.author else "",
            "tags": [tag.name for tag in article.tags],
            "references": list(article.references or []),
        },
    }


def latest_revision_id(article_id: int) -> int:
    """Return the id of the article's newest revision, or 0 when it has none."""
    return db.session.scalar(select(func.max(Revision.id)).where(Revision.article_id == article_id)) or 0


def list_revisions(article_id: int) -> list[Revision]:
    """Return the article's revisions, newest first."""
    stmt = select(Revision).where(Revision.article_id == article_id).order_by(Revision.id.desc())
    return list(db.session.scalars(stmt))


def get_revision(article_id: int, revision_id: int) -> Revision:
    """Return one revision of the article, or 404."""
    stmt = select(Revision).where(Revision.article_id == article_id, Revision.id == revision_id)
    return db.first_or_404(stmt)


def as_text(revision: Revision) -> list[str]:
    """Return the revision as the lines a writer compares: fields first, then the body."""
    fields = revision.fields
    lines = [
        f"Title: {revision.title}",
        f"Slug: {fields.get('slug', '')}",
        f"Status: {fields.get('status', '')}",
        f"Publish time: {fields.get('published_at') or ''}",
        f"Category: {fields.get('category', '')}",
        f"Author: {fields.get('author', '')}",
        f"Tags: {', '.join(fields.get('tags', []))}",
        f"Summary: {revision.summary}",
    ]
    lines += [f"Reference: {line}" for line in format_references(fields.get("references", [])).splitlines()]
    return [*lines, "", *revision.body.splitlines()]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap"
    text: str


def diff(old: list[str], new: list[str], context: int = 3) -> list[DiffLine]:
    """Return a line diff of `old` and `new` with `context` unchanged lines around each change."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in old[i1:i2]]
                continue
            lines += [DiffLine("removed", text) for text in old[i1:i2]]
            lines += [DiffLine("added", text) for text in new[j1:j2]]
    return lines


def published_at_of(revision: Revision) -> datetime | None:
    """Return the publish time a revision recorded."""
    value = revision.fields.get("published_at")
    return datetime.fromisoformat(value) if value else None


def free_slug_or_current(slug: str | None, article: Article) -> str:
    """Return `slug` unless another article has taken it since, else the article's current slug."""
    if not slug:
        return article.slug
    taken = db.session.scalar(select(Article.id).where(Article.slug == slug, Article.id != article.id))
    return article.slug if taken else slug
