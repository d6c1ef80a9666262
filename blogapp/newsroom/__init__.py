"""The newsroom (blueprint "admin") and signing in (blueprint "auth"): where the team writes and runs the site."""

from flask import Blueprint, Flask, current_app, flash, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from ..models import ArticleStatus
from . import two_factor

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _signed_in_only():
    # Every newsroom page needs a signed-in user; each view then checks the role it needs.
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if request.endpoint not in _SET_UP_ENDPOINTS and two_factor.must_set_up(current_user):
        flash("This site requires two-factor sign-in for your role: set it up to go on.")
        return redirect(url_for("admin.two_factor_setup"))
    return None


# What a member who must set up a second factor may still open.
_SET_UP_ENDPOINTS = {"admin.two_factor_setup"}


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


from . import (  # noqa: E402,F401  (routes register on bp and auth.bp)
    account,
    articles,
    audit,
    auth,
    author_photos,
    best_bets,
    commands,
    dashboard,
    editor,
    history,
    page_history,
    pages,
    people,
    recovery,
    safety,
    second_step,
    settings,
    synonyms,
    taxonomy,
    trash,
    uploads,
)

# Newsroom sections after Dashboard / Articles / Write: (endpoint, label, roles that may use it).
_SECTIONS = [
    ("admin.pages_list", "Pages", ("editor",)),
    ("admin.trash", "Trash", ("editor",)),
    ("admin.categories", "Categories", ("editor",)),
    ("admin.tags", "Tags", ("editor",)),
    ("admin.search_vocabulary", "Search synonyms", ("editor",)),
    ("admin.best_bets_list", "Best bets", ("editor",)),
    ("admin.uploads", "Images", ("author", "editor")),
    ("admin.users", "Users", ()),
    ("admin.settings", "Settings", ()),
    ("admin.account", "Your account", ("author", "editor", "reviewer")),
    ("admin.audit", "Audit log", ()),
]


@bp.context_processor
def _newsroom_sections():
    return {
        "admin_links": [item for item in _SECTIONS if item[0] in current_app.view_functions],
        "status_labels": {status.value: status.label for status in ArticleStatus},
    }


def init_app(app: Flask) -> None:
    """Register the newsroom and sign-in blueprints, the session's user, and `flask users`."""
    auth.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(bp)
    app.cli.add_command(commands.users_group)
