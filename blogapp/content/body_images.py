"""Images in rendered article bodies: each uploaded one's size and smaller copies, lazy loading below the first."""

import re

from sqlalchemy import select

from ..extensions import db
from ..models import Upload
from .renditions import existing_widths, rendition_name
from .uploads import uploads_dir

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_UPLOAD_SRC = re.compile(r'\ssrc="/uploads/([0-9a-f]{32}\.(?:png|jpg|webp|gif))"')
_SIZED = re.compile(r"\s(?:width|height)=")
# The article column: the whole screen less its margins on phones, at most 42rem (672 px) on wide screens.
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"


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
        if source and source[1] in sizes and " srcset=" not in attributes:
            attributes += _srcset(source[1], sizes[source[1]][0])
        if count > 1 and " loading=" not in attributes:
            attributes += ' loading="lazy"'
        return f"<img{attributes}>"

    return _IMG.sub(sized, body_html)


def _srcset(filename: str, width: int) -> str:
    """Return the srcset and sizes attributes offering an upload's smaller copies, or "" when it has none."""
    widths = existing_widths(uploads_dir(), filename)
    if not widths:
        return ""
    candidates = [f"/uploads/{rendition_name(filename, w)} {w}w" for w in widths] + [f"/uploads/{filename} {width}w"]
    return f' srcset="{", ".join(candidates)}" sizes="{SIZES}"'


def _upload_sizes(filenames: list[str]) -> dict[str, tuple[int, int]]:
    """Return (width, height) of the named uploads that exist."""
    if not filenames:
        return {}
    stmt = select(Upload.filename, Upload.width, Upload.height).where(Upload.filename.in_(set(filenames)))
    return {row.filename: (row.width, row.height) for row in db.session.execute(stmt)}
