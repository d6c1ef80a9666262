"""Newsroom forms for the site's pages, one per use case."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..content.pages import slug_clash
from ..models import PageStatus
from .forms import body_within_limit, well_formed_slug


class PageForm(FlaskForm):
    """Write or edit a page."""

    title = StringField("Title", validators=[DataRequired("Give the page a title."), Length(max=300)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    body = TextAreaField("Body (Markdown)")
    status = SelectField(
        "Status", choices=[SelectChoice(status.value, status.value) for status in PageStatus], default="draft"
    )
    in_header = BooleanField("Link to it in every page's header menu", default=False)
    in_footer = BooleanField("Link to it in every page's footer", default=True)
    menu_order = IntegerField(
        "Position in the menus",
        default=0,
        validators=[Optional(), NumberRange(min=-1000, max=1000, message="Enter a number from -1000 to 1000.")],
    )
    save = SubmitField("Save")
    preview = SubmitField("Preview")

    def __init__(self, *args, page_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_id = page_id

    def validate_slug(self, field) -> None:
        if well_formed_slug(field) and (problem := slug_clash(field.data, self.page_id)):
            raise ValidationError(problem)

    validate_body = body_within_limit


class DeletePageForm(FlaskForm):
    """Delete a page in the trash for good, once the editor confirms."""

    confirm = BooleanField("Yes, delete this page for good", validators=[InputRequired("Tick the box to confirm.")])
    submit = SubmitField("Delete for good")
