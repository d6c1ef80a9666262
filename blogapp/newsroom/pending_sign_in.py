"""A sign-in between its two steps: the password was right, the second-factor code is still to come.

The session (signed, so the browser cannot change it) holds the account's session token and the time of the
password step; a password change in between, or TWO_FACTOR_STEP_SECONDS passing, ends it.
"""

import time

from flask import current_app, session
from sqlalchemy import select

from ..extensions import db
from ..models import User

_KEY = "pending_sign_in"


def begin(user: User, next_url: str | None) -> None:
    """Start the second step for `user` in a fresh session (nobody is signed in until it succeeds)."""
    session.clear()
    session[_KEY] = {"token": user.session_token, "at": int(time.time()), "next": next_url or ""}


def pending_user() -> User | None:
    """Return the user whose password was checked in this session, if that was recent enough."""
    pending = session.get(_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None
    if time.time() - pending["at"] > current_app.config["TWO_FACTOR_STEP_SECONDS"]:
        return None
    stmt = select(User).where(User.session_token == str(pending.get("token")), User.active.is_(True))
    user = db.session.scalar(stmt)
    return user if user is not None and user.has_two_factor else None


def next_url() -> str | None:
    """Return where the sign-in was heading (checked by the caller)."""
    pending = session.get(_KEY)
    return pending.get("next") or None if isinstance(pending, dict) else None
