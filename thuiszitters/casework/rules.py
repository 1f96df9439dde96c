"""The casework's vocabularies and rules (DOMAIN.md, "Casework around the chain"): pure, given plain values.

The network (netwerk) is who is around the pupil, each with a role from `PARTICIPANT_ROLES`; the journal (journaal)
holds dated entries of a kind from `JOURNAL_KINDS`. The lists, their Dutch labels and the limit of every text are
written here once: forms, API fields, OpenAPI, the case page and the PDF derive from them.

Each check returns the cleaned values and every problem at once (`InvalidParam`, named after the model's
attribute), so a form shows each message beside its field and the API names each field in invalidParams.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from thuiszitters.errors import InvalidParam
from thuiszitters.identifiers import InvalidIdentifier, clean_person_name, normalize_email, normalize_phone
from thuiszitters.text import format_date_nl

PARTICIPANT_ROLE_LABELS: dict[str, str] = {
    "ouder": "Ouder of verzorger",
    "leerling": "Leerling",
    "school": "School",
    "jeugdhulp": "Jeugdhulp",
    "wijkteam": "Wijkteam",
    "ggd": "GGD",
    "leerplicht": "Leerplicht",
    "consulent": "Onderwijs(zorg)consulent",
    "zorgaanbieder": "Zorgaanbieder",
    "overig": "Overig",
}
PARTICIPANT_ROLES = tuple(PARTICIPANT_ROLE_LABELS)

JOURNAL_KIND_LABELS: dict[str, str] = {
    "gesprek": "Gesprek",
    "telefoon": "Telefoongesprek",
    "email": "E-mail",
    "huisbezoek": "Huisbezoek",
    "overleg": "Overleg",
    "notitie": "Notitie",
}
JOURNAL_KINDS = tuple(JOURNAL_KIND_LABELS)
# The kind of the entry that the old single case note became (migration 0010), and of a note sent with a new case.
NOTE_KIND = "notitie"

# Whether the parents consented to sharing information with a participant; None: not recorded (yet).
CONSENT_LABELS: dict[bool | None, str] = {True: "Ja", False: "Nee", None: "Niet vastgelegd"}

NAME_MAX = 200
ORGANISATION_MAX = 200
PARTICIPANT_NOTE_MAX = 1000
SUMMARY_MAX = 5000
MAX_PARTICIPANTS_PER_ENTRY = 50

# The fields of each, in form order; their names are the models' attributes.
PARTICIPANT_FIELDS = ("role", "name", "organisation", "email", "phone", "consent_to_share", "note")
JOURNAL_FIELDS = ("occurred_on", "kind", "participant_ids", "summary")
# Contact details: shown on the case page (a logged read), in the PDF only when asked for.
CONTACT_FIELDS = ("email", "phone", "note")

FIELD_LABELS: dict[str, str] = {
    "role": "Rol",
    "name": "Naam",
    "organisation": "Organisatie",
    "email": "E-mailadres",
    "phone": "Telefoonnummer",
    "consent_to_share": "Toestemming van de ouders om informatie te delen",
    "note": "Notitie bij deze betrokkene",
    "occurred_on": "Datum van het contact",
    "kind": "Soort contact",
    "participant_ids": "Betrokkenen",
    "summary": "Verslag",
}

# Personal data and free text: the audit trail says that they changed, never what they became.
PARTICIPANT_PERSONAL_FIELDS = frozenset({"name", "organisation", "email", "phone", "note"})
JOURNAL_FREE_TEXT_FIELDS = frozenset({"summary"})


def _optional_text(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    return text or None


def _too_long(name: str, text: str | None, maximum: int, problems: list[InvalidParam]) -> None:
    if text is not None and len(text) > maximum:
        problems.append(InvalidParam(name, "too_long", f"Gebruik ten hoogste {maximum} tekens (nu {len(text)})."))


def check_participant(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[InvalidParam]]:
    """A participant's values cleaned (names without invisible characters, the e-mail address and phone number in
    their stored form), and every problem with them. `values` holds each of PARTICIPANT_FIELDS: a change is
    merged with the stored values first."""
    problems: list[InvalidParam] = []
    role = values.get("role")
    if role not in PARTICIPANT_ROLES:
        problems.append(InvalidParam("role", "unknown_value" if role else "required",
                                     "Kies de rol van deze betrokkene uit de lijst."))
    raw_name = values.get("name")
    name = clean_person_name(raw_name) if isinstance(raw_name, str) else ""
    if not name:
        problems.append(InvalidParam("name", "required", "Vul de naam van de betrokkene in."))
    _too_long("name", name, NAME_MAX, problems)
    organisation = _optional_text(values.get("organisation"))
    organisation = (clean_person_name(organisation) or None) if organisation else None
    _too_long("organisation", organisation, ORGANISATION_MAX, problems)
    contact: dict[str, str | None] = {}
    for name_, normalise in (("email", normalize_email), ("phone", normalize_phone)):
        typed = _optional_text(values.get(name_))
        contact[name_] = None
        if typed is not None:
            try:
                contact[name_] = normalise(typed)
            except InvalidIdentifier as exc:
                problems.append(InvalidParam(name_, exc.code, exc.message))
    consent = values.get("consent_to_share")
    if consent is not None and not isinstance(consent, bool):
        problems.append(InvalidParam("consent_to_share", "invalid_type", "Kies ja, nee of niet vastgelegd."))
        consent = None
    note = _optional_text(values.get("note"))
    _too_long("note", note, PARTICIPANT_NOTE_MAX, problems)
    cleaned = {"role": role, "name": name, "organisation": organisation, "email": contact["email"],
               "phone": contact["phone"], "consent_to_share": consent, "note": note}
    return cleaned, problems


def earliest_entry_date(out_of_school_since: date | None, registered_on: date) -> date:
    """The first day a journal entry may be dated: the day the case began. That is its first day out of school,
    or the day it was registered when that came first (a signal, before the absence started). Contact before the
    case began belongs to the school's file, not to this one."""
    return min(day for day in (out_of_school_since, registered_on) if day is not None)


def check_journal_entry(values: Mapping[str, Any], *, today: date, earliest: date,
                        allowed_participants: Collection[int]) -> tuple[dict[str, Any], list[InvalidParam]]:
    """A journal entry's values cleaned, and every problem with them. `values` holds each of JOURNAL_FIELDS (a
    correction is merged with the entry first); `allowed_participants` are the ids it may name: participants of
    this case (for a correction also those it named before and who have since left the network)."""
    problems: list[InvalidParam] = []
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, date):
        problems.append(InvalidParam("occurred_on", "required", "Vul de datum van het contact in."))
    elif occurred_on > today:
        problems.append(InvalidParam("occurred_on", "future_date",
                                     f"De datum ({format_date_nl(occurred_on)}) ligt in de toekomst. Leg een "
                                     f"contact vast op of na de dag waarop het plaatsvond."))
    elif occurred_on < earliest:
        problems.append(InvalidParam("occurred_on", "before_case",
                                     f"De datum ({format_date_nl(occurred_on)}) ligt voor het begin van de casus "
                                     f"({format_date_nl(earliest)})."))
    kind = values.get("kind")
    if kind not in JOURNAL_KINDS:
        problems.append(InvalidParam("kind", "unknown_value" if kind else "required",
                                     "Kies de soort contact uit de lijst."))
    ids = list(dict.fromkeys(values.get("participant_ids") or ()))
    if any(isinstance(i, bool) or not isinstance(i, int) or i not in allowed_participants for i in ids):
        problems.append(InvalidParam("participant_ids", "unknown_participant",
                                     "Kies alleen betrokkenen uit het netwerk van deze casus."))
    elif len(ids) > MAX_PARTICIPANTS_PER_ENTRY:
        problems.append(InvalidParam("participant_ids", "too_many",
                                     f"Kies ten hoogste {MAX_PARTICIPANTS_PER_ENTRY} betrokkenen."))
    summary = _optional_text(values.get("summary"))
    if summary is None:
        problems.append(InvalidParam("summary", "required", "Schrijf op wat er besproken of afgesproken is."))
    _too_long("summary", summary, SUMMARY_MAX, problems)
    return {"occurred_on": occurred_on, "kind": kind, "participant_ids": ids, "summary": summary}, problems


@dataclass(frozen=True)
class Person:
    """Who someone in the network is, as far as telling two apart goes."""

    role: str
    name: str
    email: str | None = None


def already_in_network(candidate: Person, network: Iterable[Person]) -> bool:
    """Whether the network holds the candidate already: the same role, and the same e-mail address or (without
    one) the same name, ignoring case."""
    for person in network:
        if person.role != candidate.role:
            continue
        if candidate.email and person.email:
            if candidate.email.lower() == person.email.lower():
                return True
        elif candidate.name.casefold() == person.name.casefold():
            return True
    return False
