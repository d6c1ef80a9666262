"""Uploaded images lose their EXIF and XMP (GPS position, camera, comments) in every accepted format, keep their
orientation, and show the same pixels and frames."""

import io
import os

import pytest
from PIL import Image, ImageChops
from upload_images import originals, post_image

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif='
    b'"http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N" exif:GPSLongitude="0,7.5W"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
# Adobe's way of putting XMP in a GIF: the packet as it is, then a "magic trailer" that any GIF reader skips.
GIF_XMP_BLOCK = b"\x21\xff\x0bXMP DataXMP" + XMP + b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
SECRETS = (b"GPSLatitude", b"PhoneMaker", b"Home address")


def gps_exif(orientation: int | None = 6) -> Image.Exif:
    """Return EXIF a phone writes: camera maker, GPS latitude and longitude, and an orientation."""
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 30.0)
    return exif


def frames(colours=("teal", "orange")) -> list[Image.Image]:
    return [Image.new("RGB", (40, 30), colour) for colour in colours]


def webp_photo() -> bytes:
    out = io.BytesIO()
    frames()[0].save(out, "WEBP", lossless=True, exif=gps_exif(), xmp=XMP)
    return out.getvalue()


def webp_animation() -> bytes:
    out = io.BytesIO()
    first, *rest = frames()
    first.save(out, "WEBP", save_all=True, append_images=rest, lossless=True, duration=200, loop=3, exif=gps_exif())
    return out.getvalue()


def gif(animated: bool) -> bytes:
    """Return a GIF with a comment and an XMP packet holding a GPS position (as Photoshop writes it)."""
    out = io.BytesIO()
    first, *rest = frames() if animated else frames()[:1]
    options = {"save_all": True, "append_images": rest, "duration": 200, "loop": 0} if animated else {}
    first.save(out, "GIF", comment=b"Home address: 1 Example Road", **options)
    data = out.getvalue()
    return data[:-1] + GIF_XMP_BLOCK + b"\x3b"


def png_photo() -> bytes:
    out = io.BytesIO()
    frames()[0].save(out, "PNG", exif=gps_exif())
    return out.getvalue()


def has_location(data: bytes) -> bool:
    """Tell whether an image holds a GPS position, in its EXIF or in XMP."""
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD)) or b"GPSLatitude" in data


def read_frames(data: bytes) -> list[Image.Image]:
    with Image.open(io.BytesIO(data)) as image:
        return [image.seek(n) or image.convert("RGB") for n in range(getattr(image, "n_frames", 1))]


@pytest.mark.parametrize(
    ("make", "ext"),
    [
        (webp_photo, ".webp"),
        (webp_animation, ".webp"),
        (lambda: gif(False), ".gif"),
        (lambda: gif(True), ".gif"),
        (png_photo, ".png"),
    ],
    ids=["webp", "animated-webp", "gif", "animated-gif", "png"],
)
def test_every_format_loses_its_location_and_camera_data(uploads_dir, client, team, login, make, ext):
    original = make()
    assert has_location(original)
    login(team["author"].email)
    assert post_image(client, original, "holiday" + ext).status_code == 302
    (name,) = originals(uploads_dir)
    assert name.endswith(ext)
    stored = (uploads_dir / name).read_bytes()
    for copy in os.listdir(uploads_dir):  # the WebP copy too
        data = (uploads_dir / copy).read_bytes()
        assert not has_location(data) and not any(secret in data for secret in SECRETS), copy
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and MAKE not in exif
        assert "xmp" not in image.info and "comment" not in image.info
        if ext != ".gif":
            assert exif.get(ORIENTATION) == 6
    before, after = read_frames(original), read_frames(stored)
    assert len(after) == len(before)
    assert all(ImageChops.difference(a, b).getbbox() is None for a, b in zip(before, after, strict=True))


def test_animated_gif_keeps_its_loop_and_timing(uploads_dir, client, team, login):
    login(team["author"].email)
    assert post_image(client, gif(True), "spin.gif").status_code == 302
    (name,) = originals(uploads_dir)
    with Image.open(uploads_dir / name) as image:
        assert image.n_frames == 2 and image.info["loop"] == 0 and image.info["duration"] == 200


def test_image_without_metadata_is_stored_byte_for_byte(uploads_dir, client, team, login):
    out = io.BytesIO()
    frames()[0].save(out, "WEBP", lossless=True)
    login(team["author"].email)
    assert post_image(client, out.getvalue(), "plain.webp").status_code == 302
    (name,) = os.listdir(uploads_dir)
    assert (uploads_dir / name).read_bytes() == out.getvalue()
