"""Images in rendered article bodies: uploaded ones get their size, smaller and WebP copies, lazy loading."""

import re

from sqlalchemy import select

from ..extensions import db
from ..models import Upload
from .renditions import existing_widths, has_webp, rendition_name, webp_name
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
        webp = ""
        if source and source[1] in sizes and " srcset=" not in attributes:
            fallback, webp = srcsets(source[1], sizes[source[1]][0])
            attributes += f' srcset="{fallback}" sizes="{SIZES}"' if fallback else ""
        if count > 1 and " loading=" not in attributes:
            attributes += ' loading="lazy"'
        if webp:  # browsers that read WebP take a copy from the source; the others the img's own srcset
            return f'<picture><source type="image/webp" srcset="{webp}" sizes="{SIZES}"><img{attributes}></picture>'
        return f"<img{attributes}>"

    return _IMG.sub(sized, body_html)


def srcsets(filename: str, width: int) -> tuple[str, str]:
    """Return the srcsets offering an upload's copies in its own format and in WebP ("" where there are none)."""
    folder = uploads_dir()
    own = [f"/uploads/{rendition_name(filename, w)} {w}w" for w in existing_widths(folder, filename)]
    fallback = ", ".join([*own, f"/uploads/{filename} {width}w"]) if own else ""
    if filename.endswith(".webp") or not has_webp(folder, filename):
        return fallback, ""
    webp = [f"/uploads/{rendition_name(filename, w, 'WEBP')} {w}w" for w in existing_widths(folder, filename, "WEBP")]
    return fallback, ", ".join([*webp, f"/uploads/{webp_name(filename)} {width}w"])


def _upload_sizes(filenames: list[str]) -> dict[str, tuple[int, int]]:
    """Return (width, height) of the named uploads that exist."""
    if not filenames:
        return {}
    stmt = select(Upload.filename, Upload.width, Upload.height).where(Upload.filename.in_(set(filenames)))
    return {row.filename: (row.width, row.height) for row in db.session.execute(stmt)}
