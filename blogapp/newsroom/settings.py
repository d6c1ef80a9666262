"""Site settings the team edits: the disclaimer and the medical review period."""

from flask import flash, redirect, render_template, request, url_for

from ..content import audit
from ..content.safety import safety_settings
from ..content.settings import disclaimer, review_due_months, set_setting
from ..extensions import db
from . import bp, two_factor
from .auth import role_required
from .forms import SettingsForm
from .safety_forms import SafetyForm


@bp.route("/settings", methods=["GET", "POST"])
@role_required()
def settings():
    """Edit the disclaimer, how long a medical review stays current, and whether staff need a second factor."""
    current = {
        "disclaimer": disclaimer(),
        "review_due_months": review_due_months(),
        "two_factor_required": "1" if two_factor.is_required() else "0",
    }
    form = SettingsForm(data=None if request.method == "POST" else current)
    if form.validate_on_submit():
        wanted = {
            "disclaimer": form.disclaimer.data.strip(),
            "review_due_months": str(form.review_due_months.data),
            "two_factor_required": form.two_factor_required.data,
        }
        changed = sorted(key for key, value in wanted.items() if value != str(current[key]))
        set_setting("disclaimer", wanted["disclaimer"])
        set_setting("review_due_months", wanted["review_due_months"])
        two_factor.set_required(wanted["two_factor_required"] == "1")
        if changed:
            audit.record("settings.changed", ("settings", None, ", ".join(changed)), {"changed": changed})
        db.session.commit()
        flash("Settings saved.")
        return redirect(url_for("admin.settings"))
    safety_form = SafetyForm.showing(safety_settings())
    return render_template("admin/settings.html", form=form, safety_form=safety_form), 422 if form.errors else 200
