"""Team accounts: creating users, changing roles, and checking sign-ins with throttling."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import caches, metrics
from ..content.slugs import slugify
from ..extensions import db
from ..models import Author, LoginFailure, Role, User, normalise_email, utcnow

MIN_PASSWORD_LENGTH = 10


@caches.memoize(
    "newsroom.dummy_password_hash",
    maxsize=1,
    holds="a password hash to check against when the account does not exist",
    cleared_by="nothing: it is the same for the life of the process",
)
def _dummy_hash() -> str:
    # Checked against when the account does not exist, so a wrong email costs as much time as a wrong password.
    return generate_password_hash("not a real password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def find_user(email: str) -> User | None:
    """Return the user with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_password_strength(password: str) -> None:
    """Raise AccountError when a password is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")


def create_user(email: str, role: Role, name: str, password: str | None, *, active: bool = True) -> User:
    """Create a user with an author profile for their byline; the caller commits."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address.")
    if find_user(email):
        raise AccountError(f"A user with the email {email} already exists.")
    if len(name.strip()) > Author.name.type.length:
        raise AccountError(f"Names on bylines are at most {Author.name.type.length} characters.")
    author = _author_profile(name.strip() or email.split("@")[0])
    user = User(email=email, role=Role(role), active=active, author=author)
    if password is not None:
        check_password_strength(password)
        user.set_password(password)
    db.session.add(user)
    return user


def _author_profile(name: str) -> Author:
    """Return the unclaimed author profile with this name, or a new one with a free slug."""
    claimed = select(User.author_id)
    existing = db.session.scalar(select(Author).where(Author.name == name, Author.id.not_in(claimed)))
    if existing:
        return existing
    base = slugify(name) or "author"
    slug, n = base, 1
    while db.session.scalar(select(Author.id).where(Author.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    author = Author(slug=slug, name=name)
    db.session.add(author)
    return author


def set_role(user: User, role: str) -> None:
    """Give the user another role; the caller commits."""
    try:
        user.role = Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(Role)}.") from None


def deactivate(user: User) -> None:
    """Stop the user signing in and end their sessions; their articles stay."""
    user.active = False
    user.end_sessions()


@dataclass(frozen=True)
class SignIn:
    user: User | None = None
    wait_seconds: int = 0


@dataclass(frozen=True)
class Failures:
    """Recent failed sign-ins matching one condition: how many, the first and the last."""

    count: int
    first: datetime | None
    last: datetime | None


def authenticate(email: str, password: str, address: str) -> SignIn:
    """Check a sign-in; record failures and refuse while this address must wait."""
    email = normalise_email(email)
    wait = wait_seconds(email, address)
    if wait:
        metrics.SIGN_IN_FAILURES.labels("waiting").inc()
        return SignIn(wait_seconds=wait)
    user = find_user(email)
    if user is not None and user.active and user.check_password(password):
        if not user.has_two_factor:  # else the failures stay until the second step succeeds too
            signed_in(user, address)
        return SignIn(user=user)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
    record_failure(email, address)
    return SignIn()


def signed_in(user: User, address: str) -> None:
    """Note a complete sign-in: forget this address's failures on the account; the caller commits."""
    # Only this address's failures: an attacker's elsewhere keep slowing the attacker, not the owner.
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == user.email, LoginFailure.address == address))
    user.last_login_at = utcnow()


def record_failure(email: str, address: str) -> None:
    """Record a failed password or second-factor code, which slows the next tries; the caller commits."""
    metrics.SIGN_IN_FAILURES.labels("wrong").inc()
    db.session.add(LoginFailure(email=normalise_email(email)[:254], address=address[:64]))


def wait_seconds(email: str, address: str) -> int:
    """Return how long this address must wait before trying this account again (0: try now).

    An address with no recent failure is never refused, so nobody can lock a team member out by failing from
    elsewhere. An address that has failed waits longer after each failure on this account, from it or from
    anywhere (a guess spread over many addresses is slowed too), and is shut out for the window after failing
    on LOGIN_MAX_FAILURES_PER_ADDRESS sign-ins (one address trying many accounts).
    """
    config = current_app.config
    email = normalise_email(email)
    now = utcnow()
    window = timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - window))
    from_address = _failures(LoginFailure.address == address)
    if from_address.count == 0:
        return 0
    if from_address.count >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        return _seconds_until(from_address.first + window, now)
    limit = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    waits = [
        _growing_delay(failures, limit, window, now)
        for failures in (
            _failures(LoginFailure.email == email, LoginFailure.address == address),
            _failures(LoginFailure.email == email),
        )
    ]
    return max(waits)


def _failures(*conditions) -> Failures:
    stmt = select(func.count(), func.min(LoginFailure.failed_at), func.max(LoginFailure.failed_at)).where(*conditions)
    return Failures(*db.session.execute(stmt).one())


def _growing_delay(failures: Failures, limit: int, window: timedelta, now: datetime) -> int:
    """Return the wait after the last of `failures`: none below `limit`, then doubling from the base delay."""
    if failures.count < limit:
        return 0
    doublings = min(failures.count - limit, 16)  # 15 s × 2**16 is past any window already
    delay = min(window, timedelta(seconds=current_app.config["LOGIN_DELAY_SECONDS"] * 2**doublings))
    return _seconds_until(failures.last + delay, now)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, math.ceil((moment - now).total_seconds()))
