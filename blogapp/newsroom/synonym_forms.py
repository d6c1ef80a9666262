"""Newsroom forms for the search synonyms list: edit it, or put the shipped list back."""

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from ..search.synonym_rules import problems


class SynonymsForm(FlaskForm):
    """An editor rewrites the synonyms search uses; every line that cannot work is named by its number."""

    rules = TextAreaField("Synonyms, one group a line")
    submit = SubmitField("Save synonyms")

    def validate(self, extra_validators=None) -> bool:
        """Validate the CSRF token, then every line of the list."""
        valid = super().validate(extra_validators)
        found = problems((self.rules.data or "").replace("\r\n", "\n"))
        self.rules.errors = list(self.rules.errors) + found
        return valid and not found


class RestoreSynonymsForm(FlaskForm):
    """An editor replaces the list with the one blogapp ships."""

    submit = SubmitField("Restore the shipped list")
