"""Content services: what the site holds and the rules it follows, with no request in them. The caller commits."""

from flask import Flask

from . import audit, version


def init_app(app: Flask) -> None:
    """Count every change to what readers see, in the transaction that makes it; keep the audit log pruned."""
    version.init_app(app)
    audit.init_app(app)
