"""The plan van aanpak and the meetings (DOMAIN.md, "Casework around the chain"): vocabularies and checks, pure.

An action has a description, exactly one owner (a user who can see the case, or a participant of the case), a due
date and a status from `ACTION_STATUSES`; `gedaan` carries the day it was done. A meeting (`MEETING_KINDS`) has a
day, the participants present, a summary and agreements, each of which becomes an action linked to the meeting.

The checks take plain values and `today`, and return the cleaned values with every problem at once
(`InvalidParam`, named after the model's attribute; an agreement's problems as `agreements.<n>.<attr>`), so a form
shows each message beside its field and the API names each field in invalidParams.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from thuiszitters.casework.rules import MAX_PARTICIPANTS_PER_ENTRY, SUMMARY_MAX
from thuiszitters.errors import InvalidParam
from thuiszitters.text import format_date_nl

OPEN, DONE, LAPSED = "open", "gedaan", "vervallen"
ACTION_STATUS_LABELS: dict[str, str] = {OPEN: "Open", DONE: "Gedaan", LAPSED: "Vervallen"}
ACTION_STATUSES = tuple(ACTION_STATUS_LABELS)

MEETING_KIND_LABELS: dict[str, str] = {
    "mdo": "MDO (multidisciplinair overleg)",
    "overleg": "Overleg",
    "huisbezoek": "Huisbezoek",
    "anders": "Anders",
}
MEETING_KINDS = tuple(MEETING_KIND_LABELS)

DESCRIPTION_MAX = 1000
MAX_AGREEMENTS = 20
# How far ahead an action may be due: a plan, not a wish list (and no year 9999 slipping through).
MAX_DAYS_AHEAD = 3 * 366

# The fields, in form order; their names are the models' attributes.
ACTION_FIELDS = ("description", "owner_user_id", "owner_participant_id", "due_on")
ACTION_UPDATE_FIELDS = ("description", "owner_user_id", "owner_participant_id", "status", "done_on", "due_on")
OWNER_ATTRIBUTES = ("owner_user_id", "owner_participant_id")
# What only a coordinator changes; the owner of an action (leerplicht) changes its status and done date.
COORDINATOR_FIELDS = ("description", *OWNER_ATTRIBUTES, "due_on")
MEETING_FIELDS = ("held_on", "kind", "participant_ids", "summary")
AGREEMENT_FIELDS = ("description", "owner_user_id", "owner_participant_id", "due_on")

FIELD_LABELS: dict[str, str] = {
    "description": "Actie",
    "owner_user_id": "Eigenaar (gebruiker)",
    "owner_participant_id": "Eigenaar (betrokkene)",
    "owner": "Eigenaar",
    "due_on": "Uiterlijk op",
    "status": "Status",
    "done_on": "Gedaan op",
    "held_on": "Datum van het overleg",
    "kind": "Soort overleg",
    "participant_ids": "Aanwezig",
    "summary": "Verslag",
    "agreements": "Afspraken",
}
# Free text: the audit trail says that it changed, never what it became.
FREE_TEXT_FIELDS = frozenset({"description", "summary"})


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """An open action whose due date has passed (due today is not overdue yet)."""
    return status == OPEN and due_on < today


def is_due_today(status: str, due_on: date, today: date) -> bool:
    return status == OPEN and due_on == today


def _text(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    return text or None


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_owner(values: Mapping[str, Any], prefix: str, users: Collection[int], participants: Collection[int],
                 problems: list[InvalidParam]) -> tuple[int | None, int | None]:
    user_id, participant_id = values.get("owner_user_id"), values.get("owner_participant_id")
    if user_id is None and participant_id is None:
        problems.append(InvalidParam(f"{prefix}owner_user_id", "owner_required",
                                     "Kies een eigenaar: een gebruiker die de casus kan zien, of een "
                                     "betrokkene uit het netwerk."))
        return None, None
    if user_id is not None and participant_id is not None:
        problems.append(InvalidParam(f"{prefix}owner_participant_id", "two_owners",
                                     "Kies één eigenaar: een gebruiker óf een betrokkene, niet allebei."))
        return None, None
    if user_id is not None and _id(user_id) not in users:
        problems.append(InvalidParam(f"{prefix}owner_user_id", "owner_cannot_see_case",
                                     "Deze gebruiker kan de casus niet inzien. Kies iemand die de casus kan zien, "
                                     "of een betrokkene uit het netwerk."))
    if participant_id is not None and _id(participant_id) not in participants:
        problems.append(InvalidParam(f"{prefix}owner_participant_id", "unknown_participant",
                                     "Kies een betrokkene uit het netwerk van deze casus."))
    return _id(user_id), _id(participant_id)


def _check_due(value: Any, name: str, *, today: date, earliest: date, problems: list[InvalidParam]) -> date | None:
    if not isinstance(value, date):
        problems.append(InvalidParam(name, "required", "Vul de datum in waarop de actie uiterlijk af moet zijn."))
        return None
    if value < earliest:
        problems.append(InvalidParam(name, "before_case",
                                     f"De datum ({format_date_nl(value)}) ligt voor het begin van de casus "
                                     f"({format_date_nl(earliest)})."))
    elif (value - today).days > MAX_DAYS_AHEAD:
        problems.append(InvalidParam(name, "too_far_ahead",
                                     "Die datum ligt meer dan drie jaar vooruit. Kies een datum binnen drie jaar."))
    return value


def _check_description(value: Any, name: str, problems: list[InvalidParam]) -> str | None:
    description = _text(value)
    if description is None:
        problems.append(InvalidParam(name, "required", "Beschrijf wat er gedaan moet worden."))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(InvalidParam(name, "too_long",
                                     f"Gebruik ten hoogste {DESCRIPTION_MAX} tekens (nu {len(description)})."))
    return description


def check_action(values: Mapping[str, Any], *, today: date, earliest: date, users: Collection[int],
                 participants: Collection[int], prefix: str = "") -> tuple[dict[str, Any], list[InvalidParam]]:
    """A new action's values cleaned, and every problem with them. `users` are the ids of the users who can see
    the case, `participants` those of the case's network; `earliest` is the day the case began."""
    problems: list[InvalidParam] = []
    description = _check_description(values.get("description"), f"{prefix}description", problems)
    user_id, participant_id = _check_owner(values, prefix, users, participants, problems)
    due_on = _check_due(values.get("due_on"), f"{prefix}due_on", today=today, earliest=earliest, problems=problems)
    return {"description": description, "owner_user_id": user_id, "owner_participant_id": participant_id,
            "due_on": due_on}, problems


def check_action_update(values: Mapping[str, Any], *, today: date, earliest: date, users: Collection[int],
                        participants: Collection[int]) -> tuple[dict[str, Any], list[InvalidParam]]:
    """A change of an action (merged with the stored values), cleaned: its description and owner as for a new
    action (`users`, `participants`: who may own it), its due date, status and done date. Done needs the day it
    was done (not in the future, not before the case began; today when left empty for a change to done); any
    other status has no done date."""
    problems: list[InvalidParam] = []
    description = _check_description(values.get("description"), "description", problems)
    user_id, participant_id = _check_owner(values, "", users, participants, problems)
    status = values.get("status")
    if status not in ACTION_STATUSES:
        problems.append(InvalidParam("status", "unknown_value" if status else "required",
                                     "Kies open, gedaan of vervallen."))
    due_on = _check_due(values.get("due_on"), "due_on", today=today, earliest=earliest, problems=problems)
    done_on = values.get("done_on")
    if status == DONE:
        if done_on is None:
            done_on = today
        elif not isinstance(done_on, date):
            problems.append(InvalidParam("done_on", "invalid_type", "Vul een datum in."))
        elif done_on > today:
            problems.append(InvalidParam("done_on", "future_date",
                                         f"De datum ({format_date_nl(done_on)}) ligt in de toekomst. Een actie is "
                                         f"gedaan op of voor vandaag."))
        elif done_on < earliest:
            problems.append(InvalidParam("done_on", "before_case",
                                         f"De datum ({format_date_nl(done_on)}) ligt voor het begin van de casus "
                                         f"({format_date_nl(earliest)})."))
    elif done_on is not None and status in ACTION_STATUSES:
        problems.append(InvalidParam("done_on", "not_done",
                                     "Een datum 'gedaan op' hoort alleen bij de status gedaan."))
    return {"description": description, "owner_user_id": user_id, "owner_participant_id": participant_id,
            "status": status, "done_on": done_on if status == DONE else None, "due_on": due_on}, problems


def _blank_agreement(agreement: Mapping[str, Any]) -> bool:
    return all(agreement.get(name) in (None, "") for name in AGREEMENT_FIELDS)


def check_meeting(values: Mapping[str, Any], agreements: Sequence[Mapping[str, Any]], *, today: date,
                  earliest: date, users: Collection[int], participants: Collection[int]
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[InvalidParam]]:
    """A meeting's values and its agreements cleaned, and every problem with them. An agreement row left wholly
    empty (a form's spare row) is skipped; the others are checked as new actions, named `agreements.<n>.<attr>`
    after their place in `agreements`. (A closed case takes a meeting, but no agreements: the service says so.)"""
    problems: list[InvalidParam] = []
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        problems.append(InvalidParam("held_on", "required", "Vul de datum van het overleg in."))
    elif held_on > today:
        problems.append(InvalidParam("held_on", "future_date",
                                     f"De datum ({format_date_nl(held_on)}) ligt in de toekomst. Leg een overleg "
                                     f"vast op of na de dag waarop het plaatsvond."))
    elif held_on < earliest:
        problems.append(InvalidParam("held_on", "before_case",
                                     f"De datum ({format_date_nl(held_on)}) ligt voor het begin van de casus "
                                     f"({format_date_nl(earliest)})."))
    kind = values.get("kind")
    if kind not in MEETING_KINDS:
        problems.append(InvalidParam("kind", "unknown_value" if kind else "required",
                                     "Kies de soort overleg uit de lijst."))
    ids = list(dict.fromkeys(values.get("participant_ids") or ()))
    if any(_id(i) is None or i not in participants for i in ids):
        problems.append(InvalidParam("participant_ids", "unknown_participant",
                                     "Kies alleen betrokkenen uit het netwerk van deze casus."))
    elif len(ids) > MAX_PARTICIPANTS_PER_ENTRY:
        problems.append(InvalidParam("participant_ids", "too_many",
                                     f"Kies ten hoogste {MAX_PARTICIPANTS_PER_ENTRY} betrokkenen."))
    summary = _text(values.get("summary"))
    if summary is None:
        problems.append(InvalidParam("summary", "required", "Schrijf op wat er besproken is."))
    elif len(summary) > SUMMARY_MAX:
        problems.append(InvalidParam("summary", "too_long",
                                     f"Gebruik ten hoogste {SUMMARY_MAX} tekens (nu {len(summary)})."))
    cleaned_agreements: list[dict[str, Any]] = []
    given = [(index, a) for index, a in enumerate(agreements) if not _blank_agreement(a)]
    if len(given) > MAX_AGREEMENTS:
        problems.append(InvalidParam("agreements", "too_many", f"Leg ten hoogste {MAX_AGREEMENTS} afspraken vast."))
    else:
        for index, agreement in given:
            cleaned, found = check_action(agreement, today=today, earliest=earliest, users=users,
                                          participants=participants, prefix=f"agreements.{index}.")
            cleaned_agreements.append(cleaned)
            problems += found
    meeting = {"held_on": held_on, "kind": kind, "participant_ids": ids, "summary": summary}
    return meeting, cleaned_agreements, problems
