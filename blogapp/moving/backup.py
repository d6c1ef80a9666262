"""Backups: consistent snapshots of the SQLite database and uploads, taken while the site serves, and restore."""

import json
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from ..extensions import db
from ..models import utcnow
from .export import VERSION, ArchiveError


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
