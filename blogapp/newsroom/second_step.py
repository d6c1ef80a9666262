"""The second step of signing in: a code from the authenticator app or a recovery code, throttled like passwords."""

from flask import flash, redirect, render_template, request, url_for

from .. import metrics
from ..content import audit
from ..extensions import db
from . import accounts, pending_sign_in, two_factor
from .account_forms import SecondStepForm
from .auth import bp, complete_sign_in, duration

FAILURE = "That code is not right. Enter the code your app shows now, or one of your recovery codes."


@bp.route("/login/two-factor", methods=["GET", "POST"])
def second_step():
    """Ask a team member whose password was right for their second factor, then sign them in."""
    user = pending_sign_in.pending_user()
    if user is None:
        flash("Please sign in again: the second step is only open for a few minutes after the password.")
        return redirect(url_for("auth.login"))
    form = SecondStepForm()
    if not form.validate_on_submit():
        return render_template("auth/second_step.html", form=form), 422 if form.errors else 200
    address = request.remote_addr or "unknown"
    wait = accounts.wait_seconds(user.email, address)
    if wait:
        metrics.SIGN_IN_FAILURES.labels("waiting").inc()
        db.session.commit()  # the expired failures it deleted
        form.form_errors.append(f"Too many failed sign-ins from this address. Try again in {duration(wait)}.")
        return render_template("auth/second_step.html", form=form), 429, {"Retry-After": str(wait)}
    used = two_factor.check_second_factor(user, form.code.data)
    if used is None:
        accounts.record_failure(user.email, address)
        db.session.commit()
        form.form_errors.append(FAILURE)
        return render_template("auth/second_step.html", form=form), 200
    accounts.signed_in(user, address)
    if used == two_factor.RECOVERY:
        audit.record("recovery_code.used", user, actor=user)
    db.session.commit()
    if used == two_factor.RECOVERY:
        remaining = two_factor.remaining_recovery_codes(user)
        flash(f"You used a recovery code; {remaining} are left. Set up new ones from your account page if needed.")
    return complete_sign_in(user, pending_sign_in.next_url())
