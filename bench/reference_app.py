"""The machine's reference for bench/load.py: what Flask under the same gunicorn settings does with no work.

The issue's figures for its machine class were about 1,950 requests/s for a constant 35 KB page and 2,550 for an
empty 304; measured here beside the real pages, they say how fast this machine is at the moment of the run.
"""

from flask import Flask, Response, request

app = Flask(__name__)
PAGE = "<!doctype html><title>Reference</title>" + "x" * 35_000


@app.get("/")
@app.get("/<path:_path>")
def page(_path: str = "") -> Response:
    """Answer a constant 35 KB page, or an empty 304 to a conditional request."""
    if request.headers.get("If-None-Match"):
        return Response(status=304, headers={"ETag": 'W/"reference"'})
    return Response(PAGE, mimetype="text/html", headers={"ETag": 'W/"reference"'})
