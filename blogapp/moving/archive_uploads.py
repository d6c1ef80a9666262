"""The uploaded files an archive carries, written into the uploads folder (never outside it)."""

import base64
from pathlib import Path
from typing import Any

from PIL import Image

from ..content.renditions import make_renditions
from .export import ArchiveError

# An archive's uploads were checked when first uploaded; their copies (smaller, WebP) are made again on arrival.
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, Image.DecompressionBombError)


def safe_filename(name: str) -> str:
    """Return `name` if it is a plain file name; an archive must not write outside the uploads folder."""
    if not name or Path(name).name != name or name.startswith(".") or "\\" in name:
        raise ValueError(f"upload file name {name!r} is not a plain file name")
    return name


def write_uploads(records: list[dict[str, Any]], folder: Path) -> int:
    """Write the uploaded files the archive carries; remove what was written if one cannot be."""
    written: list[Path] = []
    try:
        for record in records:
            if record.get("data") is None:
                continue  # the file was already missing on the exporting site
            content = base64.b64decode(record["data"], validate=True)
            path = folder / safe_filename(record["filename"])
            if path.exists():
                if path.read_bytes() == content:
                    continue  # left by an earlier attempt whose transaction did not commit
                raise ArchiveError(f"{path} already exists with other content")
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
            written.extend(_write_copies(record, content, folder))
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return len(records)


def _write_copies(record: dict[str, Any], content: bytes, folder: Path) -> list[Path]:
    """Write the smaller and WebP copies of an archived upload; none if Pillow cannot make them."""
    image_format, width = _FORMATS.get(record.get("content_type") or ""), record.get("width")
    if image_format is None or not isinstance(width, int):
        return []
    try:
        copies = make_renditions(content, image_format, width, record["filename"])
    except _BROKEN:
        return []
    paths = []
    for name, data in copies.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths
