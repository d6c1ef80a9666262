"""Team accounts: creating users, changing roles, and checking sign-ins with throttling."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import caches
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
    locked_minutes: int = 0


def authenticate(email: str, password: str, address: str) -> SignIn:
    """Check a sign-in; record failures and refuse while the account or address is locked."""
    email = normalise_email(email)
    locked = _locked_minutes(email, address)
    if locked:
        return SignIn(locked_minutes=locked)
    user = find_user(email)
    if user is not None and user.active and user.check_password(password):
        db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
        user.last_login_at = utcnow()
        return SignIn(user=user)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
    db.session.add(LoginFailure(email=email[:254], address=address[:64]))
    return SignIn()


def _locked_minutes(email: str, address: str) -> int:
    """Return how many minutes sign-ins stay refused for this account or address (0 when allowed)."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    since = utcnow() - window
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since))
    for column, value, limit in (
        (LoginFailure.email, email, config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (LoginFailure.address, address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    ):
        stmt = select(func.count(), func.min(LoginFailure.failed_at)).where(
            column == value, LoginFailure.failed_at >= since
        )
        count, oldest = db.session.execute(stmt).one()
        if count >= limit:
            return max(1, round((oldest + window - utcnow()).total_seconds() / 60))
    return 0
