"""Static files under URLs that carry their content hash, so browsers may keep them for a year."""

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request

from .. import caches


@caches.memoize(
    "serving.static_hashes",
    maxsize=256,
    holds="the content hash of each static file, by path and modification time",
    cleared_by="a changed file: its modification time is part of the key",
)
def _file_hash(path: str, _mtime_ns: int) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]


def static_fingerprint(filename: str) -> str | None:
    """Return the content hash of a static file (None if it does not exist)."""
    path = Path(current_app.static_folder, filename)
    try:
        return _file_hash(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    # Every url_for("static", …) carries the file's content hash, so its URL changes exactly when the file does.
    if endpoint == "static" and "filename" in values and "v" not in values:
        fingerprint = static_fingerprint(values["filename"])
        if fingerprint:
            values["v"] = fingerprint


def _static_headers(response: Response) -> Response:
    if request.endpoint != "static":
        return response
    wanted = request.args.get("v")
    if response.status_code == 200 and wanted and wanted == static_fingerprint(request.view_args["filename"]):
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Put the content hash in static URLs and let a file under its current hash be kept for a year."""
    app.url_defaults(_fingerprint_static_urls)
    app.after_request(_static_headers)
