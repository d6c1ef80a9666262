"""Metadata removed from uploaded images: EXIF and XMP (camera, time, GPS position), keeping only the orientation.

JPEG and PNG are saved again by Pillow. WebP and GIF are cut at their container's chunks and blocks, so the
pictures (every frame of an animation) keep their exact bytes.
"""

import io
import struct

from PIL import Image

_ORIENTATION = 0x0112
# GIF application extensions that are part of showing the picture: the animation loop count and the colour profile.
_GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")
_WEBP_METADATA_CHUNKS = (b"EXIF", b"XMP ")
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


class DamagedImage(ValueError):
    """An image whose container does not hold together (it decoded, but its chunks or blocks run past the end)."""


def without_metadata(data: bytes, image_format: str) -> bytes:
    """Return the image without EXIF and XMP (and GIF comments), with its EXIF orientation when it had one."""
    if image_format in ("JPEG", "MPO", "PNG"):
        return _resaved(data, image_format)
    if image_format == "WEBP":
        return _webp_without_metadata(data)
    if image_format == "GIF":
        return _gif_without_metadata(data)
    return data


def _orientation_only(exif: Image.Exif) -> Image.Exif:
    kept = Image.Exif()
    if _ORIENTATION in exif:
        kept[_ORIENTATION] = exif[_ORIENTATION]
    return kept


def _resaved(data: bytes, image_format: str) -> bytes:
    """Save a JPEG or PNG again with only its orientation, when it has any metadata."""
    with Image.open(io.BytesIO(data), formats=[image_format if image_format != "MPO" else "JPEG"]) as image:
        exif = image.getexif()
        if not exif and not {"exif", "xmp", "XML:com.adobe.xmp"} & image.info.keys():
            return data
        out = io.BytesIO()
        icc = image.info.get("icc_profile")
        if image_format == "PNG":
            image.save(out, format="PNG", exif=_orientation_only(exif), icc_profile=icc)
        else:
            # "keep" reuses the file's own quantisation tables, so the photo is not visibly re-compressed.
            image.save(out, format="JPEG", quality="keep", exif=_orientation_only(exif), icc_profile=icc)
    return out.getvalue()


def _webp_without_metadata(data: bytes) -> bytes:
    """Drop a WebP's EXIF and XMP chunks (RIFF), putting back an EXIF chunk holding only the orientation."""
    chunks, has_metadata = [], False
    position = 12
    while position + 8 <= len(data):
        fourcc, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        if position + 8 + size > len(data):
            raise DamagedImage("a WebP chunk runs past the end of the file")
        end = position + 8 + size + (size & 1)
        if fourcc in _WEBP_METADATA_CHUNKS:
            has_metadata = True
        else:
            chunks.append(bytearray(data[position:end]))
        position = end
    if not has_metadata:
        return data
    with Image.open(io.BytesIO(data), formats=["WEBP"]) as image:
        kept = _orientation_only(image.getexif())
    for chunk in chunks:
        if chunk[:4] == b"VP8X":
            chunk[8] &= ~(_VP8X_EXIF | _VP8X_XMP) & 0xFF
            if kept:
                chunk[8] |= _VP8X_EXIF
    if kept and any(chunk[:4] == b"VP8X" for chunk in chunks):
        tiff = kept.tobytes()[6:]  # without the "Exif\0\0" header, as WebP stores it
        chunks.append(bytearray(b"EXIF" + struct.pack("<I", len(tiff)) + tiff + b"\0" * (len(tiff) & 1)))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _gif_without_metadata(data: bytes) -> bytes:
    """Drop a GIF's comment blocks and application blocks (XMP and others) but the loop count and colour profile."""
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    kept, changed = [data[:position]], False
    while position < len(data) and data[position] != 0x3B:
        start = position
        if data[position] == 0x21:
            label = data[position + 1]
            position = _after_sub_blocks(data, position + 2)
            application = data[start + 3 : start + 14] if label == 0xFF else b""
            if label == 0xFE or (label == 0xFF and application not in _GIF_KEPT_APPLICATIONS):
                changed = True
                continue
        elif data[position] == 0x2C:
            local = data[position + 9]
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            position = _after_sub_blocks(data, position + 1)  # after the LZW code size
        else:
            raise DamagedImage("an unknown GIF block")
        kept.append(data[start:position])
    return b"".join(kept) + b"\x3b" if changed else data


def _after_sub_blocks(data: bytes, position: int) -> int:
    """Return the position after a chain of GIF data sub-blocks (each a length byte, ended by a zero)."""
    while True:
        if position >= len(data):
            raise DamagedImage("a GIF block runs past the end of the file")
        size = data[position]
        position += 1 + size
        if size == 0:
            return position
