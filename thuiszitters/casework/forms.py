"""The network's and the journal's forms. Field names are the models' attribute names, so a service's problem lands
beside its field; the lists and labels come from casework/rules.py.

The forms check only what a form alone can know (a date that can be read); every other rule is the service's, so
that all messages come in one round.
"""
from __future__ import annotations

from typing import Any

from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms import SelectField as WTFSelectField
from wtforms.widgets import CheckboxInput, ListWidget

from thuiszitters.cases.forms import DutchDateField, VersionedForm
from thuiszitters.casework import rules

_CONSENT_CHOICES = [("", rules.CONSENT_LABELS[None]), ("ja", rules.CONSENT_LABELS[True]),
                    ("nee", rules.CONSENT_LABELS[False])]
CONSENT_VALUES = {"ja": True, "nee": False, "": None}


class _Permissive:
    """A choice the service judges (its message, beside the field, with the others), not the form."""

    def pre_validate(self, form: Any) -> None:
        return None


# The class names are the ones the field macros of templates/_form.html draw (a select, radio buttons, check boxes).
class SelectField(_Permissive, WTFSelectField):
    pass


class RadioChoiceField(_Permissive, RadioField):
    pass


class CheckboxesField(_Permissive, SelectMultipleField):
    """Check boxes of the case's participants; an id that is no number becomes -1 (the service refuses it)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        ids = []
        for value in valuelist:
            ids.append(int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1)
        self.data = ids


def _label(name: str) -> str:
    return rules.FIELD_LABELS[name]


class ParticipantForm(VersionedForm):
    role = SelectField(_label("role"), choices=[("", "Kies een rol"), *rules.PARTICIPANT_ROLE_LABELS.items()])
    name = StringField(_label("name"), render_kw={"autocomplete": "off"})
    organisation = StringField(_label("organisation"), description="Niet verplicht.")
    email = StringField(_label("email"), description="Niet verplicht.", render_kw={"autocomplete": "off",
                                                                                   "inputmode": "email"})
    phone = StringField(_label("phone"), description="Niet verplicht. Bijvoorbeeld 06 12345678.",
                        render_kw={"autocomplete": "off", "inputmode": "tel"})
    consent_to_share = RadioChoiceField(_label("consent_to_share"), choices=_CONSENT_CHOICES, default="")
    note = TextAreaField(_label("note"), description="Niet verplicht. Bijvoorbeeld wanneer iemand bereikbaar is.")

    def values(self) -> dict[str, Any]:
        data = {name: self[name].data for name in rules.PARTICIPANT_FIELDS}
        data["consent_to_share"] = CONSENT_VALUES.get(self.consent_to_share.data or "", "?")
        return data


def consent_choice(value: bool | None) -> str:
    return next(key for key, consent in CONSENT_VALUES.items() if consent is value)


class JournalEntryForm(VersionedForm):
    occurred_on = DutchDateField(_label("occurred_on"))
    kind = SelectField(_label("kind"), choices=[("", "Kies de soort contact"), *rules.JOURNAL_KIND_LABELS.items()])
    participant_ids = CheckboxesField(_label("participant_ids"), coerce=int,
                                         description="Wie waren erbij of werden gesproken? Niet verplicht.")
    summary = TextAreaField(_label("summary"), description=f"Ten hoogste {rules.SUMMARY_MAX} tekens.",
                            render_kw={"rows": 8})

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in rules.JOURNAL_FIELDS}
