"""Login and user-administration forms (Dutch labels and messages)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from thuiszitters.accounts.models import ROLE_LABELS
from thuiszitters.identifiers import InvalidIdentifier, normalize_email


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
    role = SelectField("Rol", choices=list(ROLE_LABELS.items()))
    swvs = SelectMultipleField("Samenwerkingsverbanden", choices=[], validate_choice=True)
    gemeenten = SelectMultipleField("Gemeenten", choices=[], validate_choice=True)
    active = BooleanField("Actief", default=True)
    password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Leeg laten om het wachtwoord niet te wijzigen.",
        validators=[Optional(), Length(max=128)],
    )


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons (logout, revoke)."""


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


class ReferenceImportForm(FlaskForm):
    """Upload of one CSV file of reference data (docs/reference-data.md)."""

    kind = SelectField("Soort gegevens", choices=[("swv", "Samenwerkingsverbanden"), ("gemeente", "Gemeenten"),
                                                  ("school", "Scholen")],
                       description="Importeer eerst samenwerkingsverbanden en gemeenten, dan scholen.")
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")],
                     description="UTF-8, met een kopregel; kolommen gescheiden door ; of ,.",
                     render_kw={"accept": ".csv,text/csv"})
