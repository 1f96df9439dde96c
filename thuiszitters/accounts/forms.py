"""Login and user-administration forms (Dutch labels and messages)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from thuiszitters.identifiers import InvalidIdentifier, normalize_email
from thuiszitters.permissions import ROLE_LABELS


def valid_email(_form: FlaskForm, field: EmailField) -> None:
    """The form's check is the one every entry point uses (identifiers.normalize_email)."""
    try:
        normalize_email(field.data or "")
    except InvalidIdentifier as exc:
        raise ValidationError(exc.message) from None


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=128)])


class UserForm(FlaskForm):
    email = EmailField(
        "E-mailadres",
        validators=[DataRequired("Vul een e-mailadres in."), valid_email, Length(max=254)],
    )
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=200)])
    role = SelectField("Rol", choices=[(role.value, label) for role, label in ROLE_LABELS.items()])
    swvs = SelectMultipleField("Samenwerkingsverbanden", choices=[], validate_choice=True)
    gemeenten = SelectMultipleField("Gemeenten", choices=[], validate_choice=True)
    active = BooleanField("Actief", default=True)
    password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Leeg laten om het wachtwoord niet te wijzigen.",
        validators=[Optional(), Length(max=128)],
    )


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        "Code",
        validators=[DataRequired("Vul de code in."), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )


class EnrolmentForm(CodeForm):
    """The first code from the authenticator app, and (MFA_ENROLMENT_MAIL_CODE) the code sent by e-mail."""

    mail_code = StringField(
        "Code uit de e-mail",
        validators=[DataRequired("Vul de code uit de e-mail in."), Length(max=32)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )
