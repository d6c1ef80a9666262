"""The form of the safety panel's settings: crisis terms, help message and helpline."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..content.safety import (
    MAX_HELPLINE_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_TERM_CHARS,
    MAX_TERMS,
    SafetySettings,
    parse_terms,
)
from ..search.crisis import analysed


class SafetyForm(FlaskForm):
    """Edit which searches show the safety panel and what it says."""

    terms = TextAreaField("Crisis terms, one per line", validators=[Length(max=MAX_TERMS * (MAX_TERM_CHARS + 1))])
    message = TextAreaField(
        "Help message", validators=[DataRequired("Write the message the panel shows."), Length(max=MAX_MESSAGE_CHARS)]
    )
    helpline = StringField("Helpline", validators=[Length(max=MAX_HELPLINE_CHARS)])
    save_safety = SubmitField("Save safety panel")

    def __init__(self, *args, **kwargs):
        # Prefixed names and ids ("safety-terms", "safety-csrf_token"): it shares the page with the settings form.
        kwargs.setdefault("prefix", "safety")
        super().__init__(*args, **kwargs)

    @classmethod
    def showing(cls, settings: SafetySettings) -> "SafetyForm":
        """Return the form filled with the stored settings."""
        terms = "\n".join(settings.terms)
        return cls(data={"terms": terms, "message": settings.message, "helpline": settings.helpline})

    def validate_terms(self, field) -> None:
        """Refuse too many or too long terms, and terms with no word a search can match."""
        terms = parse_terms(field.data or "")
        if len(terms) > MAX_TERMS:
            raise ValidationError(f"Keep to {MAX_TERMS} terms at most.")
        too_long = [term for term in terms if len(term) > MAX_TERM_CHARS]
        if too_long:
            raise ValidationError(f"Keep each term to {MAX_TERM_CHARS} characters: “{too_long[0][:40]}…” is longer.")
        unmatchable = [term for term in terms if not analysed(term)]
        if unmatchable:
            raise ValidationError(f"“{unmatchable[0]}” has no word a search can match (only very common words).")

    def settings(self) -> SafetySettings:
        """Return the settings the form holds, tidied."""
        message = " ".join(self.message.data.split())
        return SafetySettings(parse_terms(self.terms.data or ""), message, " ".join((self.helpline.data or "").split()))
