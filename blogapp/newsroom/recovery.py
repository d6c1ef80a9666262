"""Links sent by mail: asking for a password reset, choosing a new password, and accepting an invitation."""

from flask import current_app, flash, redirect, render_template, request, url_for

from ..content import audit
from ..content.mail import mail_configured, send_after_response
from ..extensions import db, limiter
from ..models import normalise_email
from ..web.urls import absolute_url
from . import accounts, self_service, tokens
from .account_forms import ChoosePasswordForm, ResetRequestForm
from .auth import bp

EXPIRED = "This link has expired or was already used."


def _limit(setting: str, key_func=None):
    message = "You have asked for many reset links in a short time. Please wait, then try again."
    return limiter.limit(
        lambda: current_app.config[setting], methods=["POST"], key_func=key_func, error_message=message
    )


def _asked_address() -> str:
    """Return the address a reset link is asked for, as stored: the key of the limit per address."""
    return "reset-for:" + normalise_email(request.form.get("email", ""))[:254]


@bp.route("/reset-password", methods=["GET", "POST"])
@_limit("PASSWORD_RESET_RATE_LIMIT")
@_limit("PASSWORD_RESET_ADDRESS_RATE_LIMIT", _asked_address)
def reset_request():
    """Send a reset link to the address given, if it is an account's; say the same thing whatever the address."""
    form = ResetRequestForm()
    if not mail_configured():
        return render_template("auth/reset_request.html", form=None), 422 if form.is_submitted() else 200
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200
    user = accounts.find_user(form.email.data)
    flash(
        f"If {form.email.data.strip()} belongs to an account here, a link to choose a new password is on its way."
        " It works once, within the hour."
    )
    response = redirect(url_for("auth.login"))
    if self_service.can_reset_password(user):
        _send_reset_link(user, response)
    return response


def _send_reset_link(user, response) -> None:
    config = current_app.config
    link = absolute_url("auth.reset_password", token=tokens.make_token(user, tokens.PASSWORD_RESET))
    subject, body = self_service.reset_message(config["SITE_NAME"], link, config["PASSWORD_RESET_HOURS"])
    # After the answer: it must not take longer when the address has an account.
    send_after_response(response, user.email, subject, body)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Let the holder of a reset link choose a new password; every session of the account ends."""
    user = tokens.token_user(token, tokens.PASSWORD_RESET)
    if not self_service.can_reset_password(user):
        return render_template("auth/link_expired.html", message=EXPIRED), 404
    form = ChoosePasswordForm()
    if not form.validate_on_submit():
        page = render_template("auth/choose_password.html", form=form, heading="Choose a new password", user=user)
        return page, 422 if form.errors else 200
    self_service.reset_password(user, form.password.data)
    audit.record("password.reset", user, actor=user)
    db.session.commit()
    flash("Your password is changed and every session of your account was signed out. Sign in with the new one.")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Let an invited person choose their password, which activates their account."""
    user = tokens.token_user(token, tokens.INVITATION)
    if user is None or not self_service.is_invited(user):
        return render_template("auth/link_expired.html", message=EXPIRED + " Ask an admin for a new one."), 404
    form = ChoosePasswordForm()
    if not form.validate_on_submit():
        heading = f"Welcome, {user.name}: choose your password"
        page = render_template("auth/choose_password.html", form=form, heading=heading, user=user)
        return page, 422 if form.errors else 200
    self_service.accept_invitation(user, form.password.data)
    audit.record("invitation.accepted", user, actor=user)
    db.session.commit()
    flash(f"Welcome to the team. Sign in as {user.email} with the password you chose.")
    return redirect(url_for("auth.login"))
