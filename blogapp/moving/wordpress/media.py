"""Attachments of a WordPress export: their files found in a copy of wp-content/uploads, stored as uploads."""

import re
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ...content.uploads import UploadError, discard_file, public_url, store_image
from ...extensions import db
from ...models import Upload
from .elements import WxrReport

# An address of an uploaded file: …/wp-content/uploads/PATH, a multisite's …/files/PATH or WordPress.com's
# NAME.files.wordpress.com/PATH, with any query (WordPress.com's ?w=1024) taken along.
_PATH = r"([^\s\"'<>()?#]+)(?:\?[^\s\"'<>]*)?"
UPLOADED = re.compile(
    rf"(?:https?:)?//(?:[\w.-]+\.files\.wordpress\.com/|[^\s\"'<>()]+?/(?:wp-content/uploads|files)/){_PATH}"
)
# WordPress's resized copies (name-300x200.jpg) and big-image copies (name-scaled.jpg) show the same upload.
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled)(?=\.\w+$)")


def media_key(relative: str) -> str:
    """Return the key a file and its resized copies share: its path under uploads without a size suffix."""
    return _SIZE_SUFFIX.sub("", unquote(relative).strip().lstrip("/"))


def _relative_paths(attached_file: str, url: str) -> list[str]:
    """Return where under wp-content/uploads an attachment's file may be, best guess first."""
    paths = [attached_file] if attached_file and not attached_file.startswith("/") else []
    paths += re.findall(r"/(?:uploads|files)/(.+)$", attached_file)[-1:]
    paths += [match.group(1) for match in UPLOADED.finditer(url.strip())]
    return [unquote(path).lstrip("/") for path in paths if path]


class MediaFolder:
    """A copy of wp-content/uploads: attachments stored from it, and their old addresses mapped to new ones."""

    def __init__(self, folder: str, report: WxrReport) -> None:
        self.root = Path(folder).resolve()
        self.counters, self.skipped, self.stored = report.counters, report.skipped, report.uploads
        self.by_key: dict[str, Upload] = {}
        self.by_post_id: dict[str, Upload] = {}

    def attachment(self, post_id: str, title: str, attached_file: str, url: str, alt: str, dry_run: bool) -> None:
        """Store the attachment's file (with the upload form's checks) or say why it was skipped."""
        paths = _relative_paths(attached_file, url)
        found = next((file for file in map(self._inside, paths) if file is not None), None)
        if found is None:
            return self.skipped.append((title, "attachment file not in the media folder"))
        if dry_run:
            self.counters["attachments_imported"] += 1
            return None
        try:
            with found.open("rb") as handle:
                upload = store_image(FileStorage(stream=handle, filename=found.name), None)
        except UploadError as error:
            return self.skipped.append((title, f"attachment refused: {error}"))
        upload = self._earlier_copy(upload)
        if not upload.alt_text:
            upload.alt_text = (alt or title)[: Upload.alt_text.type.length]
        self.by_post_id[post_id] = upload
        for path in paths:
            self.by_key.setdefault(media_key(path), upload)
        return None

    def _earlier_copy(self, upload: Upload) -> Upload:
        """Return the upload an earlier import stored from the same file (dropping the new copy), or the new one."""
        same = select(Upload).where(
            Upload.original_name == upload.original_name,
            Upload.size == upload.size,
            Upload.width == upload.width,
            Upload.height == upload.height,
        )
        with db.session.no_autoflush:
            earlier = db.session.scalar(same.limit(1))
        if earlier is None:
            self.stored.append(upload)
            self.counters["attachments_imported"] += 1
            return upload
        db.session.expunge(upload)
        discard_file(upload.filename)
        self.counters["attachments_already_imported"] += 1
        return earlier

    def _inside(self, relative: str) -> Path | None:
        """Return the file at `relative` if it is inside the folder (no ../ escapes), else None."""
        path = (self.root / relative).resolve()
        return path if path.is_relative_to(self.root) and path.is_file() else None

    def rewrite(self, content: str) -> str:
        """Point the addresses of imported attachments in a post at their new uploads."""

        def replace(match: re.Match) -> str:
            upload = self.by_key.get(media_key(match.group(1)))
            self.counters["media_links_rewritten" if upload else "media_links_not_found"] += 1
            return public_url(upload) if upload else match.group(0)

        return UPLOADED.sub(replace, content)


def discard_files(report: WxrReport) -> None:
    """Delete the files of attachments stored by an import that is not kept."""
    for upload in report.uploads:
        discard_file(upload.filename)
