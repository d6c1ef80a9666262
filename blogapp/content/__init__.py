"""Content services: what the site holds and the rules it follows, with no request in them. The caller commits."""

from flask import Flask

from . import audit, mail, version


def init_app(app: Flask) -> None:
    """Count every change to what readers see in its own transaction; keep the audit log pruned; add `flask mail`."""
    version.init_app(app)
    audit.init_app(app)
    mail.init_app(app)
