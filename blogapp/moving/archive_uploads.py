"""The uploaded files an archive carries, written into the uploads folder (never outside it)."""

import base64
from pathlib import Path
from typing import Any

from .export import ArchiveError


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
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return len(records)
