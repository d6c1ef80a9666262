"""Users: admins add or invite people to the team, change roles, stop access and reset second factors."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..content import audit
from ..content.mail import MailError, mail_configured, send_mail
from ..extensions import db
from ..models import Role, User
from ..web.urls import absolute_url
from . import accounts, bp, self_service, tokens, two_factor
from .account_forms import InvitationForm
from .auth import role_required
from .forms import ActionForm, NewUserForm, UserRoleForm

ROLES = [role.value for role in Role]


def _team() -> list[User]:
    return list(db.session.scalars(select(User).options(joinedload(User.author)).order_by(User.email)))


def _users_page(status: int = 200, form: NewUserForm | None = None, invite_form: InvitationForm | None = None):
    """Render the team list with the invitation and add-user forms (blank unless given)."""
    page = render_template(
        "admin/users.html",
        users=_team(),
        form=form or NewUserForm(formdata=None),
        invite_form=invite_form or InvitationForm(formdata=None),
        roles=ROLES,
        can_mail=mail_configured(),
        is_invited=self_service.is_invited,
    )
    return page, status


@bp.get("/users/")
@role_required()
def users():
    """List the team with their roles, and the forms that invite or add someone."""
    return _users_page()


@bp.post("/users/")
@role_required()
def add_user():
    """Add someone to the team with a role and a first password."""
    form = NewUserForm()
    if not form.validate_on_submit():
        return _users_page(422, form=form)
    try:
        user = accounts.create_user(form.email.data, Role(form.role.data), form.name.data, form.password.data)
    except accounts.AccountError as exc:
        form.email.errors.append(str(exc))
        return _users_page(422, form=form)
    audit.record("user.created", user, {"role": str(user.role)})
    db.session.commit()
    flash(f"Added {user.email} as {user.role}.")
    return redirect(url_for("admin.users"))


@bp.post("/users/invitations")
@role_required()
def invite_user():
    """Invite someone by email with a role; the link in the message lets them choose their password."""
    form = InvitationForm()
    if not mail_configured():
        form.form_errors.append("Invitations need mail settings (BLOGAPP_MAIL_HOST and BLOGAPP_MAIL_FROM).")
        return _users_page(422, invite_form=form)
    if not form.validate_on_submit():
        return _users_page(422, invite_form=form)
    try:
        user = accounts.create_user(form.email.data, Role(form.role.data), form.name.data, None, active=False)
    except accounts.AccountError as exc:
        form.email.errors.append(str(exc))
        return _users_page(422, invite_form=form)
    db.session.commit()  # before the mail goes out: no transaction stays open while the mail server answers
    return _send_invitation(user)


@bp.post("/users/<int:user_id>/invitation")
@role_required()
def resend_invitation(user_id: int):
    """Send a fresh invitation link to an account with no password yet (invited, or an imported author)."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit() or not self_service.is_invited(user) or not mail_configured():
        flash(f"No invitation can be sent to {user.email}: it needs mail settings and an account with no password yet.")
        return _users_page(422)
    return _send_invitation(user)


@bp.post("/users/<int:user_id>/invitation/cancel")
@role_required()
def cancel_invitation(user_id: int):
    """Make the invitation links sent to an account with no password yet stop working."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit() or not self_service.is_invited(user):
        flash(f"{user.email} has no open invitation to cancel.")
        return _users_page(422)
    user.end_sessions()  # every link carries the session token it was made with
    audit.record("invitation.cancelled", user)
    db.session.commit()
    flash(f"The invitation links sent to {user.email} no longer work. The account stays, without a password.")
    return redirect(url_for("admin.users"))


def _send_invitation(user: User):
    config = current_app.config
    link = absolute_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITATION))
    subject, body = self_service.invitation_message(
        config["SITE_NAME"], current_user.name, user, link, config["INVITATION_HOURS"]
    )
    try:
        send_mail(user.email, subject, body)
    except MailError as exc:
        flash(f"{user.email} is on the team list as invited, but the message was not sent: {exc} Try again later.")
        return _users_page(503)
    audit.record("invitation.sent", user, {"role": str(user.role)})
    db.session.commit()
    flash(f"Invited {user.email} as {user.role}; the link works for {config['INVITATION_HOURS']:g} hours.")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/two-factor/reset")
@role_required()
def reset_two_factor(user_id: int):
    """Turn off another member's second factor (a lost phone); they sign in with their password and set it up again."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit() or user.id == current_user.id:
        flash("Reset another member's second factor from this list; turn off your own on your account page.")
        return _users_page(422)
    two_factor.disable(user)
    user.end_sessions()
    audit.record("totp.reset", user)
    db.session.commit()
    flash(f"Two-factor sign-in of {user.email} is reset and their sessions are signed out.")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
@role_required()
def update_user(user_id: int):
    """Change someone's role or whether they can sign in."""
    user = db.get_or_404(User, user_id)
    form = UserRoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed roles.")
        return _users_page(422)
    if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
        flash("You cannot remove your own admin access; ask another admin.")
        return redirect(url_for("admin.users"))
    role_before, active_before = user.role, user.active
    accounts.set_role(user, form.role.data)
    if user.active and not form.active.data:
        accounts.deactivate(user)
    elif form.active.data and not user.active and user.password_hash:
        user.active = True
    audit.record_account_change(user, role_before, active_before)
    db.session.commit()
    flash(f"Saved {user.email}: {user.role}, {'can' if user.active else 'cannot'} sign in.")
    return redirect(url_for("admin.users"))
