"""Moving out and back: a portable JSON export/import, and consistent SQLite backups with restore."""

import json
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import selectinload

from .articles import save_article
from .extensions import db
from .models import Article, ArticleStatus, Author, Category, Tag, utcnow

FORMAT = "blogapp-export"
VERSION = 1


class ArchiveError(Exception):
    """The archive or backup cannot be used; nothing was changed."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _article_record(article: Article) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at": _iso(article.published_at),
        "created_at": _iso(article.created_at),
        "updated_at": _iso(article.updated_at),
        "category": article.category.slug,
        "author": article.author.slug,
        "tags": [tag.slug for tag in article.tags],
    }


def export_archive(out: IO[str]) -> int:
    """Write every category, tag, author and article as one JSON document; return the article count."""
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
            {"slug": a.slug, "name": a.name, "bio": a.bio}
            for a in db.session.scalars(select(Author).order_by(Author.id))
        ],
    }
    out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "articles": [\n')
    stmt = select(Article).order_by(Article.id).options(selectinload(Article.tags)).execution_options(yield_per=500)
    count = 0
    for article in db.session.scalars(stmt):
        out.write((",\n" if count else "") + json.dumps(_article_record(article), ensure_ascii=False))
        count += 1
    out.write("\n ]\n}\n")
    return count


def import_archive(source: IO[str]) -> int:
    """Load an export into an empty instance (the caller commits); return the article count."""
    try:
        data = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"not a JSON file: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ArchiveError(f"not a {FORMAT} version {VERSION} archive")
    for model in (Article, Category, Tag, Author):
        if db.session.scalar(select(func.count(model.id))):
            raise ArchiveError("this instance already has content; import into an empty instance")
    try:
        return _load(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ArchiveError(f"the archive is incomplete or malformed: {exc!r}") from exc


def _load(data: dict[str, Any]) -> int:
    categories = {
        c["slug"]: Category(slug=c["slug"], name=c["name"], description=c.get("description", ""))
        for c in data["categories"]
    }
    authors = {a["slug"]: Author(slug=a["slug"], name=a["name"], bio=a.get("bio", "")) for a in data["authors"]}
    tag_names = {t["slug"]: t["name"] for t in data["tags"]}
    db.session.add_all([*categories.values(), *authors.values()])
    db.session.add_all(Tag(slug=slug, name=name) for slug, name in tag_names.items())
    db.session.flush()
    for record in data["articles"]:
        save_article(
            Article(created_at=datetime.fromisoformat(record["created_at"])),
            title=record["title"],
            slug=record["slug"],
            summary=record["summary"],
            body=record["body"],
            category=categories[record["category"]],
            author=authors[record["author"]],
            tags=[tag_names[slug] for slug in record["tags"]],
            status=ArticleStatus(record["status"]),
            published_at=datetime.fromisoformat(record["published_at"]) if record["published_at"] else None,
            updated_at=datetime.fromisoformat(record["updated_at"]),
        )
    return len(data["articles"])


def _sqlite_path() -> str:
    url = make_url(db.engine.url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ArchiveError("backup and restore handle SQLite files; for other databases use their own tools")
    return url.database


def backup(target_dir: str, uploads_dir: str) -> Path:
    """Snapshot the live SQLite database (safe while the site serves) and the uploads into a new folder."""
    folder = Path(target_dir) / f"blogapp-{utcnow():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    with sqlite3.connect(_sqlite_path()) as source, sqlite3.connect(folder / "blogapp.sqlite") as copy:
        source.backup(copy)
    if os.path.isdir(uploads_dir):
        shutil.copytree(uploads_dir, folder / "uploads")
    manifest = {"format": "blogapp-backup", "version": VERSION, "created_at": utcnow().isoformat()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return folder


def restore(folder: str, uploads_dir: str) -> None:
    """Replace the live database (and uploads) with a backup's; the caller rebuilds the search index."""
    source_path = Path(folder) / "blogapp.sqlite"
    if not (Path(folder) / "manifest.json").is_file() or not source_path.is_file():
        raise ArchiveError(f"{folder} is not a blogapp backup (no manifest.json and blogapp.sqlite)")
    with sqlite3.connect(source_path) as source:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ArchiveError(f"{source_path} is damaged")
        db.session.remove()
        db.engine.dispose()
        with sqlite3.connect(_sqlite_path()) as live:
            source.backup(live)
    if (Path(folder) / "uploads").is_dir():
        shutil.rmtree(uploads_dir, ignore_errors=True)
        shutil.copytree(Path(folder) / "uploads", uploads_dir)
