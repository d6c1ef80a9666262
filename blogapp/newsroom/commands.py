"""`flask users …`: create team accounts, list them, change roles, deactivate, reset a second factor."""

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..content import audit
from ..extensions import db
from ..models import Role, User, normalise_email
from . import accounts, two_factor

users_group = AppGroup("users", help="Manage the team's accounts.")
ROLE_CHOICE = click.Choice([role.value for role in Role])


def _user_or_fail(email: str) -> User:
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with the email {normalise_email(email)}.")
    return user


def _check_password(value: str) -> str:
    try:
        accounts.check_password_strength(value)
    except accounts.AccountError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


@users_group.command("create")
@click.option("--email", required=True, help="Sign-in email, also the account's unique name.")
@click.option("--role", type=ROLE_CHOICE, required=True, help="admin, editor, author or reviewer.")
@click.option("--name", default="", help="Name shown on bylines (default: the part of the email before @).")
@click.password_option(help="Prompted for (hidden, asked twice) when not given.")
def create_command(email: str, role: str, name: str, password: str) -> None:
    """Create a user; prompts for the password."""
    try:
        user = accounts.create_user(email, Role(role), name, _check_password(password))
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("user.created", user, {"role": str(user.role)})
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.name}).")


@users_group.command("list")
def list_command() -> None:
    """List users with their role and whether they can sign in."""
    users = db.session.scalars(select(User).options(joinedload(User.author)).order_by(User.email))
    for user in users:
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.role}\t{state}\t{user.name}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def set_role_command(email: str, role: str) -> None:
    """Give a user another role."""
    user = _user_or_fail(email)
    role_before = user.role
    accounts.set_role(user, role)
    audit.record_account_change(user, role_before, user.active)
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}.")


@users_group.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop a user signing in and end their sessions (their articles stay)."""
    user = _user_or_fail(email)
    active_before = user.active
    accounts.deactivate(user)
    audit.record_account_change(user, user.role, active_before)
    db.session.commit()
    click.echo(f"{user.email} can no longer sign in.")


@users_group.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let a deactivated user sign in again."""
    user = _user_or_fail(email)
    if not user.password_hash:
        raise click.ClickException(f"{user.email} has no password yet; set one with `flask users set-password`.")
    active_before, user.active = user.active, True
    audit.record_account_change(user, user.role, active_before)
    db.session.commit()
    click.echo(f"{user.email} can sign in again.")


@users_group.command("set-password")
@click.argument("email")
@click.password_option(help="Prompted for (hidden, asked twice) when not given.")
def set_password_command(email: str, password: str) -> None:
    """Set a user's password and sign them out everywhere."""
    user = _user_or_fail(email)
    user.set_password(_check_password(password))
    audit.record("password.changed", user, {"by": "flask users set-password"})
    db.session.commit()
    click.echo(f"Password changed for {user.email}.")


@users_group.command("reset-two-factor")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Turn off a user's second factor (a lost phone) and sign them out everywhere."""
    user = _user_or_fail(email)
    two_factor.disable(user)
    user.end_sessions()
    db.session.commit()
    click.echo(f"Two-factor sign-in of {user.email} is off; they can set it up again after signing in.")
