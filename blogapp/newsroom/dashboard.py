"""The newsroom dashboard."""

from flask import render_template
from flask_login import current_user

from ..content.settings import review_due_months
from ..models import Role
from ..search.click_stats import nothing_opened, safety_panel_shown, top_queries_with_clicks
from ..search.querylog import top_queries
from . import bp
from .workflow import dashboard_lists


@bp.get("/")
def dashboard():
    """Show what needs attention: drafts, reviews, schedule, review due, and what readers search for."""
    show_queries = current_user.can(Role.EDITOR)
    due_months = review_due_months()
    clicks = _click_lists() if show_queries else None
    return render_template(
        "admin/dashboard.html",
        lists=dashboard_lists(current_user, due_months),
        review_due_months=due_months,
        # The top searches come with their opened results, in one statement.
        top=[(row.query, row.searches) for row in clicks["top"]] if clicks else [],
        zero=top_queries(days=30, limit=10, zero_only=True) if show_queries else [],
        show_queries=show_queries,
        clicks=clicks,
    )


def _click_lists() -> dict:
    """Return what readers opened from their searches (30 days) and how often the safety panel was shown."""
    return {
        "top": top_queries_with_clicks(days=30, limit=10),
        "nothing_opened": nothing_opened(days=30, limit=10),
        "safety_panel": safety_panel_shown(days=30),
    }
