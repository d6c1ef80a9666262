"""Users: admins add people to the team, change roles and stop access."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..content import audit
from ..extensions import db
from ..models import Role, User
from . import accounts, bp
from .auth import role_required
from .forms import NewUserForm, UserRoleForm

ROLES = [role.value for role in Role]


def _team() -> list[User]:
    return list(db.session.scalars(select(User).options(joinedload(User.author)).order_by(User.email)))


@bp.get("/users/")
@role_required()
def users():
    """List the team with their roles, and the form that adds someone."""
    return render_template("admin/users.html", users=_team(), form=NewUserForm(), roles=ROLES)


@bp.post("/users/")
@role_required()
def add_user():
    """Add someone to the team with a role and a first password."""
    form = NewUserForm()
    if not form.validate_on_submit():
        return render_template("admin/users.html", users=_team(), form=form, roles=ROLES), 422
    try:
        user = accounts.create_user(form.email.data, Role(form.role.data), form.name.data, form.password.data)
    except accounts.AccountError as exc:
        form.email.errors.append(str(exc))
        return render_template("admin/users.html", users=_team(), form=form, roles=ROLES), 422
    audit.record("user.created", user, {"role": str(user.role)})
    db.session.commit()
    flash(f"Added {user.email} as {user.role}.")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
@role_required()
def update_user(user_id: int):
    """Change someone's role or whether they can sign in."""
    user = db.get_or_404(User, user_id)
    form = UserRoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed roles.")
        return render_template("admin/users.html", users=_team(), form=NewUserForm(), roles=ROLES), 422
    if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
        flash("You cannot remove your own admin access; ask another admin.")
        return redirect(url_for("admin.users"))
    role_before, active_before = user.role, user.active
    accounts.set_role(user, form.role.data)
    if user.active and not form.active.data:
        accounts.deactivate(user)
    elif form.active.data and not user.active and user.password_hash:
        user.active = True
    audit.record_account_change(user, role_before, active_before)
    db.session.commit()
    flash(f"Saved {user.email}: {user.role}, {'can' if user.active else 'cannot'} sign in.")
    return redirect(url_for("admin.users"))
