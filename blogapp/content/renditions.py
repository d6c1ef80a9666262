"""Smaller copies of uploaded images (800 and 1600 px wide), made at upload, offered to browsers by srcset.

A phone showing an 8 MB, 4000 px photo in a 390 px column downloads it whole; with these it takes the 800 px copy.
The copies sit beside the original as `<name>-<width>w.<ext>`, same format, orientation tag kept.
"""

import contextlib
import io
import os

from PIL import Image

WIDTHS = (800, 1600)
# GIFs are left alone: resizing would drop an animation's frames or its palette tricks.
_RESIZED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_ORIENTATION = 0x0112
_RESIZABLE_MODES = {"RGB", "RGBA", "L", "LA", "CMYK"}
_ENCODER_OPTIONS = {"JPEG": {"quality": 82, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 80}}


def rendition_name(filename: str, width: int) -> str:
    """Return the stored name of the `width` px copy of the upload stored as `filename`."""
    stem, ext = os.path.splitext(filename)
    return f"{stem}-{width}w{ext}"


def make_renditions(data: bytes, image_format: str, width: int) -> dict[int, bytes]:
    """Return the encoded copies narrower than the image, by width (none for GIFs or small images)."""
    target = _RESIZED_FORMATS.get(image_format)
    widths = [w for w in WIDTHS if w < width]
    if target is None or not widths:
        return {}
    copies = {}
    with Image.open(io.BytesIO(data)) as original:
        full_width, full_height = original.size
        exif, icc = original.getexif(), original.info.get("icc_profile")
        kept = Image.Exif()
        if _ORIENTATION in exif:
            kept[_ORIENTATION] = exif[_ORIENTATION]
        if target == "JPEG":  # decode at a fraction of the size when the largest copy allows it
            original.draft(original.mode, (max(widths), max(widths) * full_height // full_width))
        image = original if original.mode in _RESIZABLE_MODES else original.convert("RGBA")
        for w in widths:
            resized = image.resize((w, max(1, round(full_height * w / full_width))), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, format=target, exif=kept, icc_profile=icc, **_ENCODER_OPTIONS[target])
            copies[w] = out.getvalue()
    return copies


def existing_widths(folder: str, filename: str) -> list[int]:
    """Return the widths of the copies of an upload that are on disk (an imported upload may have none)."""
    return [w for w in WIDTHS if os.path.exists(os.path.join(folder, rendition_name(filename, w)))]


def remove_renditions(folder: str, filename: str) -> None:
    """Delete the copies of an upload, if any."""
    for w in WIDTHS:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, rendition_name(filename, w)))
