"""Case forms (Dutch labels and messages).

Forms check what a form can know (a date exists, a choice is in the list, lengths); the domain rules (dates in the
future, age, BSN 11-proef, the chain) are the services' job, and the views attach the services' messages to the
field of the same name. Field names are therefore the model's attribute names.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from thuiszitters.cases import rules
from thuiszitters.cases.labels import FIELD_LABELS

DATE_HINT = "Dag-maand-jaar, bijvoorbeeld 15-09-2026."
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


class DutchDateField(DateField):
    """A DateField typed as dd-mm-jjjj in a text box (native date pickers are hard to use with a screen reader and
    cannot show back what was typed).

    An empty box is no date (None); a date that does not exist (31-02) gives a Dutch message, never an exception.
    What the user typed is shown again as typed.
    """

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", DATE_HINT)
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, format=list(DATE_FORMATS), **kwargs)

    def process_data(self, value: Any) -> None:
        self.data = value if isinstance(value, date) else None

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = None
        if not text:
            return
        for fmt in DATE_FORMATS:
            try:
                self.data = datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        raise ValueError("Deze datum bestaat niet of is niet goed geschreven. Schrijf de datum als dag-maand-jaar, "
                         "bijvoorbeeld 15-09-2026.")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d-%m-%Y") if isinstance(self.data, date) else ""


class DateRequired:
    """DataRequired for DutchDateField: no second message when the typed date already could not be read."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


class DutchIntegerField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Vul een heel getal in.") from None


class _ChoiceMixin:
    """A choice from a list. An empty value is allowed only when "" is one of the choices."""

    def __init__(self, *args: Any, required_message: str = "Maak een keuze.", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.required_message = required_message

    def pre_validate(self, form: Any) -> None:
        allowed = {str(value) for value, *_ in (self.choices or [])}  # type: ignore[attr-defined]
        data = self.data  # type: ignore[attr-defined]
        if data is None or data == "":
            if "" not in allowed:
                raise ValidationError(self.required_message)
        elif str(data) not in allowed:
            raise ValidationError("Kies een waarde uit de lijst.")


class ChoiceField(_ChoiceMixin, SelectField):
    pass


class RadioChoiceField(_ChoiceMixin, RadioField):
    pass


def _label(name: str) -> str:
    return FIELD_LABELS[name]


def _text(max_length: int = 2000) -> list[Any]:
    return [Optional(), Length(max=max_length, message=f"Gebruik ten hoogste {max_length} tekens.")]


def _choices(labels: dict[str, str], empty: str | None = None) -> list[tuple[str, str]]:
    items = list(labels.items())
    return [("", empty), *items] if empty else items


class VersionedForm(FlaskForm):
    """Every edit form carries the version of the case it was loaded with (optimistic locking)."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


# --- the case ------------------------------------------------------------------------------------------


# Created before the other case fields, so it is drawn first on the new-case form (WTForms orders by creation).
_SWV_FIELD = ChoiceField(_label("swv_code"), required_message="Kies het samenwerkingsverband.")


class _CaseFields(FlaskForm):
    first_name = StringField(_label("first_name"), validators=[
        DataRequired("Vul de voornaam van de leerling in."),
        Length(max=100, message="De voornaam is langer dan 100 tekens.")])
    last_name = StringField(_label("last_name"), validators=[
        DataRequired("Vul de achternaam van de leerling in."),
        Length(max=150, message="De achternaam is langer dan 150 tekens.")])
    date_of_birth = DutchDateField(_label("date_of_birth"), validators=[
        DateRequired("Vul de geboortedatum van de leerling in.")])
    bsn = StringField(_label("bsn"), description="Burgerservicenummer, 9 cijfers. Niet verplicht.",
                      validators=[Optional(), Length(max=11, message="Een BSN heeft 9 cijfers.")],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    gemeente_code = ChoiceField("Gemeente waar de leerling woont",
                                required_message="Kies de gemeente waar de leerling woont.")
    school_brin = ChoiceField("School waar de leerling staat ingeschreven",
                              description="Niet verplicht. Leeg laten als de leerling nergens staat ingeschreven.")
    absence_kind = RadioChoiceField(_label("absence_kind"), choices=_choices(rules.ABSENCE_LABELS),
                                    required_message="Kies het soort verzuim.")
    out_of_school_since = DutchDateField(_label("out_of_school_since"), validators=[
        DateRequired("Vul de eerste dag in waarop de leerling niet naar school ging.")])
    note = TextAreaField(_label("note"), description="Niet verplicht.", validators=_text())


class NewCaseForm(_CaseFields):
    swv_code = _SWV_FIELD


class EditCaseForm(_CaseFields, VersionedForm):
    pass


class CloseCaseForm(VersionedForm):
    outcome = RadioChoiceField(_label("outcome"), choices=_choices(rules.OUTCOME_LABELS),
                               required_message="Kies de uitkomst.")
    offer_started_on = DutchDateField("Startdatum van het passend aanbod", validators=[
        DateRequired("Vul de datum in waarop het passend aanbod begon.")])
    school_brin = ChoiceField("School waar de leerling terugkeert",
                              description="Alleen bij de uitkomst 'Terug naar school'.")
    note = TextAreaField("Toelichting", description="Verplicht bij de uitkomst 'Overig'.", validators=_text())


class ReopenCaseForm(VersionedForm):
    reason = TextAreaField("Reden voor heropenen", validators=[
        DataRequired("Vul de reden voor heropenen in."),
        Length(max=500, message="Gebruik ten hoogste 500 tekens.")])


class TransferCaseForm(VersionedForm):
    swv_code = ChoiceField("Nieuw samenwerkingsverband", required_message="Kies het nieuwe samenwerkingsverband.")
    gemeente_code = ChoiceField("Nieuwe gemeente", description="Leeg laten als de gemeente niet verandert.")
    reason = TextAreaField("Reden van de overdracht", validators=[
        DataRequired("Vul de reden van de overdracht in."),
        Length(max=500, message="Gebruik ten hoogste 500 tekens.")])


# --- steps ---------------------------------------------------------------------------------------------


class StepForm(VersionedForm):
    """Fields every step has. The reason field is always there; the service asks for it when needed."""

    out_of_order_reason = TextAreaField(
        _label("out_of_order_reason"),
        description="Alleen nodig als deze stap eerder komt dan de vorige stappen in de keten.",
        validators=_text(),
    )


class AanmeldingForm(StepForm):
    school_brin = ChoiceField("School waar de leerling is aangemeld")
    received_on = DutchDateField("Datum waarop de school de schriftelijke aanmelding ontving")
    extended_on = DutchDateField(_label("extended_on"), description="Alleen als de school de termijn verlengde "
                                 "(één keer, ten hoogste 4 weken). " + DATE_HINT)
    extension_weeks = DutchIntegerField(_label("extension_weeks"), validators=[Optional()],
                                        render_kw={"inputmode": "numeric"})
    decision = RadioChoiceField(_label("decision"),
                                choices=_choices(rules.AANMELDING_DECISION_LABELS, "Nog geen besluit"), default="")
    decided_on = DutchDateField(_label("decided_on"))


class SwvInzetForm(StepForm):
    started_on = DutchDateField(_label("started_on"))
    action = ChoiceField(_label("action"), choices=_choices(rules.SWV_ACTION_LABELS, "Nog niet bekend"))
    description = TextAreaField(_label("description"), validators=_text())
    ended_on = DutchDateField(_label("ended_on"))


class ConsulentForm(StepForm):
    consulent_type = RadioChoiceField(_label("consulent_type"), choices=_choices(rules.CONSULENT_TYPE_LABELS),
                                      required_message="Kies het soort consulent.")
    parental_consent = BooleanField("De ouders hebben toestemming gegeven om de consulent in te schakelen")
    requested_on = DutchDateField(_label("requested_on"))
    advice_on = DutchDateField(_label("advice_on"))
    closed_on = DutchDateField("Datum waarop de aanvraag is afgesloten")


class GeschillencommissieForm(StepForm):
    subject = RadioChoiceField(_label("subject"), choices=_choices(rules.GPO_SUBJECT_LABELS),
                               required_message="Kies waarover het geschil gaat.",
                               description="Een geschil over een TLV gaat naar de bezwaarprocedure van het "
                                           "samenwerkingsverband, niet naar de commissie.")
    school_decision_on = DutchDateField(_label("school_decision_on"))
    filed_on = DutchDateField(_label("filed_on"))
    late_filing_reason = TextAreaField(_label("late_filing_reason"),
                                       description="Alleen als het verzoek later dan 6 weken na het besluit is "
                                                   "ingediend.", validators=_text())
    verdict = ChoiceField(_label("verdict"), choices=_choices(rules.GPO_VERDICT_LABELS, "Nog geen oordeel"))
    verdict_on = DutchDateField(_label("verdict_on"))
    follow_up = ChoiceField(_label("follow_up"), choices=_choices(rules.FOLLOW_UP_LABELS, "Nog niet bekend"))
    follow_up_on = DutchDateField(_label("follow_up_on"))


class InterventieteamForm(StepForm):
    reported_on = DutchDateField("Datum van melding bij het interventieteam")
    outcome = TextAreaField(_label("outcome"), validators=_text())
    closed_on = DutchDateField(_label("closed_on"))


STEP_FORMS: dict[str, type[StepForm]] = {
    "aanmelding": AanmeldingForm,
    "swv_inzet": SwvInzetForm,
    "consulent": ConsulentForm,
    "geschillencommissie": GeschillencommissieForm,
    "interventieteam": InterventieteamForm,
}


# --- the case list -------------------------------------------------------------------------------------


class CaseFilterForm(Form):
    """The list's filters, read from the query string (GET, so no CSRF token)."""

    status = ChoiceField("Status", choices=_choices(rules.STATUS_LABELS, "Alle"))
    overdue = ChoiceField("Termijn", choices=[("", "Alle"), ("ja", "Over de termijn"), ("nee", "Binnen de termijn")])
    stage = ChoiceField("Verste stap", choices=[("", "Alle"), ("none", "Nog geen stap"),
                                                *rules.STEP_LABELS.items()])
    gemeente = ChoiceField("Gemeente")
    school = ChoiceField("School")
