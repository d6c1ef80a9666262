"""Images in rendered article bodies: the size of each uploaded one, and lazy loading below the first."""

import re

from sqlalchemy import select

from ..extensions import db
from ..models import Upload

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_UPLOAD_SRC = re.compile(r'\ssrc="/uploads/([0-9a-f]{32}\.(?:png|jpg|webp|gif))"')
_SIZED = re.compile(r"\s(?:width|height)=")


def with_image_sizes(body_html: str) -> str:
    """Give uploaded images in sanitised HTML their width and height, and every image but the first lazy loading.

    The sizes let the browser keep the image's room before it arrives (no layout shift); the first image stays
    eager, as it may be what the reader sees first.
    """
    if "<img" not in body_html:
        return body_html
    sizes = _upload_sizes(_UPLOAD_SRC.findall(body_html))
    count = 0

    def sized(match: re.Match) -> str:
        nonlocal count
        attributes, count = match[1], count + 1
        source = _UPLOAD_SRC.search(attributes)
        if source and source[1] in sizes and not _SIZED.search(attributes):
            attributes += ' width="{}" height="{}"'.format(*sizes[source[1]])
        if count > 1 and " loading=" not in attributes:
            attributes += ' loading="lazy"'
        return f"<img{attributes}>"

    return _IMG.sub(sized, body_html)


def _upload_sizes(filenames: list[str]) -> dict[str, tuple[int, int]]:
    """Return (width, height) of the named uploads that exist."""
    if not filenames:
        return {}
    stmt = select(Upload.filename, Upload.width, Upload.height).where(Upload.filename.in_(set(filenames)))
    return {row.filename: (row.width, row.height) for row in db.session.execute(stmt)}
