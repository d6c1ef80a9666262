"""Sitemap documents written to a file once per content version, then served from it.

Writing a part of 50,000 URLs takes most of a second at 100,000 articles, in a slot of costly work. Crawlers
that fetched it again and again took that second each time: eight of them at once held the slots and kept
reader pages waiting (bench/endpoints.py's sitemap flood, pages p99 194 ms). Kept as a file until the content
changes, a repeated fetch costs a file read in any worker process, and never takes a slot.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Response, current_app, request
from werkzeug.wsgi import wrap_file

from ..content.version import for_request
from ..web.busy import costly_work
from ..web.urls import absolute_url

_LAYOUT = "listing pages in parts of their own"  # files kept under an older layout are not served


def _folder() -> Path:
    """Return the folder of kept sitemap files."""
    return Path(current_app.config["SITEMAP_FILES_DIR"])


def _digest(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:20]


def _names(document: str) -> tuple[str, str]:
    """Return the prefix every version of `document` shares, and the file name of this content version's."""
    # Another database or host name (links are absolute), part size or layout of parts is another document.
    config = current_app.config
    site = _digest(
        config["SQLALCHEMY_DATABASE_URI"], absolute_url("reader.index"), config["SITEMAP_MAX_URLS"], _LAYOUT
    )
    prefix = f"{site}-{document}-"
    return prefix, f"{prefix}{_digest(for_request().etag)}.xml"


def _write(folder: Path, path: Path, chunks: Iterable[str]) -> None:
    """Write `chunks` to `path` whole or not at all: a reader never finds half a sitemap."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=".xml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(chunks)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _remove_older_versions(folder: Path, prefix: str, current: str) -> None:
    for old in folder.glob(f"{prefix}*.xml"):
        if old.name != current:
            old.unlink(missing_ok=True)  # another worker may have removed it first


def kept_document(document: str, write: Callable[[], Iterable[str]]) -> Response:
    """Serve `document` from its file for this content version, written by `write()` first if there is none yet."""
    folder = _folder()
    prefix, name = _names(document)
    path = folder / name
    try:
        kept = path.open("rb")
    except FileNotFoundError:
        with costly_work().hold():  # 503 at once if every slot is taken
            _write(folder, path, write())
        _remove_older_versions(folder, prefix, name)
        kept = path.open("rb")  # open before another worker could replace it: an open file outlives its name
    body = wrap_file(request.environ, kept)
    return current_app.response_class(body, mimetype="application/xml", direct_passthrough=True)
