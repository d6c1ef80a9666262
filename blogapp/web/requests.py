"""What every request must be before a view sees it: a host we serve, a form we can afford to read, ids the
database can hold, no NUL characters."""

from itertools import chain
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, session
from werkzeug.exceptions import SecurityError
from werkzeug.routing import IntegerConverter

from ..models import MAX_ID

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Served when neither TRUSTED_HOSTS nor SITE_URL says otherwise (Werkzeug cannot match an IPv6 literal such as ::1).
LOCAL_HOSTS = ("localhost", "127.0.0.1")


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


def bound_form_size() -> None:
    """Let an anonymous client send a urlencoded form of ANONYMOUS_FORM_MAX_BYTES at most (413 past it)."""
    # Werkzeug bounds multipart forms (MAX_FORM_PARTS, MAX_FORM_MEMORY_SIZE) but reads a urlencoded body whole,
    # at about 4 s a worker for 15 MB of fields. Anonymous forms (sign-in) are small; the editor's article body
    # is not, and only a signed-in session (a cookie nobody can forge) may send one up to MAX_CONTENT_LENGTH.
    if request.mimetype == _FORM_TYPES[0] and "_user_id" not in session:
        request.max_content_length = current_app.config["ANONYMOUS_FORM_MAX_BYTES"]


def refuse_foreign_host() -> None:
    """Answer 400 before any other hook when the Host header names a site we do not serve."""
    # Flask records the refusal as the routing exception but runs the before-request hooks first.
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


def foreign_host(error: SecurityError) -> Response:
    """Refuse the host in plain text (never echoing it): with no URL adapter, no page template can build links."""
    text = (
        "400 Bad Request: this site does not answer to that host name.\n"
        "If you run this site, set SITE_URL (or TRUSTED_HOSTS) to the address readers use.\n"
    )
    return Response(text, status=400, mimetype="text/plain")


def trusted_hosts(config) -> list[str]:
    """Return the host names this site answers to: TRUSTED_HOSTS, else SITE_URL's host, else this machine's."""
    if config.get("TRUSTED_HOSTS") is not None:
        return list(config["TRUSTED_HOSTS"])
    if config.get("SITE_URL"):
        return [urlsplit(config["SITE_URL"]).hostname]
    return list(LOCAL_HOSTS)


def init_app(app: Flask) -> None:
    """Serve only our hosts, bound forms and `<int:…>` URL parts, refuse NUL characters (before any blueprint)."""
    # A Host header we do not serve gets 400 before any view, so it never reaches a link, feed or redirect.
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_foreign_host)
    app.register_error_handler(SecurityError, foreign_host)
    app.before_request(bound_form_size)
    app.before_request(refuse_nul_characters)
