"""Account models: the team's users and failed sign-ins. Models never commit."""

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .content import Author, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    AUTHOR = "author"
    REVIEWER = "reviewer"


def normalise_email(email: str) -> str:
    """Return the form emails are stored and compared in."""
    return email.strip().lower()


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """Someone on the team who signs in; their public byline is their author profile."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Empty for accounts that cannot sign in yet (e.g. authors brought over from WordPress).
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.AUTHOR)
    active: Mapped[bool] = mapped_column(default=True)
    # Flask-Login keeps this in the session instead of the id, so changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_session_token)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()
    # Base32 TOTP secret (RFC 6238) once two-factor sign-in is set up; empty while it is off.
    totp_secret: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The last 30-second step whose code was accepted: a code is good once, even within its window.
    totp_last_step: Mapped[int | None] = mapped_column()

    author: Mapped[Author] = relationship()

    @property
    def name(self) -> str:
        """Return the name shown on bylines and in the newsroom."""
        return self.author.name

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.session_token

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of `password` and end the user's other sessions."""
        self.password_hash = generate_password_hash(password)
        self.session_token = _new_session_token()

    def check_password(self, password: str) -> bool:
        """Tell whether `password` is this user's password."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Sign the user out of every browser."""
        self.session_token = _new_session_token()

    @property
    def has_two_factor(self) -> bool:
        """Tell whether signing in asks this user for a second factor."""
        return bool(self.totp_secret)

    def can(self, *roles: Role) -> bool:
        """Tell whether the user has one of `roles` (admins can do everything)."""
        return self.role == Role.ADMIN or self.role in roles


class LoginFailure(db.Model):
    """A failed sign-in, kept for a short while to slow down password guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RecoveryCode(db.Model):
    """A single-use code that stands in for the second factor, stored as its SHA-256 (the code has 50 random bits)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()
