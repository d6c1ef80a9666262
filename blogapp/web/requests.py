"""What every request must be before a view sees it: ids the database can hold, no NUL characters."""

from itertools import chain

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from ..models import MAX_ID

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class IdConverter(IntegerConverter):
    """`<int:…>` in our URLs: at most MAX_ID, so a larger number is not found instead of overflowing the database."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def refuse_nul_characters() -> None:
    """Answer 400 to a request with a NUL character in its path, query or form."""
    # No address or form of ours takes one, and PostgreSQL cannot store or compare one (SQLite can).
    fields = request.args.items(multi=True)
    if request.mimetype in _FORM_TYPES:  # the only requests Werkzeug reads a form from (saves parsing none)
        fields = chain(fields, request.form.items(multi=True))
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in fields):
        abort(400)


def init_app(app: Flask) -> None:
    """Bound `<int:…>` URL parts and refuse NUL characters (before any blueprint adds its routes)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
