"""Smaller copies of uploaded images (400, 800 and 1600 px wide) and WebP copies, made at upload, offered by srcset.

A phone showing an 8 MB, 4000 px photo in a 390 px column downloads it whole; with these it takes the 800 px copy,
and a browser that reads WebP (all current ones) takes the WebP copy, typically a quarter to a third smaller than
the JPEG or PNG. The copies sit beside the original: `<stem>-<width>w.<ext>` in the original format (orientation
tag kept), `<stem>-<width>w.webp` and, for the full size, `<stem>.webp` (a WebP original is its own WebP copy).
"""

import contextlib
import io
import os

from PIL import Image

# 400 px serves a listing's 7.5rem thumbnail and a byline photo on a 3x phone; 800 and 1600 the text column.
WIDTHS = (400, 800, 1600)
# GIFs are left alone: resizing would drop an animation's frames or its palette tricks.
_RESIZED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_ORIENTATION = 0x0112
_RESIZABLE_MODES = {"RGB", "RGBA", "L", "LA", "CMYK"}
_WEBP_MODES = {"RGB", "RGBA"}
_WEBP_MAX_SIDE = 16383  # the format's limit
_ENCODER_OPTIONS = {"JPEG": {"quality": 82, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 80}}


def rendition_name(filename: str, width: int, image_format: str | None = None) -> str:
    """Return the stored name of the `width` px copy of an upload (in WebP if `image_format` is "WEBP")."""
    stem, ext = os.path.splitext(filename)
    return f"{stem}-{width}w{'.webp' if image_format == 'WEBP' else ext}"


def webp_name(filename: str) -> str:
    """Return the stored name of the full-size WebP copy of an upload (the upload itself if it is a WebP)."""
    return os.path.splitext(filename)[0] + ".webp"


def make_renditions(data: bytes, image_format: str, width: int, filename: str) -> dict[str, bytes]:
    """Return the encoded copies of the upload stored as `filename`, by stored name (none for GIFs).

    Copies narrower than the image in its own format and in WebP, and a full-size WebP copy of a JPEG or PNG.
    The image was checked against the pixel limit before (uploads._inspect), so decoding it here is bounded.
    """
    target = _RESIZED_FORMATS.get(image_format)
    if target is None:
        return {}
    widths = [w for w in WIDTHS if w < width]
    copies = {}
    with Image.open(io.BytesIO(data)) as original:
        if getattr(original, "is_animated", False):
            return {}
        full_width, full_height = original.size
        exif, icc = original.getexif(), original.info.get("icc_profile")
        kept = Image.Exif()
        if _ORIENTATION in exif:
            kept[_ORIENTATION] = exif[_ORIENTATION]
        image = original if original.mode in _RESIZABLE_MODES else original.convert("RGBA")
        webp = max(full_width, full_height) <= _WEBP_MAX_SIDE
        if webp and target != "WEBP":
            copies[webp_name(filename)] = _encode(image, "WEBP", kept, icc)
        for w in widths:
            resized = image.resize((w, max(1, round(full_height * w / full_width))), Image.Resampling.LANCZOS)
            copies[rendition_name(filename, w)] = _encode(resized, target, kept, icc)
            if webp and target != "WEBP":
                copies[rendition_name(filename, w, "WEBP")] = _encode(resized, "WEBP", kept, icc)
    return copies


def _encode(image: Image.Image, image_format: str, exif: Image.Exif, icc: bytes | None) -> bytes:
    """Return the image encoded in `image_format` with the orientation tag and colour profile kept."""
    if image_format == "WEBP" and image.mode not in _WEBP_MODES:
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    out = io.BytesIO()
    image.save(out, format=image_format, exif=exif, icc_profile=icc, **_ENCODER_OPTIONS[image_format])
    return out.getvalue()


def existing_widths(folder: str, filename: str, image_format: str | None = None) -> list[int]:
    """Return the widths of the copies of an upload on disk, in its format or WebP (an imported one may have none)."""
    names = [(w, rendition_name(filename, w, image_format)) for w in WIDTHS]
    return [w for w, name in names if os.path.exists(os.path.join(folder, name))]


def has_webp(folder: str, filename: str) -> bool:
    """Tell whether a full-size WebP copy of an upload is on disk (or the upload is a WebP)."""
    return os.path.exists(os.path.join(folder, webp_name(filename)))


def remove_renditions(folder: str, filename: str) -> None:
    """Delete the copies of an upload, if any (never the upload itself)."""
    names = [rendition_name(filename, w, f) for w in WIDTHS for f in (None, "WEBP")] + [webp_name(filename)]
    for name in set(names) - {filename}:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, name))
