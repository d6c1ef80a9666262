"""`flask uploads make-copies` gives uploads stored before a copy width existed the copies they lack."""

import io

from PIL import Image
from werkzeug.datastructures import FileStorage

from blogapp.content.uploads import store_image
from blogapp.extensions import db


def test_make_copies_writes_only_the_missing_copies(runner, ctx, uploads_dir):
    out = io.BytesIO()
    Image.new("RGB", (1000, 500), (20, 120, 90)).save(out, "PNG")
    upload = store_image(FileStorage(io.BytesIO(out.getvalue()), "chart.png"), None, "A chart")
    gif = io.BytesIO()
    Image.new("P", (1000, 500)).save(gif, "GIF")
    store_image(FileStorage(io.BytesIO(gif.getvalue()), "anim.gif"), None, "A drawing")  # GIFs get no copies
    db.session.commit()
    stem = upload.filename[:-4]
    kept = uploads_dir / f"{stem}-800w.png"
    before = kept.stat().st_mtime_ns
    for name in (f"{stem}-400w.png", f"{stem}-400w.webp", f"{stem}.webp"):  # as stored before 400 px copies
        (uploads_dir / name).unlink()
    result = runner.invoke(args=["uploads", "make-copies"])
    assert result.exit_code == 0 and "Wrote 3 copies for 1 uploads." in result.output, result.output
    with Image.open(uploads_dir / f"{stem}-400w.webp") as copy:
        assert copy.size == (400, 200) and copy.format == "WEBP"
    assert kept.stat().st_mtime_ns == before
    assert "Wrote 0 copies for 0 uploads." in runner.invoke(args=["uploads", "make-copies"]).output
