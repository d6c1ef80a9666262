"""The reader's one form: the search box."""

from flask_wtf import FlaskForm
from wtforms import SearchField


class SearchForm(FlaskForm):
    """The reader's search box; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search articles")
