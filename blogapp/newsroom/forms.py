"""Newsroom forms, one per use case."""

import re

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..content.references import ReferenceError, parse_references
from ..extensions import db
from ..models import Article, ArticleStatus, Role
from .accounts import MIN_PASSWORD_LENGTH, find_user
from .date_field import SiteDateTimeField

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MESSAGE = "Use lower-case letters, digits and single hyphens only (no /, dots or spaces)."


def well_formed_slug(field) -> bool:
    """Strip a slug typed by hand; return False when none was typed; refuse one readers could not use."""
    if not field.data:
        return False
    field.data = field.data.strip()
    if not SLUG_PATTERN.match(field.data):
        raise ValidationError(SLUG_MESSAGE)
    return True


def body_within_limit(form, field) -> None:
    """Refuse a Markdown body longer than ARTICLE_MAX_BODY_CHARS (an inline validator of article and page forms)."""
    limit = current_app.config["ARTICLE_MAX_BODY_CHARS"]
    if len(field.data or "") > limit:
        raise ValidationError(f"The body is {len(field.data):,} characters; the limit is {limit:,}.")


def _optional_id(value) -> int | None:
    """Coerce a select's value to an id, None when nothing is chosen, or 0 (never a choice) for garbage."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else 0


class ArticleForm(FlaskForm):
    """Write or edit an article."""

    title = StringField("Title", validators=[DataRequired("Give the article a title."), Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    summary = TextAreaField("Summary", validators=[Length(max=1000)])
    body = TextAreaField("Body (Markdown)")
    category = SelectField("Category", coerce=_optional_id, validators=[InputRequired("Choose a category.")])
    featured_image = SelectField("Featured image", coerce=_optional_id)
    tags = StringField("Tags", validators=[Length(max=1000)])
    status = SelectField("Status")
    published_at = SiteDateTimeField("Publish time (UTC)", validators=[Optional()])
    author = SelectField("Author", coerce=int)
    references = TextAreaField("References", validators=[Length(max=100_000)])
    base_revision = HiddenField(default="0")
    save = SubmitField("Save")
    preview = SubmitField("Preview")

    def __init__(self, *args, article_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article_id = article_id
        self.parsed_references: list[dict] = []

    def validate_slug(self, field) -> None:
        if not well_formed_slug(field):
            return
        clash = select(Article.id).where(Article.slug == field.data, Article.id != (self.article_id or 0))
        if db.session.scalar(clash):
            raise ValidationError("Another article already has this slug.")

    validate_body = body_within_limit

    def validate_references(self, field) -> None:
        try:
            self.parsed_references = parse_references(field.data or "")
        except ReferenceError as exc:
            raise ValidationError(str(exc)) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here because Optional() stops the field's own validators when it is empty.
        if (
            self.status.data == ArticleStatus.SCHEDULED
            and self.published_at.data is None
            and not self.published_at.errors
        ):
            self.published_at.errors = [*self.published_at.errors, "A scheduled article needs a publish time."]
            valid = False
        return valid

    def base_revision_id(self) -> int:
        """Return the revision the form was loaded from (0 for none or garbage)."""
        value = self.base_revision.data or ""
        # isdigit() alone passes digits int() refuses: "²", or more than Python's 4,300-digit limit.
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else 0


class PreviewForm(FlaskForm):
    """The body of the editor, sent by the page's script for a live preview."""

    body = TextAreaField("Body", validators=[Length(max=2_000_000)])


class ActionForm(FlaskForm):
    """A button that changes something (trash, restore, mark reviewed…): only the CSRF token is checked."""


class EmptyTrashForm(FlaskForm):
    """Delete the trash for good, once the editor confirms."""

    confirm = BooleanField(
        "Yes, delete these articles and their revisions for good",
        validators=[InputRequired("Tick the box to confirm.")],
    )
    submit = SubmitField("Empty the trash")


class SettingsForm(FlaskForm):
    """Site-wide settings the team edits."""

    disclaimer = TextAreaField("Disclaimer under each article", validators=[DataRequired(), Length(max=1000)])
    review_due_months = IntegerField(
        "Months before a medical review is due again", validators=[InputRequired(), NumberRange(min=1, max=120)]
    )
    policy_page = SelectField("Page linked under the disclaimer")
    two_factor_required = SelectField(
        "Two-factor sign-in for admins and editors",
        choices=[SelectChoice("0", "Optional"), SelectChoice("1", "Required")],
    )
    submit = SubmitField("Save settings")


class NewUserForm(FlaskForm):
    """An admin adds someone to the team."""

    email = EmailField(
        "Email",
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address."),
        ],
    )
    name = StringField("Name on bylines", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=[SelectChoice(role.value, role.value) for role in Role])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)])
    submit = SubmitField("Add user")

    def validate_email(self, field) -> None:
        if find_user(field.data):
            raise ValidationError("A user with this email already exists.")


class UserRoleForm(FlaskForm):
    """An admin changes someone's role or access."""

    role = SelectField("Role", choices=[SelectChoice(role.value, role.value) for role in Role])
    active = BooleanField("Can sign in")
    submit = SubmitField("Save")


SLUG_HINT = "Lowercase letters a–z, digits and hyphens, e.g. heart-health. Leave empty to make it from the name."


class CategoryForm(FlaskForm):
    """A category's name, slug and description (to create or edit one)."""

    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
    slug = StringField("Slug", description=SLUG_HINT, validators=[Length(max=120)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    submit = SubmitField("Save category")


class TagForm(FlaskForm):
    """A tag's name and slug (to create or rename one)."""

    name = StringField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
    slug = StringField("Slug", description=SLUG_HINT, validators=[Length(max=120)])
    submit = SubmitField("Save tag")


class MergeForm(FlaskForm):
    """Delete a category or tag, moving what it holds to another one; the box must be ticked."""

    # Choices are only a menu: the service checks the id, so an unknown one gets a clear message.
    target = SelectField("Move its articles to", coerce=int, validate_choice=False, validators=[InputRequired()])
    confirm = BooleanField(
        "Yes, delete it and move its articles", validators=[DataRequired("Tick the box to confirm.")]
    )
    submit = SubmitField("Merge and delete")


class DeleteTagForm(FlaskForm):
    """Delete a tag outright, after ticking a confirmation box."""

    confirm = BooleanField("Yes, delete this tag", validators=[DataRequired("Tick the box to confirm.")])
    submit = SubmitField("Delete tag")


class UploadForm(FlaskForm):
    """Upload one image."""

    image = FileField("Image file", validators=[FileRequired("Choose an image to upload.")])
    alt_text = StringField(
        "Alt text",
        validators=[DataRequired("Describe the image for readers who cannot see it."), Length(max=300)],
        filters=[lambda text: " ".join("".join(c if c.isprintable() else " " for c in text).split()) if text else text],
    )


class LoginForm(FlaskForm):
    """Sign-in for the team."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField("Sign in")
