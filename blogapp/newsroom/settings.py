"""Site settings the team edits: the disclaimer, the policy page under it and the medical review period."""

from flask import flash, redirect, render_template, request, url_for

from ..content import audit
from ..content.pages import policy_slug, published_choices
from ..content.safety import safety_settings
from ..content.settings import disclaimer, review_due_months, set_setting
from ..extensions import db
from . import bp, two_factor
from .auth import role_required
from .forms import SettingsForm
from .safety_forms import SafetyForm


def policy_choices(chosen: str) -> list[tuple[str, str]]:
    """Return the pages one may link under the disclaimer, keeping the chosen one even while unpublished."""
    choices = [("", "No page"), *published_choices()]
    if chosen and chosen not in {slug for slug, _ in choices}:
        choices.append((chosen, f"/{chosen}/ (not published yet)"))
    return choices


@bp.route("/settings", methods=["GET", "POST"])
@role_required()
def settings():
    """Edit the disclaimer and the page under it, the review period, and whether staff need a second factor."""
    current = {
        "disclaimer": disclaimer(),
        "review_due_months": review_due_months(),
        "policy_page": policy_slug(),
        "two_factor_required": "1" if two_factor.is_required() else "0",
    }
    # A post without the page field (an older form) keeps the page chosen before.
    form = SettingsForm(data={"policy_page": current["policy_page"]} if request.method == "POST" else current)
    form.policy_page.choices = policy_choices(current["policy_page"])
    if form.validate_on_submit():
        wanted = {
            "disclaimer": form.disclaimer.data.strip(),
            "review_due_months": str(form.review_due_months.data),
            "policy_page": form.policy_page.data,
            "two_factor_required": form.two_factor_required.data,
        }
        changed = sorted(key for key, value in wanted.items() if value != str(current[key]))
        set_setting("disclaimer", wanted["disclaimer"])
        set_setting("review_due_months", wanted["review_due_months"])
        set_setting("policy_page", wanted["policy_page"])
        two_factor.set_required(wanted["two_factor_required"] == "1")
        if changed:
            audit.record("settings.changed", ("settings", None, ", ".join(changed)), {"changed": changed})
        db.session.commit()
        flash("Settings saved.")
        return redirect(url_for("admin.settings"))
    safety_form = SafetyForm.showing(safety_settings())
    return render_template("admin/settings.html", form=form, safety_form=safety_form), 422 if form.errors else 200
