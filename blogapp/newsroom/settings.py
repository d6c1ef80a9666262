"""Site settings the team edits: the disclaimer and the medical review period."""

from flask import flash, redirect, render_template, request, url_for

from ..content import audit
from ..content.settings import disclaimer, review_due_months, set_setting
from ..extensions import db
from . import bp
from .auth import role_required
from .forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
@role_required()
def settings():
    """Edit the site-wide disclaimer and how long a medical review stays current."""
    current = {"disclaimer": disclaimer(), "review_due_months": review_due_months()}
    form = SettingsForm(data=None if request.method == "POST" else current)
    if form.validate_on_submit():
        wanted = {"disclaimer": form.disclaimer.data.strip(), "review_due_months": form.review_due_months.data}
        changed = sorted(key for key, value in wanted.items() if value != current[key])
        for key, value in wanted.items():
            set_setting(key, str(value))
        if changed:
            audit.record("settings.changed", ("settings", None, ", ".join(changed)), {"changed": changed})
        db.session.commit()
        flash("Settings saved.")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form), 422 if form.errors else 200
