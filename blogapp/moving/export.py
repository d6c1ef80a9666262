"""Moving out: the whole site as one portable JSON archive (read back by archive_import.py)."""

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..content.audit import as_record
from ..extensions import db
from ..models import Article, AuditEvent, Author, Category, Page, Redirect, Revision, Setting, Tag, Upload, User, utcnow
from .archive_best_bets import best_bet_records
from .archive_pages import page_records

FORMAT = "blogapp-export"
VERSION = 3
# Version 1 had no users, revisions, uploads, settings or review fields; version 2 had no best bets.
READABLE_VERSIONS = (1, 2, 3)
# Revision fields that hold database ids; the archive names the category and author by slug instead.
REVISION_ID_FIELDS = {"category_id": "category", "author_id": "author"}


class ArchiveError(Exception):
    """The archive or backup cannot be used; nothing was changed."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class _Exporter:
    """Turn rows into archive records, naming related rows by slug or email rather than by id."""

    def __init__(self, uploads_dir: str, with_password_hashes: bool) -> None:
        self.uploads_dir, self.with_password_hashes = uploads_dir, with_password_hashes
        self.emails = dict(db.session.execute(select(User.id, User.email)).all())
        self.slugs = {
            "category": dict(db.session.execute(select(Category.id, Category.slug)).all()),
            "author": dict(db.session.execute(select(Author.id, Author.slug)).all()),
        }
        self.upload_names = dict(db.session.execute(select(Upload.id, Upload.filename)).all())

    def user(self, user: User) -> dict[str, Any]:
        record = {
            "email": user.email,
            "role": user.role,
            "active": user.active,
            "author": self.slugs["author"][user.author_id],
            "created_at": _iso(user.created_at),
        }
        if self.with_password_hashes:
            record["password_hash"] = user.password_hash
        return record

    def article(self, article: Article, revisions: list[Revision]) -> dict[str, Any]:
        return {
            "slug": article.slug,
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "status": article.status,
            "published_at": _iso(article.published_at),
            "created_at": _iso(article.created_at),
            "updated_at": _iso(article.updated_at),
            "deleted_at": _iso(article.deleted_at),
            "category": self.slugs["category"][article.category_id],
            "author": self.slugs["author"][article.author_id],
            "tags": [tag.slug for tag in article.tags],
            "references": article.references or [],
            "reviewer": self.emails.get(article.reviewer_id),
            "reviewed_at": _iso(article.reviewed_at),
            "featured_image": self.upload_names.get(article.featured_image_id),  # the upload's file name
            "revisions": [self.revision(revision) for revision in revisions],
        }

    def revision(self, revision: Revision) -> dict[str, Any]:
        fields = dict(revision.fields or {})
        record = {
            "created_at": _iso(revision.created_at),
            "user": self.emails.get(revision.user_id),
            "title": revision.title,
            "summary": revision.summary,
            "body": revision.body,
        }
        for id_field, kind in REVISION_ID_FIELDS.items():
            if id_field in fields:
                record[kind] = self.slugs[kind].get(fields.pop(id_field))
        return record | {"fields": fields}

    def upload(self, upload: Upload) -> dict[str, Any]:
        path = Path(self.uploads_dir) / upload.filename
        return {
            "filename": upload.filename,
            "original_name": upload.original_name,
            "alt_text": upload.alt_text,
            "content_type": upload.content_type,
            "width": upload.width,
            "height": upload.height,
            "size": upload.size,
            "uploaded_by": self.emails.get(upload.uploaded_by_id),
            "created_at": _iso(upload.created_at),
            # The file itself travels inside the archive so that one file moves the whole site.
            "data": base64.b64encode(path.read_bytes()).decode("ascii") if path.is_file() else None,
        }


def _revisions_by_article(article_ids: list[int]) -> dict[int, list[Revision]]:
    stmt = select(Revision).where(Revision.article_id.in_(article_ids)).order_by(Revision.id)
    found: dict[int, list[Revision]] = {article_id: [] for article_id in article_ids}
    for revision in db.session.scalars(stmt):
        found[revision.article_id].append(revision)
    return found


def export_archive(out: IO[str], uploads_dir: str, *, with_password_hashes: bool = False) -> int:
    """Write the whole site (content, pages, history, team, audit log) as one JSON document; return its articles."""
    exporter = _Exporter(uploads_dir, with_password_hashes)
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "categories": [
            {"slug": c.slug, "name": c.name, "description": c.description}
            for c in db.session.scalars(select(Category).order_by(Category.id))
        ],
        "tags": [{"slug": t.slug, "name": t.name} for t in db.session.scalars(select(Tag).order_by(Tag.id))],
        "authors": [
            {
                "slug": a.slug,
                "name": a.name,
                "bio": a.bio,
                "credentials": a.credentials,
                "photo": exporter.upload_names.get(a.photo_id),  # the upload's file name, as featured images
            }
            for a in db.session.scalars(select(Author).order_by(Author.id))
        ],
        "users": [exporter.user(user) for user in db.session.scalars(select(User).order_by(User.id))],
        "settings": [
            {"key": s.key, "value": s.value} for s in db.session.scalars(select(Setting).order_by(Setting.key))
        ],
        "pages": page_records(exporter.emails),
        "redirects": _redirects(),
        "best_bets": best_bet_records(),
    }
    # Articles and uploads are streamed one record at a time so a large site is never held in memory at once.
    out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "articles": [\n')
    stmt = select(Article).order_by(Article.id).options(selectinload(Article.tags)).execution_options(yield_per=500)
    count = 0
    for batch in db.session.scalars(stmt).partitions():
        revisions = _revisions_by_article([article.id for article in batch])
        for article in batch:
            record = exporter.article(article, revisions[article.id])
            out.write((",\n" if count else "") + json.dumps(record, ensure_ascii=False))
            count += 1
    out.write('\n ],\n "uploads": [\n')
    uploads = db.session.scalars(select(Upload).order_by(Upload.id).execution_options(yield_per=50))
    for n, upload in enumerate(uploads):
        out.write((",\n" if n else "") + json.dumps(exporter.upload(upload), ensure_ascii=False))
    out.write('\n ],\n "audit_events": [\n')
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500))
    for n, event in enumerate(events):
        out.write((",\n" if n else "") + json.dumps(as_record(event), ensure_ascii=False))
    out.write("\n ]\n}\n")
    return count


def _redirects() -> list[dict[str, str | None]]:
    """Return every old address with the slug of the article, category, tag or page it now leads to."""
    stmt = (
        select(Redirect.old_path, Article.slug, Category.slug, Tag.slug, Page.slug)
        .outerjoin(Article, Redirect.article_id == Article.id)
        .outerjoin(Category, Redirect.category_id == Category.id)
        .outerjoin(Tag, Redirect.tag_id == Tag.id)
        .outerjoin(Page, Redirect.page_id == Page.id)
        .order_by(Redirect.id)
    )
    return [
        {"old_path": old_path, "article": article, "category": category, "tag": tag, "page": page}
        for old_path, article, category, tag, page in db.session.execute(stmt)
    ]
