"""The safety panel's settings, edited by admins from the settings page."""

from flask import flash, redirect, render_template, url_for

from ..content import audit
from ..content.safety import safety_settings, save_safety_settings
from ..extensions import db
from . import bp
from .auth import role_required
from .safety_forms import SafetyForm


@bp.post("/settings/safety")
@role_required()
def safety_settings_save():
    """Save the crisis terms, help message and helpline of the search safety panel (admins only)."""
    form = SafetyForm()
    if not form.validate_on_submit():
        return render_template("admin/safety_settings.html", safety_form=form), 422
    current, wanted = safety_settings(), form.settings()
    changed = [name for name in ("terms", "message", "helpline") if getattr(current, name) != getattr(wanted, name)]
    save_safety_settings(wanted)
    if changed:
        keys = [f"safety_{name}" for name in changed]
        audit.record("settings.changed", ("settings", None, ", ".join(keys)), {"changed": keys})
    db.session.commit()
    flash("Safety panel saved.")
    return redirect(url_for("admin.settings"))
