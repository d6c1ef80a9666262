"""Signing in and out, and the role checks every newsroom view makes."""

import math
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..content import audit
from ..content.mail import mail_configured
from ..extensions import db, login_manager
from ..models import Role, User, normalise_email
from . import accounts, pending_sign_in
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def init_app(app) -> None:
    """Set up Flask-Login for the newsroom."""
    # Templates get `current_user` as the lazy proxy (templating.py), so pages that never show it (every reader
    # page) never load a user.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to use the newsroom."
    login_manager.session_protection = "basic"


@bp.after_request
def _never_store(response):
    response.cache_control.no_store = True  # the sign-in page carries a CSRF token
    return response


@login_manager.user_loader
def _load_user(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))


def role_required(*roles: Role):
    """Let signed-in users with one of `roles` (or admins) through; others get the sign-in page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the dashboard."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign a team member in."""
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form), 422 if form.errors else 200
    attempt = accounts.authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
    _record_attempt(attempt, normalise_email(form.email.data))
    db.session.commit()  # failures too: the throttle and the audit log keep them though the sign-in fails
    if attempt.wait_seconds:
        form.form_errors.append(
            f"Too many failed sign-ins from this address. Try again in {duration(attempt.wait_seconds)}."
        )
        return _login_page(form), 429, {"Retry-After": str(attempt.wait_seconds)}
    if attempt.user is None:
        form.form_errors.append("That email and password do not match an active account.")
        return _login_page(form), 200
    if attempt.user.has_two_factor:
        pending_sign_in.begin(attempt.user, request.args.get("next"))
        return redirect(url_for("auth.second_step"))
    return complete_sign_in(attempt.user, request.args.get("next"))


def _login_page(form: LoginForm) -> str:
    return render_template("auth/login.html", form=form, can_reset=mail_configured())


def complete_sign_in(user: User, next_url: str | None):
    """Sign `user` in to a fresh session and go on to `next_url` (if on this site) or the dashboard."""
    audit.record("signin.succeeded", user, actor=user)
    db.session.commit()
    session.clear()  # a fresh session at sign-in, so a session fixed before it is worth nothing
    login_user(user)
    flash(f"Signed in as {user.name}.")
    return redirect(safe_next(next_url))


def _record_attempt(attempt: accounts.SignIn, email: str) -> None:
    """Add a refused sign-in's audit event: a failure, or a lockout (once per address and account a window)."""
    tried = ("user", None, email[:254])
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    if attempt.user is not None:
        return  # recorded when the sign-in completes, after the second step if the account has one
    if not attempt.wait_seconds:
        audit.record("signin.failed", tried, {"email": email[:254]})
    elif not audit.recorded_since("signin.locked_out", email, window):
        audit.record("signin.locked_out", tried, {"email": email[:254], "wait_seconds": attempt.wait_seconds})


def duration(seconds: int) -> str:
    """Say a wait in words: "45 seconds", "1 minute", "12 minutes"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@bp.post("/logout")
def logout():
    """Sign out and forget the session."""
    if current_user.is_authenticated:
        audit.record("signout", current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
