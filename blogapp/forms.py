"""Forms of the public site and sign-in, one per use case."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SearchField, SubmitField
from wtforms.validators import DataRequired, Length


class SearchForm(FlaskForm):
    """The reader's search box; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search articles")


class LoginForm(FlaskForm):
    """Sign-in for the team."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField("Sign in")
