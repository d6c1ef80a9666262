"""Forms for accounts people manage themselves: invitations, password resets, the account page, two-factor."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..models import Role
from .accounts import MIN_PASSWORD_LENGTH, find_user

_EMAIL = [
    DataRequired("Enter an email address."),
    Length(max=254),
    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address."),
]


class _PrefixedForm(FlaskForm):
    """A form whose fields are named `<PREFIX>-<field>`, so it shares a page with another form's same fields."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


def _new_password(label: str = "New password") -> PasswordField:
    message = f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."
    return PasswordField(
        label, validators=[DataRequired(message), Length(min=MIN_PASSWORD_LENGTH, max=1000, message=message)]
    )


def _repeat() -> PasswordField:
    return PasswordField("New password again", validators=[EqualTo("password", "The two passwords differ.")])


def _code(label: str = "Code from your authenticator app") -> StringField:
    return StringField(label, validators=[DataRequired("Enter the code."), Length(max=40)])


class InvitationForm(_PrefixedForm):
    """An admin invites someone by email, with a role; they choose their own password."""

    PREFIX = "invite"
    email = EmailField("Email", validators=_EMAIL)
    name = StringField("Name on bylines", validators=[DataRequired("Enter their name."), Length(max=120)])
    role = SelectField("Role", choices=[SelectChoice(role.value, role.value) for role in Role])
    submit = SubmitField("Send invitation")

    def validate_email(self, field) -> None:
        if find_user(field.data):
            raise ValidationError("A user with this email already exists.")


class ChoosePasswordForm(FlaskForm):
    """Choose a password, from an invitation or a password-reset link."""

    password = _new_password("Password")
    password_again = _repeat()
    submit = SubmitField("Save password")


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link by email."""

    email = EmailField("Email", validators=_EMAIL)
    submit = SubmitField("Send me a link")


class ProfileForm(FlaskForm):
    """Change one's own name on bylines."""

    name = StringField("Name on bylines", validators=[DataRequired("Enter your name."), Length(max=120)])
    submit = SubmitField("Save name")


class ChangePasswordForm(_PrefixedForm):
    """Change one's own password, knowing the current one."""

    PREFIX = "change"
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password."), Length(max=1000)]
    )
    password = _new_password()
    password_again = _repeat()
    submit = SubmitField("Change password")


class TwoFactorSetupForm(FlaskForm):
    """Confirm two-factor set-up with the first code the authenticator app shows."""

    code = _code()
    submit = SubmitField("Turn on two-factor sign-in")


class TwoFactorDisableForm(_PrefixedForm):
    """Turn two-factor sign-in off: the password and a current code."""

    PREFIX = "disable"
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    code = _code()
    submit = SubmitField("Turn off two-factor sign-in")


class RecoveryCodesForm(_PrefixedForm):
    """Replace the recovery codes (some used, or seen by someone else): the password and a current code."""

    PREFIX = "codes"
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1000)])
    code = _code()
    submit = SubmitField("Make new recovery codes")


class SecondStepForm(FlaskForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = _code("Code from your authenticator app, or a recovery code")
    submit = SubmitField("Continue")
