"""Moving back in: load a JSON archive written by `export` into an empty instance."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select

from ..content.articles import save_article
from ..content.audit import from_record
from ..extensions import db
from ..models import (
    Article,
    ArticleStatus,
    Author,
    Category,
    Page,
    Redirect,
    Revision,
    Setting,
    Tag,
    Upload,
    User,
)
from .archive_best_bets import load_best_bets
from .archive_pages import load_page
from .archive_tags import load_tags, merged_tag_redirects
from .archive_uploads import safe_filename, write_uploads
from .export import FORMAT, READABLE_VERSIONS, REVISION_ID_FIELDS, ArchiveError


@dataclass
class ImportSummary:
    articles: int = 0
    pages: int = 0
    revisions: int = 0
    users: int = 0
    inactive_users: int = 0
    uploads: int = 0
    settings: int = 0
    redirects: int = 0
    audit_events: int = 0
    best_bets: int = 0
    merged_tags: list[str] = field(default_factory=list)  # "sleep into Sleep": names that differed only in case


def import_archive(source: IO[str], uploads_dir: str) -> ImportSummary:
    """Load an export into an empty instance and its uploads into `uploads_dir` (the caller commits)."""
    try:
        data = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"not a JSON file: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
        raise ArchiveError(f"not a {FORMAT} archive of version {' or '.join(map(str, READABLE_VERSIONS))}")
    for model in (Article, Category, Tag, Author, User, Setting, Upload, Page):
        if db.session.scalar(select(func.count()).select_from(model)):
            raise ArchiveError("this instance already has content; import into an empty instance")
    try:
        summary = _Loader(data).load()
        db.session.flush()
        summary.uploads = write_uploads(data.get("uploads", []), Path(uploads_dir))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ArchiveError(f"the archive is incomplete or malformed: {exc!r}") from exc
    except OSError as exc:
        raise ArchiveError(f"cannot write the uploaded files: {exc}") from exc
    return summary


def _time(value: str | None) -> datetime | None:
    """Parse an archive time into the naive UTC form stored (an offset, if given, is applied)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    # Stored aware, PostgreSQL would shift the time into its own time zone and SQLite would drop the offset.
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


class _Loader:
    """Recreate rows from archive records, looking related rows up by slug or email."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.categories: dict[str, Category] = {}
        self.authors: dict[str, Author] = {}
        self.users: dict[str, User] = {}
        self.tags: dict[str, Tag] = {}
        self.articles: dict[str, Article] = {}
        self.pages: dict[str, Page] = {}
        self.uploads: dict[str, Upload] = {}
        self.summary = ImportSummary()

    def load(self) -> ImportSummary:
        data = self.data
        self.categories = {
            c["slug"]: Category(slug=c["slug"], name=c["name"], description=c.get("description", ""))
            for c in data["categories"]
        }
        self.authors = {
            a["slug"]: Author(
                slug=a["slug"], name=a["name"], bio=a.get("bio", ""), credentials=a.get("credentials", "")
            )
            for a in data["authors"]
        }
        self.tags, merged = load_tags(data["tags"])
        self.summary.merged_tags = [f"{slug} into {tag.name}" for slug, tag in merged]
        db.session.add_all([*self.categories.values(), *self.authors.values(), *dict.fromkeys(self.tags.values())])
        for record in data.get("users", []):
            self.user(record)
        for record in data.get("settings", []):
            db.session.add(Setting(key=record["key"], value=record["value"]))
            self.summary.settings += 1
        db.session.flush()  # revisions name categories and authors by id
        for record in data.get("uploads", []):  # before the articles, whose featured images they are
            self.upload_row(record)
        for record in data["authors"]:  # photos name their upload by file name; none before they existed
            self.authors[record["slug"]].photo = self.uploads.get(record.get("photo") or "")
        for record in data["articles"]:
            self.article(record)
        for record in data.get("pages", []):  # archives written before pages have none
            self.page(record)
        for record in data.get("redirects", []):
            self.redirect(record)
        taken = {record["old_path"] for record in data.get("redirects", [])}
        for redirect in merged_tag_redirects(merged, taken):
            db.session.add(redirect)
            self.summary.redirects += 1
        for record in data.get("audit_events", []):
            self.audit_event(record)
        self.summary.best_bets = load_best_bets(data.get("best_bets", []), self.articles)  # none before version 3
        return self.summary

    def user(self, record: dict[str, Any]) -> None:
        password_hash = record.get("password_hash") or ""
        user = User(
            email=record["email"],
            role=record["role"],
            # Without its password hash an account cannot sign in until someone sets a password.
            active=bool(record["active"]) and bool(password_hash),
            password_hash=password_hash,
            author=self.authors[record["author"]],
            created_at=_time(record["created_at"]),
        )
        db.session.add(user)
        self.users[user.email] = user
        self.summary.users += 1
        self.summary.inactive_users += not user.active

    def article(self, record: dict[str, Any]) -> None:
        article = save_article(
            Article(created_at=_time(record["created_at"])),
            title=record["title"],
            slug=record["slug"],
            summary=record["summary"],
            body=record["body"],
            category=self.categories[record["category"]],
            author=self.authors[record["author"]],
            tags=[self.tags[slug].name for slug in record["tags"]],
            status=ArticleStatus(record["status"]),
            published_at=_time(record["published_at"]),
            updated_at=_time(record["updated_at"]),
            references=record.get("references", []),
            # Archives before version 2 carry no history: record the article as it arrives instead.
            record_revision="revisions" not in record,
        )
        self.summary.revisions += "revisions" not in record
        article.deleted_at = _time(record.get("deleted_at"))
        article.reviewer = self.users.get(record.get("reviewer") or "")
        article.reviewed_at = _time(record.get("reviewed_at"))
        article.featured_image = self.uploads.get(record.get("featured_image") or "")
        for revision in record.get("revisions", []):
            self.revision(article, revision)
        self.articles[article.slug] = article
        self.summary.articles += 1

    def page(self, record: dict[str, Any]) -> None:
        page, revisions = load_page(record, self.users)
        self.summary.revisions += revisions
        self.pages[page.slug] = page
        self.summary.pages += 1

    def redirect(self, record: dict[str, Any]) -> None:
        targets = {
            "article": self.articles.get(record.get("article") or ""),
            "category": self.categories.get(record.get("category") or ""),
            "tag": self.tags.get(record.get("tag") or ""),
            "page": self.pages.get(record.get("page") or ""),
        }
        if any(targets.values()):
            db.session.add(Redirect(old_path=record["old_path"], **targets))
            self.summary.redirects += 1

    def audit_event(self, record: dict[str, Any]) -> None:
        # Accounts are matched by email; other targets keep their label, and the exporting site's id in the detail
        # (this site numbers its rows anew).
        actor = self.users.get(record["actor"] or "")
        target = self.users.get(record["target_label"]) if record["target_type"] == "user" else None
        detail = dict(record.get("detail") or {})
        if record.get("target_id") is not None and target is None:
            detail["exported_target_id"] = record["target_id"]
        event = from_record(record | {"detail": detail}, _time(record["created_at"]))
        event.actor_id = actor.id if actor is not None else None
        event.target_id = target.id if target is not None else None
        db.session.add(event)
        self.summary.audit_events += 1

    def revision(self, article: Article, record: dict[str, Any]) -> None:
        fields = dict(record["fields"])
        for id_field, kind in REVISION_ID_FIELDS.items():
            if kind in record:
                found = {"category": self.categories, "author": self.authors}[kind].get(record[kind] or "")
                fields[id_field] = found.id if found else None
        revision = Revision(
            article=article,
            user=self.users.get(record.get("user") or ""),
            created_at=_time(record["created_at"]),
            title=record["title"],
            summary=record["summary"],
            body=record["body"],
            fields=fields,
        )
        db.session.add(revision)
        self.summary.revisions += 1

    def upload_row(self, record: dict[str, Any]) -> None:
        upload = Upload(
            filename=safe_filename(record["filename"]),
            original_name=record.get("original_name", ""),
            alt_text=str(record.get("alt_text") or "")[:300],
            content_type=record["content_type"],
            width=record["width"],
            height=record["height"],
            size=record["size"],
            uploaded_by=self.users.get(record.get("uploaded_by") or ""),
            created_at=_time(record["created_at"]),
        )
        db.session.add(upload)
        self.uploads[upload.filename] = upload
