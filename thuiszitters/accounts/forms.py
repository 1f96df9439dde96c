"""Login and user-administration forms (Dutch labels and messages)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from thuiszitters.identifiers import InvalidIdentifier, normalize_email
from thuiszitters.permissions import ROLE_LABELS


def valid_email(_form: FlaskForm, field: EmailField) -> None:
    """The form's check is the one every entry point uses (identifiers.normalize_email)."""
    try:
        normalize_email(field.data or "")
    except InvalidIdentifier as exc:
        raise ValidationError(exc.message) from None


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a multi-select needs Ctrl or Cmd, and many people never find that)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Gebruik ten hoogste {limit} tekens.")


class LoginForm(FlaskForm):
    # autocomplete: password managers and the browser fill in the right fields (WCAG 1.3.5).
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), _too_long(254)],
                       render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), _too_long(128)],
                             render_kw={"autocomplete": "current-password"})


class UserForm(FlaskForm):
    email = EmailField(
        "E-mailadres",
        validators=[DataRequired("Vul een e-mailadres in."), valid_email, _too_long(254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), _too_long(200)],
                       render_kw={"autocomplete": "off"})
    role = SelectField("Rol", choices=[(role.value, label) for role, label in ROLE_LABELS.items()])
    swvs = CheckboxesField("Samenwerkingsverbanden", choices=[], validate_choice=True)
    gemeenten = CheckboxesField("Gemeenten", choices=[], validate_choice=True)
    active = BooleanField("Actief", default=True)
    password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Leeg laten om het wachtwoord niet te wijzigen.",
        validators=[Optional(), _too_long(128)],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        "Code",
        validators=[DataRequired("Vul de code in."), _too_long(32)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )


class EnrolmentForm(CodeForm):
    """The first code from the authenticator app, and (MFA_ENROLMENT_MAIL_CODE) the code sent by e-mail."""

    mail_code = StringField(
        "Code uit de e-mail",
        validators=[DataRequired("Vul de code uit de e-mail in."), _too_long(32)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )
