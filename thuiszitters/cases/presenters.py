"""Plain data for the case pages: the timeline, change lists, step summaries and list rows.

Templates only print what these return; the rules themselves stay in thuiszitters.escalation and facts.py.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.facts import StepFacts
from thuiszitters.cases.labels import (
    BOOKKEEPING_FIELDS,
    CONCEALED_FIELDS,
    FIELD_LABELS,
    MASKED,
    TERM_LABELS,
    action_label,
    display_value,
    field_label,
)
from thuiszitters.cases.models import Case
from thuiszitters.escalation import spec
from thuiszitters.escalation.gate import stage_label
from thuiszitters.escalation.terms import is_overdue
from thuiszitters.extensions import db

# Reads are logged for privacy, but they are not part of the case's story.
HIDDEN_ACTIONS = ("case.read", "document.list")


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str
    masked: bool = False  # personal data or free text: the log says only that it changed


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    description: str
    changes: list[ChangeLine]
    reason: str | None


_FIELD_POSITION = {name: index for index, name in enumerate(FIELD_LABELS)}


def _form_order(name: str) -> tuple[int, str]:
    """Changed fields in the order the forms show them (FIELD_LABELS), unknown ones last."""
    return _FIELD_POSITION.get(name, len(_FIELD_POSITION)), name


def describe_changes(changes: dict[str, Any] | None) -> list[ChangeLine]:
    """The {field: [old, new]} of an audit event as Dutch lines, in form order, without the bookkeeping.

    Personal data and free text are written to the trail as "changed" only; should an old event hold a value
    anyway, it is not shown either.
    """
    lines = []
    for name in sorted(changes or {}, key=_form_order):
        value = (changes or {})[name]
        if name in BOOKKEEPING_FIELDS or not isinstance(value, list) or len(value) != 2:
            continue
        if MASKED in value or name in CONCEALED_FIELDS:
            lines.append(ChangeLine(field_label(name), "", "gewijzigd (inhoud niet getoond)", masked=True))
            continue
        lines.append(ChangeLine(field_label(name), display_value(name, value[0]), display_value(name, value[1])))
    return lines


def change_phrase(line: ChangeLine) -> str:
    """One change as a phrase: "Besluit van de school: Toegelaten", "Status: Open → Gesloten", or only the field."""
    if line.masked:
        return line.label
    if line.old == "—":
        return f"{line.label}: {line.new}"
    return f"{line.label}: {line.old} → {line.new}"


def event_text(action: str, changes: dict[str, Any] | None, reason: str | None) -> str:
    """An audit event as one Dutch paragraph (the PDF's timeline): what happened, what changed, and why."""
    text = action_label(action, changes)
    if action != "case.create":  # a new case "changes" every field; the action says enough
        phrases = [change_phrase(line) for line in describe_changes(changes)]
        if phrases:
            text += " (" + "; ".join(phrases) + ")"
    if reason:
        text += f"\nReden: {reason}"
    return text


def case_timeline(case: Case, limit: int = 200, *, hidden: Collection[str] = HIDDEN_ACTIONS) -> list[TimelineEntry]:
    """The case's audit events, newest first, in one query (the actor's name is joined), without the `hidden`
    actions (reads; another area leaves out the events it tells itself)."""
    events = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .options(joinedload(AuditEvent.note))
        .where(AuditEvent.case_id == case.id, AuditEvent.action.not_in(tuple(hidden)))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        TimelineEntry(
            at=event.occurred_at,
            actor=actor_name or "systeem",
            description=action_label(event.action, event.changes),
            changes=describe_changes(event.changes),
            reason=event.reason_text,
        )
        for event, actor_name in events
    ]


@dataclass(frozen=True)
class StaleChange:
    at: datetime
    actor: str
    description: str
    changes: list[ChangeLine]


def stale_changes(changes: list[dict[str, Any]]) -> list[StaleChange]:
    """StaleVersion.changes (what others saved since the form was opened) for the conflict block."""
    return [
        StaleChange(
            at=item["at"], actor=item["actor"],
            description=action_label(item["action"], item.get("changes")),
            changes=describe_changes(item.get("changes")),
        )
        for item in changes
    ]


def step_summary(facts: StepFacts) -> list[tuple[str, str]]:
    """The recorded fields of a step and its computed terms, as (label, value) pairs for a definition list."""
    step = facts.step
    lines = []
    for name in spec.KIND[step.kind].names:
        value = step_value(step, name)
        if value is not None and value != "":
            lines.append((field_label(name), display_value(name, value)))
    for name, value in facts.terms.items():
        if value is not None:
            lines.append((TERM_LABELS[name], display_value(name, value)))
    if step.out_of_order_reason:
        lines.append((field_label("out_of_order_reason"), step.out_of_order_reason))
    return lines


def case_value(case: Case, name: str) -> Any:
    """The current value of a case form field, for the conflict block."""
    if name in ("first_name", "last_name", "date_of_birth", "bsn"):
        return getattr(case.pupil, name)
    if name == "gemeente_code":
        return f"{case.gemeente.name} ({case.gemeente.code})"
    if name == "swv_code":
        return f"{case.swv.code} {case.swv.name}"
    if name == "school_brin":
        return f"{case.school.name} ({case.school.brin})" if case.school else None
    return getattr(case, name, None)


def step_value(step: Any, name: str) -> Any:
    """The current value of a step field as a reader wants it (a school by name and BRIN)."""
    if name == "school_brin":
        return f"{step.school.name} ({step.school.brin})" if step.school else None
    return getattr(step, name, None)


def current_values(form: Any, getter: Any) -> list[tuple[str, str]]:
    """(label, current value) for each visible field of a form, read with getter(name)."""
    lines = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField", "SubmitField"):
            continue
        lines.append((str(field.label.text), display_value(field.name, getter(field.name))))
    return lines


@dataclass(frozen=True)
class CaseRow:
    case: Case
    overdue: bool
    days_left: int | None  # None for a signal: no return deadline yet
    stage_label: str


def case_rows(cases: list[Case], today: date) -> list[CaseRow]:
    return [
        CaseRow(
            case=case,
            overdue=is_overdue(case.status, case.return_deadline, today),
            days_left=(case.return_deadline - today).days if case.return_deadline is not None else None,
            stage_label=stage_label(case.stage),
        )
        for case in cases
    ]
