"""Account forms: register, log in, reset password, profile."""
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, Length, Optional, ValidationError, DataRequired

PROFESSIONS = [SelectChoice("", "Choose your profession")] + [
    SelectChoice(name) for name in (
        "Physician", "Nurse practitioner", "Physician assistant", "Registered nurse", "Pharmacist",
        "Psychologist", "Psychotherapist or counsellor", "Social worker", "Marriage and family therapist", "Other",
    )
]
CREDENTIAL_HINT = "For example MD, DO, NP, RN, PhD, PsyD, LCSW, LPC"


def _no_control_characters(_form, field) -> None:
    if field.data and any(ord(ch) < 32 for ch in field.data):
        raise ValidationError("Remove line breaks and control characters.")


class ProfileFields:
    """The details printed on certificates, shared by registration and the profile page."""

    full_name = StringField("Full name (as it should appear on certificates)",
                            validators=[DataRequired(), Length(max=200), _no_control_characters])
    credentials = StringField("Professional credentials", description=CREDENTIAL_HINT,
                              validators=[Optional(), Length(max=100), _no_control_characters])
    profession = SelectField("Profession", choices=PROFESSIONS, validators=[Optional()])
    licence_number = StringField("Licence number (optional)",
                                 validators=[Optional(), Length(max=100), _no_control_characters])


class RegisterForm(FlaskForm, ProfileFields):
    """Create an account."""

    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", description="At least 10 characters.",
                             validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")])
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Log in")


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField("New password", description="At least 10 characters.",
                             validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")])
    submit = SubmitField("Set new password")


class ProfileForm(FlaskForm, ProfileFields):
    """Edit the certificate details."""

    submit = SubmitField("Save profile")
