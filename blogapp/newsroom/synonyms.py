"""The search synonyms list editors keep: brand and generic drug names, lay and clinical words."""

from flask import current_app, flash, redirect, render_template, request, url_for

from ..extensions import db
from ..models import Role
from ..search import synonym_store
from . import bp
from .auth import role_required
from .synonym_forms import RestoreSynonymsForm, SynonymsForm


def _in_effect() -> synonym_store.SynonymList:
    return synonym_store.in_effect(current_app.config["SEARCH_SYNONYMS_FILE"])


def _page(form: SynonymsForm, current: synonym_store.SynonymList, status: int = 200):
    restore_form = RestoreSynonymsForm()
    return render_template("admin/synonyms.html", form=form, restore_form=restore_form, current=current), status


@bp.route("/search/vocabulary", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def search_vocabulary():
    """Show and save the synonyms every search uses; the next search uses a saved list."""
    current = _in_effect()
    form = SynonymsForm(data=None if request.method == "POST" else {"rules": current.text})
    if form.validate_on_submit():
        if synonym_store.save(form.rules.data, current):
            db.session.commit()
        flash(f"Synonyms saved: {_in_effect().groups} groups. The next search uses them.")
        return redirect(url_for("admin.search_vocabulary"))
    return _page(form, current, 422 if form.errors else 200)


@bp.post("/search/vocabulary/restore")
@role_required(Role.EDITOR)
def restore_search_vocabulary():
    """Replace the synonyms list with the one blogapp ships."""
    current = _in_effect()
    if not RestoreSynonymsForm().validate_on_submit():
        return _page(SynonymsForm(data={"rules": current.text}), current, 400)
    if synonym_store.save(synonym_store.shipped_text(), current, restored=True):
        db.session.commit()
    flash(f"The shipped list is back: {_in_effect().groups} groups.")
    return redirect(url_for("admin.search_vocabulary"))
