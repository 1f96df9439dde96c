"""The plan's and the meetings' forms. Field names are the models' attribute names where they can be; the owner is
one select of users and participants (`owner`), whose problems (`owner_user_id`, `owner_participant_id`) are drawn
beside it. The forms only read what was typed; every rule is the service's, so all messages come in one round.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, TextAreaField

from thuiszitters.cases.forms import DutchDateField, VersionedForm
from thuiszitters.casework import plan_rules as rules
from thuiszitters.casework.forms import CheckboxesField, RadioChoiceField, SelectField

USER_PREFIX, PARTICIPANT_PREFIX = "gebruiker-", "betrokkene-"
# The rows of agreements the meeting form offers; empty rows are skipped.
AGREEMENT_ROWS = 4
# A problem named after either owner attribute is drawn beside the one owner select.
OWNER_FIELDS = {"owner_user_id": "owner", "owner_participant_id": "owner"}


def _label(name: str) -> str:
    return rules.FIELD_LABELS[name]


def owner_choices(users: list[tuple[int, str]], participants: list[tuple[int, str]]) -> list[Any]:
    """The owner select's options: a blank, the users who can see the case, then the network (each label says
    which it is)."""
    return [("", "Kies een eigenaar"), *[(f"{USER_PREFIX}{i}", label) for i, label in users],
            *[(f"{PARTICIPANT_PREFIX}{i}", label) for i, label in participants]]


def owner_value(user_id: int | None, participant_id: int | None) -> str:
    if user_id is not None:
        return f"{USER_PREFIX}{user_id}"
    return f"{PARTICIPANT_PREFIX}{participant_id}" if participant_id is not None else ""


def owner_ids(value: str | None) -> dict[str, int | None]:
    """The select's value as the two owner attributes; a value that names neither becomes an unknown user (-1),
    which the rules refuse beside the field."""
    ids: dict[str, int | None] = {"owner_user_id": None, "owner_participant_id": None}
    if not value:
        return ids
    for prefix, name in ((USER_PREFIX, "owner_user_id"), (PARTICIPANT_PREFIX, "owner_participant_id")):
        number = value.removeprefix(prefix)
        if number != value and number.isascii() and number.isdigit() and len(number) < 10:
            ids[name] = int(number)
            return ids
    ids["owner_user_id"] = -1
    return ids


class ActionForm(VersionedForm):
    description = TextAreaField(_label("description"), description="Wat moet er gebeuren?", render_kw={"rows": 3})
    owner = SelectField(_label("owner"), description="Een gebruiker die de casus kan zien, of iemand uit het "
                                                      "netwerk.")
    due_on = DutchDateField(_label("due_on"))

    def values(self) -> dict[str, Any]:
        return {"description": self.description.data, **owner_ids(self.owner.data), "due_on": self.due_on.data}


class ActionUpdateForm(VersionedForm):
    """A coordinator changes every field; the owner of an action (leerplicht) gets only the status and done date
    (the view deletes `COORDINATOR_ONLY`)."""

    description = TextAreaField(_label("description"), description="Wat moet er gebeuren?", render_kw={"rows": 3})
    owner = SelectField(_label("owner"), description="Een gebruiker die de casus kan zien, of iemand uit het "
                                                      "netwerk.")
    due_on = DutchDateField(_label("due_on"))
    status = RadioChoiceField(_label("status"), choices=list(rules.ACTION_STATUS_LABELS.items()))
    done_on = DutchDateField(_label("done_on"), description="Alleen bij gedaan; leeg is vandaag. dd-mm-jjjj.")

    COORDINATOR_ONLY = ("description", "owner", "due_on")

    def values(self) -> dict[str, Any]:
        values = {name: self[name].data for name in rules.ACTION_UPDATE_FIELDS if name in self._fields}
        if "owner" in self._fields:
            values |= owner_ids(self.owner.data)
        return values


class AgreementForm(FlaskForm):
    class Meta:
        csrf = False  # a row of the meeting form, which carries the token

    description = TextAreaField(_label("description"), render_kw={"rows": 2})
    owner = SelectField(_label("owner"))
    due_on = DutchDateField(_label("due_on"))

    def values(self) -> dict[str, Any]:
        return {"description": self.description.data or None, **owner_ids(self.owner.data),
                "due_on": self.due_on.data}


class MeetingForm(VersionedForm):
    held_on = DutchDateField(_label("held_on"))
    kind = SelectField(_label("kind"), choices=[("", "Kies de soort overleg"), *rules.MEETING_KIND_LABELS.items()])
    participant_ids = CheckboxesField(_label("participant_ids"), coerce=int,
                                      description="Wie van het netwerk was erbij? Niet verplicht.")
    summary = TextAreaField(_label("summary"), description=f"Ten hoogste {rules.SUMMARY_MAX} tekens.",
                            render_kw={"rows": 6})
    agreements = FieldList(FormField(AgreementForm), min_entries=AGREEMENT_ROWS, max_entries=AGREEMENT_ROWS)

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in rules.MEETING_FIELDS}

    def agreement_values(self) -> list[dict[str, Any]]:
        return [row.form.values() for row in self.agreements]
