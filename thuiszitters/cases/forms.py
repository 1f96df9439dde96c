"""Case forms (Dutch labels and messages).

Forms check what a form can know (a date exists, a choice is in the list, lengths); the domain rules (dates in the
future, age, BSN 11-proef, the chain) are the services' job, and the views attach the services' messages to the
field of the same name. Field names are therefore the model's attribute names.
"""
from __future__ import annotations

from datetime import date
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

from thuiszitters.cases.labels import FIELD_LABELS
from thuiszitters.escalation import spec
from thuiszitters.parsing import FORM_DATE, ParseError, page_number, parse_date, whole_number
from thuiszitters.text import format_date_nl

DATE_HINT = "Dag-maand-jaar, bijvoorbeeld 15-09-2026."


class DutchDateField(DateField):
    """A DateField typed as dd-mm-jjjj in a text box (native date pickers are hard to use with a screen reader and
    cannot show back what was typed).

    An empty box is no date (None); a date that does not exist (31-02), is written otherwise (week dates, other
    digits than 0-9) or lies before 1900 gives a Dutch message, never an exception. The shapes and the calendar
    check are thuiszitters.parsing's, the same as the API's. What the user typed is shown again as typed.
    """

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", DATE_HINT)
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_data(self, value: Any) -> None:
        self.data = value if isinstance(value, date) else None

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = None
        if not text:
            return
        try:
            self.data = parse_date(text, FORM_DATE)
        except ParseError as exc:
            raise ValueError(exc.reason) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format_date_nl(self.data) if isinstance(self.data, date) else ""


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


# A whole number typed in a form fits the database's integer column; the rules check the real range.
MAX_FORM_INTEGER = 2**31 - 1


class DutchIntegerField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = whole_number(valuelist[0].strip(), minimum=0, maximum=MAX_FORM_INTEGER)
        except ParseError:
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
            return whole_number(self.version.data, minimum=0, maximum=2**63 - 1)
        except ParseError:
            return None


# --- the case ------------------------------------------------------------------------------------------


# Created before the other case fields, so it is drawn first on the new-case form (WTForms orders by creation).
_SWV_FIELD = ChoiceField(_label("swv_code"), required_message="Kies het samenwerkingsverband.")
# Whether the pupil is out of school already, or a signal (a dreigend thuiszitter, DOMAIN.md "Case lifecycle").
NEW_CASE_STATUSES = {
    "open": "De leerling zit thuis",
    "signaal": "Signaal: de leerling dreigt thuis te komen zitten (dreigend thuiszitter)",
}
_STATUS_FIELD = RadioChoiceField(
    "Situatie", choices=list(NEW_CASE_STATUSES.items()), default="open",
    description="Een signaal wordt een open casus zodra u de eerste dag thuis vastlegt.",
    required_message="Kies of de leerling thuiszit of dreigt thuis te komen zitten.")


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
    absence_kind = RadioChoiceField(_label("absence_kind"), choices=_choices(spec.ABSENCE_LABELS),
                                    required_message="Kies het soort verzuim.")
    # Required for a case that is open; a signal has none yet (the service words the message).
    out_of_school_since = DutchDateField(
        _label("out_of_school_since"),
        description=f"Leeg laten bij een signaal. {DATE_HINT}")
    note = TextAreaField(_label("note"), description="Niet verplicht. Komt als notitie in het journaal van de casus.",
                         validators=_text())


class NewCaseForm(_CaseFields):
    swv_code = _SWV_FIELD
    status = _STATUS_FIELD


class EditCaseForm(_CaseFields, VersionedForm):
    pass


def _offer_outcome_names() -> str:
    labels = [spec.OUTCOME_LABELS[code].lower() for code in spec.OFFER_OUTCOMES]
    return ", ".join(labels[:-1]) + " of " + labels[-1]


class CloseCaseForm(VersionedForm):
    """Closing a case: offer outcomes need the offer's start, the others only the closing date (the view leaves
    out the outcomes that do not fit a signal or an open case)."""

    outcome = RadioChoiceField(_label("outcome"), choices=_choices(spec.OUTCOME_LABELS),
                               required_message="Kies de uitkomst.")
    offer_started_on = DutchDateField(
        "Startdatum van het passend aanbod",
        description=f"Alleen bij {_offer_outcome_names()}: die uitkomsten tellen mee voor het doel van drie "
                    f"maanden. {DATE_HINT}")
    closed_on = DutchDateField(
        "Datum van afsluiting",
        description=f"Leeg laten: vandaag. Bij een vrijstelling, verhuizing of einde leerplicht de datum waarop "
                    f"dat inging. {DATE_HINT}")
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
# One form class per step kind, built from the spec: nothing here lists a step's fields.


def _step_field(field: spec.Field) -> Any:
    """The WTForms field for a spec field. Missing required values are left to the rules, which word the message
    beside the field (only a required choice without an empty option insists here, as a radio group must)."""
    kind = field.type
    if isinstance(kind, spec.Date):
        return DutchDateField(field.form_label, description=f"{field.hint} {DATE_HINT}" if field.hint else DATE_HINT)
    if isinstance(kind, spec.Choice):
        field_class = RadioChoiceField if kind.radio else ChoiceField
        extra: dict[str, Any] = {}
        if kind.empty_label is None:
            extra["required_message"] = f"Kies {field.phrase}."
        elif kind.radio:
            extra["default"] = ""  # a radio group starts on "not known yet"; a list shows its first option anyway
        return field_class(field.form_label, choices=_choices(kind.labels, kind.empty_label),
                           description=field.hint or "", **extra)
    if isinstance(kind, spec.Text):
        return TextAreaField(field.form_label, description=field.hint or "", validators=_text(kind.max_length))
    if isinstance(kind, spec.Flag):
        return BooleanField(field.form_label, description=field.hint or "")
    if isinstance(kind, spec.Count):
        # The range is the rules' (it depends on the configured terms), so the message names the real limit.
        return DutchIntegerField(field.form_label, description=field.hint or "", validators=[Optional()],
                                 render_kw={"inputmode": "numeric"})
    if isinstance(kind, spec.SchoolRef):
        return ChoiceField(field.form_label, description=field.hint or "")  # the view fills in the schools
    raise TypeError(f"no form field for {field.name}: {kind!r}")


class StepForm(VersionedForm):
    """Fields every step has (spec.COMMON_FIELDS, added below). The reason field is always there; the service asks
    for it when needed."""


for _common in spec.COMMON_FIELDS:
    setattr(StepForm, _common.name, _step_field(_common))


def _step_form(kind: spec.StepKind) -> type[StepForm]:
    # WTForms draws fields in the order they were created: the spec's order.
    fields = {field.name: _step_field(field) for field in kind.fields}
    name = "".join(part.title() for part in kind.name.split("_")) + "Form"
    return type(name, (StepForm,), fields)


STEP_FORMS: dict[str, type[StepForm]] = {kind.name: _step_form(kind) for kind in spec.KINDS}


# --- the case list -------------------------------------------------------------------------------------


# The list's status filter value that lists closed cases too (without one it lists the cases still running).
ALL_STATUSES = "alle"


class CaseFilterForm(Form):
    """The list's filters, read from the query string (GET, so no CSRF token)."""

    status = ChoiceField("Status", choices=[("", "Lopend"), *spec.STATUS_LABELS.items(),
                                            (ALL_STATUSES, "Alle, ook gesloten")])
    overdue = ChoiceField("Termijn", choices=[("", "Alle"), ("ja", "Over de termijn"), ("nee", "Binnen de termijn")])
    stage = ChoiceField("Verste stap", choices=[("", "Alle"), ("none", "Nog geen stap"),
                                                *spec.STEP_LABELS.items()])
    gemeente = ChoiceField("Gemeente")
    school = ChoiceField("School")


class CaseOrderForm(Form):
    """The list's order as a choice in the filter form, beside the sortable column headers: on a phone the table's
    rows are stacked and its headers hidden. The column choices come from the view's list of columns."""

    sorteer = ChoiceField("Sorteren op")
    richting = ChoiceField("Volgorde", choices=[("", "Oplopend"), ("af", "Aflopend")])


# --- search --------------------------------------------------------------------------------------------


class SearchForm(FlaskForm):
    """The search box. Posted, never in the address: what is typed may be a name or a BSN (docs/security.md).
    What may be searched for is cases/search.py's to say (its message lands beside `q`)."""

    q = StringField("Zoek een casus", description="Casusnummer, (een deel van) de naam of het BSN van de leerling.",
                    render_kw={"autocomplete": "off", "spellcheck": "false"})
    page = HiddenField()

    def page_number(self) -> int:
        try:
            return page_number(self.page.data or "1")
        except ParseError:
            return 1
