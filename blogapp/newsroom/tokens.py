"""Signed links for invitations and password resets: expiring, and good once.

A link carries the user's id and a fingerprint of their password hash and session token, signed with SECRET_KEY.
Setting a password changes both, so a used link (or any older one) no longer matches; deactivating the account
changes the session token, which cancels its open links too.
"""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"
_HOURS_SETTING = {INVITATION: "INVITATION_HOURS", PASSWORD_RESET: "PASSWORD_RESET_HOURS"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"blogapp.{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}\0{user.session_token}".encode()).hexdigest()[:24]


def make_token(user: User, purpose: str) -> str:
    """Return a link token for `purpose` (INVITATION or PASSWORD_RESET) that only `user` can use, once."""
    return _serializer(purpose).dumps([user.id, _fingerprint(user)])


def token_user(token: str, purpose: str) -> User | None:
    """Return the user a token is for, or None when it is forged, expired, used or cancelled."""
    max_age = 3600 * float(current_app.config[_HOURS_SETTING[purpose]])
    try:
        user_id, fingerprint = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(fingerprint, str) or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        return None
    return user
