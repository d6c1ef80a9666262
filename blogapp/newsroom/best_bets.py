"""Best bets in the newsroom: list, add, edit and delete the articles recommended for a search (editors)."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from ..content import audit
from ..extensions import db
from ..models import BestBet, Role
from ..search import best_bets
from . import bp
from .auth import role_required
from .best_bet_forms import BestBetForm
from .forms import ActionForm


def _target(best_bet: BestBet) -> tuple[str, int, str]:
    return "best_bet", best_bet.id, best_bet.query


@bp.get("/search/best-bets")
@role_required(Role.EDITOR)
def best_bets_list():
    """List every search with recommended articles, marking those readers cannot see now."""
    return render_template("admin/best_bets.html", best_bets=best_bets.listing(), delete_form=ActionForm())


@bp.route("/search/best-bets/new", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def new_best_bet():
    """Recommend articles for a search."""
    return _edit(BestBet())


@bp.route("/search/best-bets/<int:best_bet_id>/edit", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit_best_bet(best_bet_id: int):
    """Change a search's recommended articles or their order."""
    return _edit(db.get_or_404(BestBet, best_bet_id))


def _edit(best_bet: BestBet):
    """Show the form; save a valid one and go back to the list, or show what to fix (422)."""
    form = BestBetForm(best_bet_id=best_bet.id)
    if request.method == "GET" and best_bet.id:
        form.query.data = best_bet.query
        form.articles.data = "\n".join(article.slug for article in best_bets.articles_of(best_bet))
    if request.method == "POST" and form.validate():
        created = best_bet.id is None
        try:
            best_bets.save_best_bet(best_bet, form.query.data, form.chosen)
            detail = {"key": best_bet.key, "articles": [article.slug for article in form.chosen]}
            audit.record("best_bet.created" if created else "best_bet.changed", _target(best_bet), detail)
            db.session.commit()
        except IntegrityError:  # another editor saved the same search at the same moment
            db.session.rollback()
            form.query.errors = [f"The search “{form.query.data}” already has recommended articles: edit it instead."]
        else:
            flash(f"Saved the recommended articles for “{best_bet.query}”.")
            return redirect(url_for("admin.best_bets_list"))
    status = 422 if form.errors else 200
    return render_template("admin/best_bet_edit.html", form=form, best_bet=best_bet), status


@bp.post("/search/best-bets/<int:best_bet_id>/delete")
@role_required(Role.EDITOR)
def delete_best_bet(best_bet_id: int):
    """Stop recommending articles for a search."""
    best_bet = db.get_or_404(BestBet, best_bet_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    audit.record("best_bet.deleted", _target(best_bet), {"key": best_bet.key})
    db.session.delete(best_bet)
    db.session.commit()
    flash(f"No articles are recommended for “{best_bet.query}” any more.")
    return redirect(url_for("admin.best_bets_list"))
