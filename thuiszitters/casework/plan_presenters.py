"""Plain data for the plan van aanpak and the meetings: action rows (with whether they are overdue), meetings with
their agreements, the plan's events in the case's stream, and the changes shown after a stale edit of an action."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case
from thuiszitters.cases.presenters import ChangeLine, StaleChange, TimelineEntry
from thuiszitters.casework import plan_rules as rules
from thuiszitters.casework.models import Action, Meeting, Participant
from thuiszitters.casework.rules import PARTICIPANT_ROLE_LABELS
from thuiszitters.casework.services import MASKED
from thuiszitters.extensions import db
from thuiszitters.text import format_date_nl

PLAN_ACTIONS = {
    "action.create": "Actie toegevoegd aan het plan van aanpak",
    "action.update": "Actie gewijzigd",
}
MEETING_ACTIONS = {"meeting.create": "Overleg vastgelegd"}
READ_ACTIONS = ("plan.read", "meetings.read")
MASKED_TEXT = "gewijzigd (inhoud niet getoond)"
_DATES = ("due_on", "done_on", "held_on")


def owner_label(action: Action) -> str:
    """"Sanne Jansen" for a user; "Fatima el Amrani (Ouder of verzorger)" for a participant."""
    if action.owner_user is not None:
        return action.owner_user.name
    participant: Participant | None = action.owner_participant
    if participant is None:
        return "onbekend"
    role = PARTICIPANT_ROLE_LABELS.get(participant.role, participant.role)
    label = f"{participant.name} ({role})"
    return label if participant.removed_at is None else f"{label}, niet meer in het netwerk"


@dataclass(frozen=True)
class ActionView:
    id: int
    description: str
    owner: str
    due_on: date
    status: str
    status_label: str
    done_on: date | None
    overdue: bool
    due_today: bool
    meeting_held_on: date | None
    may_update: bool
    version: int


def action_view(action: Action, today: date, may_update: bool) -> ActionView:
    return ActionView(
        id=action.id, description=action.description, owner=owner_label(action), due_on=action.due_on,
        status=action.status, status_label=rules.ACTION_STATUS_LABELS.get(action.status, action.status),
        done_on=action.done_on, overdue=rules.is_overdue(action.status, action.due_on, today),
        due_today=rules.is_due_today(action.status, action.due_on, today),
        meeting_held_on=action.meeting.held_on if action.meeting else None, may_update=may_update,
        version=action.version,
    )


@dataclass(frozen=True)
class MeetingView:
    id: int
    held_on: date
    kind_label: str
    participants: list[str]
    summary: str
    author: str
    agreements: list[ActionView]
    written_at: datetime


def meeting_view(meeting: Meeting, today: date) -> MeetingView:
    present = [f"{p.name} ({PARTICIPANT_ROLE_LABELS.get(p.role, p.role)})" for p in meeting.participants]
    return MeetingView(
        id=meeting.id, held_on=meeting.held_on, kind_label=rules.MEETING_KIND_LABELS.get(meeting.kind, meeting.kind),
        participants=present, summary=meeting.summary, author=meeting.author.name if meeting.author else "onbekend",
        agreements=[action_view(a, today, False) for a in meeting.actions], written_at=meeting.created_at,
    )


def _value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value == MASKED:
        return MASKED_TEXT
    if name == "status":
        return rules.ACTION_STATUS_LABELS.get(value, value)
    if name == "kind":
        return rules.MEETING_KIND_LABELS.get(value, value)
    if name in _DATES and isinstance(value, str):
        try:
            return format_date_nl(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe(changes: dict[str, Any] | None) -> list[ChangeLine]:
    """An action's or meeting's {field: [old, new]} as Dutch lines (free text as "changed" only; owners and
    participants by id are left out: the action's row names them)."""
    lines = []
    for name in (*rules.ACTION_UPDATE_FIELDS, "description", "held_on", "kind", "summary"):
        value = (changes or {}).get(name)
        if not isinstance(value, list) or len(value) != 2:
            continue
        label = rules.FIELD_LABELS.get(name, name)
        if MASKED in value:
            lines.append(ChangeLine(label, "", MASKED_TEXT, masked=True))
        else:
            lines.append(ChangeLine(label, _value(name, value[0]), _value(name, value[1])))
    return lines


def stale_changes(changes: list[dict[str, Any]]) -> list[StaleChange]:
    return [StaleChange(at=item["at"], actor=item["actor"], description=PLAN_ACTIONS.get(item["action"],
                                                                                         item["action"]),
                        changes=describe(item.get("changes"))) for item in changes]


def plan_events(case: Case) -> list[TimelineEntry]:
    """The plan's changes for the case's stream (a meeting is in the stream itself, with its agreements)."""
    events = db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == case.id, AuditEvent.action.in_(PLAN_ACTIONS))
        .order_by(AuditEvent.id.desc()).limit(200)
    ).all()
    return [TimelineEntry(at=event.occurred_at, actor=actor or "systeem", description=PLAN_ACTIONS[event.action],
                          changes=describe(event.changes), reason=None) for event, actor in events]
