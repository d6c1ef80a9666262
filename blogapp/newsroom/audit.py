"""The audit log page: admins read who did what, filtered by action, actor and dates, a page at a time."""

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..content import audit as audit_log
from ..content.pagination import paginate
from . import bp
from .auth import role_required

EVENTS_PER_PAGE = 50


class AuditFilterForm(FlaskForm):
    """The audit log's filters; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(
        "Action",
        choices=[SelectChoice("", "Any action"), *(SelectChoice(name, name) for name in sorted(audit_log.ACTIONS))],
        default="",
    )
    actor = EmailField("By (email)", validators=[Optional(), Length(max=254)])
    since = DateField("From", validators=[Optional()])
    until = DateField("To (inclusive)", validators=[Optional()])
    submit = SubmitField("Filter")

    def validate_until(self, field) -> None:
        """Refuse a range that ends before it starts."""
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")

    def filters(self) -> dict[str, str]:
        """Return the filters given, as query-string values for page links."""
        return {name: request.args[name] for name in ("action", "actor", "since", "until") if request.args.get(name)}


@bp.get("/audit/")
@role_required()
def audit():
    """List audit events, newest first, with filters (admins only)."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template("admin/audit.html", form=form, pagination=None, filters={}), 400
    since = datetime.combine(form.since.data, time()) if form.since.data else None
    until = datetime.combine(form.until.data + timedelta(days=1), time()) if form.until.data else None
    stmt = audit_log.events(form.action.data or None, form.actor.data or None, since, until)
    pagination = paginate(stmt, request.args.get("page", 1, type=int), EVENTS_PER_PAGE)
    return render_template("admin/audit.html", form=form, pagination=pagination, filters=form.filters())
