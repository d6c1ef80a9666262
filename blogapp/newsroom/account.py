"""Your account: the name on your bylines, your password, and two-factor sign-in."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from ..content import audit
from ..extensions import db
from . import accounts, bp, self_service, two_factor
from .account_forms import (
    ChangePasswordForm,
    ProfileForm,
    RecoveryCodesForm,
    TwoFactorDisableForm,
    TwoFactorSetupForm,
)

_PENDING_SECRET = "totp_pending_secret"


def _account_page(status: int = 200, **forms):
    """Render the account page with blank forms, except those given (with their errors)."""
    forms = {
        "profile_form": ProfileForm(formdata=None, name=current_user.name),
        "password_form": ChangePasswordForm(formdata=None),
        "disable_form": TwoFactorDisableForm(formdata=None),
        "codes_form": RecoveryCodesForm(formdata=None),
        **forms,
    }
    codes_left = two_factor.remaining_recovery_codes(current_user) if current_user.has_two_factor else 0
    required = current_user.role in two_factor.REQUIRED_ROLES and two_factor.is_required()
    return render_template("admin/account.html", codes_left=codes_left, required=required, **forms), status


@bp.get("/account")
def account():
    """Show your name, the password form and the state of your two-factor sign-in."""
    return _account_page()


@bp.post("/account/profile")
def update_profile():
    """Change the name on your bylines."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _account_page(422, profile_form=form)
    try:
        self_service.rename(current_user, form.name.data)
    except accounts.AccountError as exc:
        form.name.errors.append(str(exc))
        return _account_page(422, profile_form=form)
    db.session.commit()
    flash(f"Your bylines now read {current_user.name}.")
    return redirect(url_for("admin.account"))


@bp.post("/account/password")
def change_password():
    """Change your password (knowing the current one); your other sessions are signed out."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(422, password_form=form)
    user, address = current_user._get_current_object(), request.remote_addr or "unknown"
    wait = accounts.wait_seconds(user.email, address)
    try:
        if wait:
            raise accounts.AccountError("Too many wrong passwords from this address; try again later.")
        self_service.change_password(user, form.current_password.data, form.password.data)
    except accounts.AccountError as exc:
        if not wait and not user.check_password(form.current_password.data):
            accounts.record_failure(user.email, address)  # guessing through a stolen session is slowed too
        db.session.commit()
        form.current_password.errors.append(str(exc))
        return _account_page(429 if wait else 422, password_form=form)
    audit.record("password.changed", user)
    db.session.commit()
    login_user(user)  # this session goes on under the new session token; the others end
    flash("Your password is changed. Your other sessions were signed out.")
    return redirect(url_for("admin.account"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Set up two-factor sign-in: scan the QR code, confirm with a code, then keep the recovery codes."""
    if current_user.has_two_factor:
        flash("Two-factor sign-in is already on.")
        return redirect(url_for("admin.account"))
    secret = session.get(_PENDING_SECRET) or two_factor.new_secret()
    session[_PENDING_SECRET] = secret
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        if two_factor.code_matches_secret(secret, form.code.data):
            codes = two_factor.enable(current_user, secret)
            audit.record("totp.enabled", current_user._get_current_object())
            db.session.commit()
            session.pop(_PENDING_SECRET)
            return render_template("admin/two_factor_codes.html", codes=codes)
        form.code.errors.append("That code does not match. Check the time on your phone and enter the newest code.")
    uri = two_factor.provisioning_uri(secret, current_user.email)
    page = render_template("admin/two_factor_setup.html", form=form, secret=secret, qr=two_factor.qr_code(uri))
    return page, 422 if form.errors else 200


@bp.post("/account/two-factor/disable")
def two_factor_disable():
    """Turn your two-factor sign-in off, with your password and a current code."""
    form = TwoFactorDisableForm()
    if not form.validate_on_submit():
        return _account_page(422, disable_form=form)
    user, address = current_user._get_current_object(), request.remote_addr or "unknown"
    if user.role in two_factor.REQUIRED_ROLES and two_factor.is_required():
        form.form_errors.append(f"Two-factor sign-in is required for {user.role}s on this site; it stays on.")
        return _account_page(422, disable_form=form)
    refused = _refused(form, user, address, "two-factor sign-in stays on")
    if refused:
        return _account_page(refused, disable_form=form)
    two_factor.disable(user)
    audit.record("totp.disabled", user)
    db.session.commit()
    flash("Two-factor sign-in is off. Signing in now asks only for your password.")
    return redirect(url_for("admin.account"))


@bp.post("/account/two-factor/recovery-codes")
def renew_recovery_codes():
    """Replace your recovery codes with ten new ones, with your password and a current code; show them once."""
    form = RecoveryCodesForm()
    user, address = current_user._get_current_object(), request.remote_addr or "unknown"
    if not user.has_two_factor:
        return redirect(url_for("admin.account"))
    if not form.validate_on_submit():
        return _account_page(422, codes_form=form)
    refused = _refused(form, user, address, "your recovery codes are unchanged")
    if refused:
        return _account_page(refused, codes_form=form)
    codes = two_factor.new_recovery_codes(user)
    audit.record("recovery_codes.renewed", user)
    db.session.commit()
    return render_template("admin/two_factor_codes.html", codes=codes, heading="New recovery codes")


def _refused(form, user, address: str, unchanged: str) -> int | None:
    """Check the password and code a two-factor change needs, throttled like sign-ins; return the refusal status."""
    wait = accounts.wait_seconds(user.email, address)
    if not wait and user.check_password(form.password.data) and two_factor.check_code(user, form.code.data):
        return None
    if not wait:
        accounts.record_failure(user.email, address)
    db.session.commit()
    form.form_errors.append(f"The password or the code is not right; {unchanged}.")
    return 429 if wait else 422
