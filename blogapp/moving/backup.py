"""Backups: the database (SQLite or PostgreSQL) and uploads, taken while the site serves, checked and restored.

A backup is a folder `blogapp-YYYYMMDD-HHMMSS` holding the database dump, `uploads/` and `manifest.json`: the
database kind, the schema revision and the SHA-256 of every file. It is written under a `.partial-` name and
renamed when complete, so a backup that has its name is whole; restore checks every checksum before touching
anything.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select, update

from ..extensions import db
from ..models import SiteVersion, utcnow
from .database_dumps import check_dump, database_kind, dump_database, load_database, schema_revision
from .export import ArchiveError

MANIFEST = "manifest.json"
FORMAT = "blogapp-backup"
MANIFEST_VERSION = 2
PARTIAL_PREFIX = ".partial-"


def backup(target_dir: str, uploads_dir: str) -> Path:
    """Write a new complete backup folder under `target_dir` (safe while the site serves) and return it."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    created = utcnow()
    partial = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=target))
    try:
        database_file = dump_database(partial)
        if os.path.isdir(uploads_dir):
            shutil.copytree(uploads_dir, partial / "uploads")
        manifest = {
            "format": FORMAT,
            "version": MANIFEST_VERSION,
            "created_at": created.isoformat(),
            "database": database_kind(),
            "database_file": database_file,
            "schema_revision": schema_revision(),
            "files": {name: _sha256(partial / name) for name in _files(partial)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        os.chmod(partial, 0o700)  # it holds password hashes
        return _rename_free(partial, target / f"blogapp-{created:%Y%m%d-%H%M%S}")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def verify(folder: str) -> dict:
    """Return a backup's manifest once every file it lists is there with its checksum; else raise ArchiveError."""
    path = Path(folder)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise ArchiveError(f"{folder} is not a blogapp backup (no {MANIFEST})") from None
    except (ValueError, UnicodeDecodeError):
        raise ArchiveError(f"{folder}/{MANIFEST} is damaged (not JSON); nothing restored") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{folder} is not a blogapp backup ({MANIFEST} is not a backup manifest)")
    if "files" not in manifest:  # written before checksums (version 1): a SQLite file checked for damage only
        manifest = {**manifest, "database": "sqlite", "database_file": "blogapp.sqlite", "files": {}}
        if not (path / "blogapp.sqlite").is_file():
            raise ArchiveError(f"{folder} is incomplete: blogapp.sqlite is missing; nothing restored")
    files = manifest["files"]
    missing = [name for name in files if not _inside(path, name).is_file()]
    if missing or (files and manifest.get("database_file") not in files):
        names = ", ".join(missing[:3]) or "the database"
        raise ArchiveError(f"{folder} is incomplete: {len(missing) or 1} files missing ({names}); nothing restored")
    damaged = [name for name, digest in files.items() if _sha256(path / name) != digest]
    if damaged:
        raise ArchiveError(
            f"{folder} is damaged: {', '.join(damaged[:3])} differ from their checksums; nothing restored"
        )
    if manifest["database"] != database_kind():
        raise ArchiveError(
            f"{folder} holds a {manifest['database']} database and this site runs on {database_kind()}: "
            "move between them with `flask export` and `flask import archive`"
        )
    check_dump(path / manifest["database_file"], manifest["database"])
    return manifest


def restore(folder: str, uploads_dir: str) -> dict:
    """Replace the live database and uploads with a checked backup's and return its manifest.

    The caller then runs the migrations and rebuilds the search index.
    """
    manifest = verify(folder)
    live_version = db.session.scalar(select(SiteVersion.version).where(SiteVersion.id == 1)) or 0
    load_database(Path(folder) / manifest["database_file"], manifest["database"])
    if (Path(folder) / "uploads").is_dir():
        staged = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=Path(uploads_dir).parent))
        shutil.copytree(Path(folder) / "uploads", staged / "uploads")
        shutil.rmtree(uploads_dir, ignore_errors=True)
        os.replace(staged / "uploads", uploads_dir)
        staged.rmdir()
    manifest["live_version"] = live_version
    return manifest


def continue_version(live_version: int) -> None:
    """Count the restore as a change past the version the site had, so no cached page or ETag outlives it."""
    restored = db.session.scalar(select(SiteVersion.version).where(SiteVersion.id == 1)) or 0
    stmt = update(SiteVersion).where(SiteVersion.id == 1)
    db.session.execute(stmt.values(version=max(restored, live_version) + 1, changed_at=utcnow()))


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def _inside(folder: Path, name: str) -> Path:
    """Return `folder/name`, refusing a manifest entry that points outside the backup."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise ArchiveError(f"{folder}/{MANIFEST} names a file outside the backup: {name}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _rename_free(partial: Path, wanted: Path) -> Path:
    """Give the finished backup its name (with -2, -3… when a backup of the same second exists)."""
    folder, number = wanted, 1
    while True:
        try:
            os.rename(partial, folder)
            return folder
        except OSError:
            if not folder.exists():
                raise
            number += 1
            folder = wanted.with_name(f"{wanted.name}-{number}")
