"""The newsroom dashboard."""

from flask import render_template
from flask_login import current_user

from ..content.settings import review_due_months
from ..models import Role
from ..search.querylog import top_queries
from . import bp
from .workflow import dashboard_lists


@bp.get("/")
def dashboard():
    """Show what needs attention: drafts, reviews, schedule, review due, and what readers search for."""
    show_queries = current_user.can(Role.EDITOR)
    due_months = review_due_months()
    return render_template(
        "admin/dashboard.html",
        lists=dashboard_lists(current_user, due_months),
        review_due_months=due_months,
        top=top_queries(days=30, limit=10) if show_queries else [],
        zero=top_queries(days=30, limit=10, zero_only=True) if show_queries else [],
        show_queries=show_queries,
    )
