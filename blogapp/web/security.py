"""Security headers on every response, and the refusal to serve without a real SECRET_KEY."""

import secrets

import click
from flask import Flask, Response, request

# Only our own files run as scripts: no inline script or event handler can, even if one slipped past the
# sanitiser. JSON-LD is a data block, which browsers do not execute, so it needs no exception.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Articles moved in from WordPress may show images from their old host.
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS_SECONDS = 365 * 24 * 3600

MIN_SECRET_KEY_CHARS = 16
# Long keys published in tutorials and sample configs: a site signing sessions with one can be impersonated.
PUBLISHED_KEYS = frozenset({"you-will-never-guess", "change-this-secret-key", "super-secret-key", "changeme-changeme"})


class InsecureSecretKey(RuntimeError):
    """The app was asked to serve with a missing or published SECRET_KEY."""


def check_secret_key(app: Flask) -> None:
    """Refuse to serve without a real SECRET_KEY; allow a temporary one for tests, debug and `flask` commands."""
    key = app.config.get("SECRET_KEY") or ""
    strong = len(key) >= MIN_SECRET_KEY_CHARS and str(key).strip().lower() not in PUBLISHED_KEYS
    if strong or (key and app.testing):
        return
    # `flask init` is what writes the key, so commands run before it exists must still start.
    if app.testing or app.debug or click.get_current_context(silent=True) is not None:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        _warn_when_serving(app)
        return
    raise InsecureSecretKey(
        "SECRET_KEY is missing, shorter than 16 characters or a published default. Run "
        "`flask --app blogapp init` to write a random one to instance/config.py, or set BLOGAPP_SECRET_KEY."
    )


def _warn_when_serving(app: Flask) -> None:
    """Warn about the temporary key once the app serves a request (never during `flask init`, which writes it)."""
    warned = []

    @app.before_request
    def warn_about_temporary_key() -> None:
        if not warned:
            warned.append(True)
            app.logger.warning("SECRET_KEY is missing or too weak; using a temporary one: sessions end on restart. "
                               "Run `flask --app blogapp init`.")


def add_security_headers(response: Response) -> Response:
    """Send the headers that stop framing, MIME sniffing, referrer leaks and injected scripts."""
    return set_headers(response, request.is_secure)


def set_headers(response: Response, secure: bool) -> Response:
    """Set the security headers on `response`; HSTS only if it goes out over HTTPS."""
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if secure:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}; includeSubDomains"
    return response


def init_app(app: Flask) -> None:
    """Check the secret key and add security headers to every response."""
    check_secret_key(app)
    app.after_request(add_security_headers)
