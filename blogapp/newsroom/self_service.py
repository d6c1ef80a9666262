"""Accounts people manage themselves: accepting an invitation, resetting or changing a password, renaming.

Each function changes the session's objects and leaves the commit to the caller; the messages are plain text.
"""

from ..models import Author, User
from .accounts import AccountError, check_password_strength


def invitation_message(site: str, inviter: str, user: User, link: str, hours: float) -> tuple[str, str]:
    """Return the subject and body of an invitation to join the team."""
    body = (
        f"{inviter} has invited you to the newsroom of {site} as {user.role}.\n\n"
        f"Choose your password here to accept (the link works once, for {hours:g} hours):\n\n{link}\n\n"
        "If you did not expect this, you can ignore this message.\n"
    )
    return f"You are invited to {site}", body


def reset_message(site: str, link: str, hours: float) -> tuple[str, str]:
    """Return the subject and body of a password-reset message."""
    body = (
        f"Someone (we hope you) asked to reset your password for the newsroom of {site}.\n\n"
        f"Choose a new password here (the link works once, for {hours:g} hour{'s' if hours != 1 else ''}):\n\n"
        f"{link}\n\nIf you did not ask, ignore this message: your password stays as it is.\n"
    )
    return f"Reset your password for {site}", body


def can_reset_password(user: User | None) -> bool:
    """Tell whether a reset link may be sent to this account (active, with a password already)."""
    return user is not None and user.active and bool(user.password_hash)


def is_invited(user: User) -> bool:
    """Tell whether an account can be sent an invitation: no password yet (invited, or brought over from WordPress)."""
    return not user.active and not user.password_hash


def accept_invitation(user: User, password: str) -> None:
    """Give an invited user the password they chose and let them sign in."""
    check_password_strength(password)
    user.set_password(password)
    user.active = True


def reset_password(user: User, password: str) -> None:
    """Set a new password from a reset link; every session of the user ends."""
    check_password_strength(password)
    user.set_password(password)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password, knowing the current one; every other session ends (the caller signs in again)."""
    if not user.check_password(current):
        raise AccountError("That is not your current password.")
    check_password_strength(new)
    user.set_password(new)


def rename(user: User, name: str) -> None:
    """Change the name on the user's bylines."""
    name = name.strip()
    if not name or len(name) > Author.name.type.length:
        raise AccountError(f"Names on bylines are 1 to {Author.name.type.length} characters.")
    user.author.name = name
