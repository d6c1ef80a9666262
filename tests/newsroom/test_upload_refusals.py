"""Uploads refused with a message and nothing stored: not an image, damaged, too large, bombs, no token, no commit."""

import struct
import zlib

import pytest
from conftest import csrf_token
from upload_images import URL, assert_nothing_stored, image_bytes, post_image

from blogapp.extensions import db


def png_claiming(width: int, height: int) -> bytes:
    """Return a small, valid 1-bit PNG whose pixels would take far more memory than the file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


_HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        pytest.param(_HTML, "innocent.png", "is not a PNG, JPEG, WebP or GIF image", id="html-renamed-png"),
        pytest.param(_SVG, "logo.svg", "is not a PNG, JPEG, WebP or GIF image", id="svg-with-script"),
        pytest.param(image_bytes("PNG", noise=True)[:-200], "cut.png", "damaged or incomplete", id="truncated-png"),
        pytest.param(image_bytes("JPEG", noise=True)[:-200], "cut.jpg", "damaged or incomplete", id="truncated-jpeg"),
        pytest.param(b"GIF89a" + _HTML, "poly.gif", "is not a PNG", id="gif-header-then-html"),
        pytest.param(image_bytes("GIF", mode="P") + _HTML, "poly.gif", "web page or script", id="valid-gif-plus-html"),
        pytest.param(image_bytes("PNG") + _SVG, "poly.png", "web page or script", id="valid-png-plus-svg"),
        pytest.param(image_bytes("BMP"), "old.bmp", "is not a PNG", id="bmp"),
        pytest.param(b"", "empty.png", "The file is empty", id="empty"),
    ],
)
def test_bad_file_is_refused_with_the_form_and_a_message(client, author, uploads_dir, data, filename, message):
    response = post_image(client, data, filename)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'enctype="multipart/form-data"' in html
    assert 'aria-invalid="true"' in html
    assert_nothing_stored(uploads_dir)


def test_missing_file_is_refused(client, author, uploads_dir):
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL)}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose an image to upload." in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


def test_file_over_the_byte_limit_is_refused(app, client, author, uploads_dir):
    data = image_bytes("PNG", size=(100, 100), noise=True)
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 1
    response = post_image(client, data)
    assert response.status_code == 422
    assert "The file is larger than" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)

    app.config["UPLOAD_MAX_BYTES"] = len(data)
    assert post_image(client, data).status_code == 302


def test_image_over_the_pixel_limit_is_refused(app, client, author, uploads_dir):
    app.config["UPLOAD_MAX_PIXELS"] = 40 * 30 - 1
    response = post_image(client, image_bytes("PNG", size=(40, 30)))
    assert response.status_code == 422
    assert "million pixels" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


@pytest.mark.parametrize("side", [8_000, 20_000], ids=["over-our-limit", "over-pillows-limit"])
def test_decompression_bomb_is_refused_without_decoding(client, author, uploads_dir, side):
    data = png_claiming(side, side)
    assert len(data) < 2_000_000  # a small file whose pixels would not fit in memory comfortably
    response = post_image(client, data, "bomb.png")
    assert response.status_code == 422
    assert "more than 40 million pixels" in response.get_data(as_text=True)
    assert_nothing_stored(uploads_dir)


def test_request_over_max_content_length_gets_413(app, client, author, uploads_dir):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post_image(client, b"\0" * 20_000)
    assert response.status_code == 413
    assert_nothing_stored(uploads_dir)


def test_upload_without_csrf_token_is_refused(client, author, uploads_dir):
    response = post_image(client, image_bytes("PNG"), token=False)
    assert response.status_code == 400
    assert_nothing_stored(uploads_dir)


def test_failed_commit_leaves_no_file_behind(client, author, uploads_dir, monkeypatch):
    def fail():
        raise RuntimeError("database is gone")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError):
        post_image(client, image_bytes("PNG"))
    monkeypatch.undo()
    assert_nothing_stored(uploads_dir)
