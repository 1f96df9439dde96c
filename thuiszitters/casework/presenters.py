"""Plain data for the network's and the journal's pages: participant cards, the one stream of journal entries and
the chain's events, a corrected entry's earlier versions, and the changes shown after a stale edit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case
from thuiszitters.cases.presenters import HIDDEN_ACTIONS, ChangeLine, StaleChange, TimelineEntry, case_timeline
from thuiszitters.casework import plan_presenters, plan_services, rules, services
from thuiszitters.casework.models import JournalEntry, Participant
from thuiszitters.casework.plan_presenters import MeetingView
from thuiszitters.clock import to_local, today
from thuiszitters.extensions import db
from thuiszitters.identifiers import display_phone
from thuiszitters.text import format_date_nl

# The stream's filter value for the chain's events only (beside the journal kinds).
CHAIN_FILTER = "keten"
# The journal kind whose filter also shows the meetings (an MDO is an overleg).
MEETING_FILTER = "overleg"
NETWORK_ACTIONS = {
    "participant.create": "Betrokkene toegevoegd aan het netwerk",
    "participant.update": "Gegevens van een betrokkene gewijzigd",
    "participant.remove": "Betrokkene uit het netwerk verwijderd",
}
JOURNAL_ACTIONS = {
    "journal.create": "Journaalbericht geschreven",
    "journal.correct": "Journaalbericht gecorrigeerd",
}
READ_ACTIONS = ("network.read", "journal.read")
MASKED_TEXT = "gewijzigd (inhoud niet getoond)"


@dataclass(frozen=True)
class ParticipantCard:
    id: int
    role: str
    role_label: str
    name: str
    organisation: str | None
    email: str | None
    phone: str | None
    consent: str
    note: str | None
    version: int


def participant_card(participant: Participant) -> ParticipantCard:
    return ParticipantCard(
        id=participant.id, role=participant.role,
        role_label=rules.PARTICIPANT_ROLE_LABELS.get(participant.role, participant.role), name=participant.name,
        organisation=participant.organisation, email=participant.email,
        phone=display_phone(participant.phone) if participant.phone else None,
        consent=rules.CONSENT_LABELS[participant.consent_to_share], note=participant.note,
        version=participant.version,
    )


def participant_label(participant: Participant) -> str:
    """"Jan de Boer (Ouder of verzorger)"; a participant who left the network says so."""
    label = f"{participant.name} ({rules.PARTICIPANT_ROLE_LABELS.get(participant.role, participant.role)})"
    return label if participant.removed_at is None else f"{label}, niet meer in het netwerk"


@dataclass(frozen=True)
class Revision:
    occurred_on: date
    kind_label: str
    summary: str
    replaced_at: datetime


@dataclass(frozen=True)
class EntryView:
    id: int
    occurred_on: date
    kind: str
    kind_label: str
    participants: list[str]
    summary: str
    author: str
    written_at: datetime
    corrected_at: datetime | None
    history: list[Revision]
    may_correct: bool


@dataclass(frozen=True)
class StreamItem:
    """One line of the case's story: a journal entry, a meeting, or an event of the chain (or of the network or
    the plan)."""

    day: date
    at: datetime
    entry: EntryView | None = None
    event: TimelineEntry | None = None
    meeting: MeetingView | None = None


def revisions(entry: JournalEntry) -> list[Revision]:
    """The entry's earlier versions, newest first."""
    return [Revision(r.occurred_on, rules.JOURNAL_KIND_LABELS.get(r.kind, r.kind), r.summary, r.replaced_at)
            for r in reversed(entry.revisions)]


def entry_view(entry: JournalEntry, reader: User) -> EntryView:
    return EntryView(
        id=entry.id, occurred_on=entry.occurred_on, kind=entry.kind,
        kind_label=rules.JOURNAL_KIND_LABELS.get(entry.kind, entry.kind),
        participants=[participant_label(p) for p in entry.participants], summary=entry.summary,
        author=entry.author.name if entry.author else "onbekend (notitie van voor het journaal)",
        written_at=entry.created_at, corrected_at=entry.updated_at if entry.revisions else None,
        history=revisions(entry), may_correct=services.may_correct(entry, reader),
    )


def _value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value == services.MASKED:
        return MASKED_TEXT
    if name == "role":
        return rules.PARTICIPANT_ROLE_LABELS.get(value, value)
    if name == "kind":
        return rules.JOURNAL_KIND_LABELS.get(value, value)
    if name == "consent_to_share":
        return rules.CONSENT_LABELS.get(value, str(value))
    if name == "occurred_on" and isinstance(value, str):
        try:
            return format_date_nl(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def describe(changes: dict[str, Any] | None) -> list[ChangeLine]:
    """A casework event's {field: [old, new]} as Dutch lines, personal data and free text as "changed" only."""
    lines = []
    order = [*rules.PARTICIPANT_FIELDS, *rules.JOURNAL_FIELDS]
    for name in sorted(changes or {}, key=lambda n: order.index(n) if n in order else len(order)):
        value = (changes or {})[name]
        if name == "version" or not isinstance(value, list) or len(value) != 2:
            continue
        label = rules.FIELD_LABELS.get(name, name)
        if services.MASKED in value:
            lines.append(ChangeLine(label, "", MASKED_TEXT, masked=True))
        else:
            lines.append(ChangeLine(label, _value(name, value[0]), _value(name, value[1])))
    return lines


def stale_changes(changes: list[dict[str, Any]]) -> list[StaleChange]:
    labels = NETWORK_ACTIONS | JOURNAL_ACTIONS
    return [StaleChange(at=item["at"], actor=item["actor"], description=labels.get(item["action"], item["action"]),
                        changes=describe(item.get("changes"))) for item in changes]


def _network_events(case: Case) -> list[TimelineEntry]:
    events = db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == case.id, AuditEvent.action.in_(NETWORK_ACTIONS))
        .order_by(AuditEvent.id.desc()).limit(200)
    ).all()
    return [TimelineEntry(at=event.occurred_at, actor=actor or "systeem", description=NETWORK_ACTIONS[event.action],
                          changes=describe(event.changes), reason=None) for event, actor in events]


def stream(case: Case, kind: str | None, reader: User) -> list[StreamItem]:
    """The case's story, newest first: journal entries on the day of the contact, events on the day they happened.
    `kind` keeps only journal entries of that kind (with the meetings for MEETING_FILTER), or (CHAIN_FILTER) only
    the events."""
    items: list[StreamItem] = []
    if kind != CHAIN_FILTER:
        for entry in services.journal(case, kind):
            items.append(StreamItem(day=entry.occurred_on, at=entry.created_at, entry=entry_view(entry, reader)))
    if kind is None or kind == MEETING_FILTER:
        day = today()
        for meeting in plan_services.meetings(case):
            items.append(StreamItem(day=meeting.held_on, at=meeting.created_at,
                                    meeting=plan_presenters.meeting_view(meeting, day)))
    if kind is None or kind == CHAIN_FILTER:
        hidden = (*HIDDEN_ACTIONS, *READ_ACTIONS, *NETWORK_ACTIONS, *JOURNAL_ACTIONS, *plan_presenters.READ_ACTIONS,
                  *plan_presenters.PLAN_ACTIONS, *plan_presenters.MEETING_ACTIONS)
        for event in [*case_timeline(case, hidden=hidden), *_network_events(case), *plan_presenters.plan_events(case)]:
            items.append(StreamItem(day=to_local(event.at).date(), at=event.at, event=event))
    return sorted(items, key=lambda item: (item.day, item.at), reverse=True)
