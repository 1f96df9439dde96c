"""Plain data for the case pages: the timeline, change lists, step summaries and list rows.

Templates only print what these return; the rules themselves stay in thuiszitters.escalation and facts.py.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import joinedload

from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.facts import CaseFacts, StepFacts
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
from thuiszitters.escalation import advice, spec
from thuiszitters.escalation.gate import stage_label
from thuiszitters.escalation.terms import DEFAULT_TERMS, Deadline, Terms, is_overdue, next_deadline
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv

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


# The trail names a school, gemeente or swv by its code; a reader wants its name (CodeNames below).
_REFERENCE_FIELDS = {"school": School, "school_brin": School, "gemeente": Gemeente, "gemeente_code": Gemeente,
                     "swv": Swv, "swv_code": Swv}
CodeNames = dict[type, dict[str, str]]


def describe_changes(changes: dict[str, Any] | None, names: CodeNames | None = None, *,
                     masked: bool = True) -> list[ChangeLine]:
    """The {field: [old, new]} of an audit event as Dutch lines, in form order, without the bookkeeping.

    Personal data and free text are written to the trail as "changed" only; should an old event hold a value
    anyway, it is not shown either. ``names`` gives a code's name (``reference_names``); ``masked`` False leaves
    the "changed" lines out (a new case "changes" every field).
    """
    lines = []
    for name in sorted(changes or {}, key=_form_order):
        value = (changes or {})[name]
        if name in BOOKKEEPING_FIELDS or not isinstance(value, list) or len(value) != 2:
            continue
        if MASKED in value or name in CONCEALED_FIELDS:
            if masked:
                lines.append(ChangeLine(field_label(name), "", "gewijzigd (inhoud niet getoond)", masked=True))
            continue
        model = _REFERENCE_FIELDS.get(name)
        by_code = (names or {}).get(model, {}) if model else {}
        old, new = (by_code.get(v, v) if isinstance(v, str) else v for v in value)
        lines.append(ChangeLine(field_label(name), display_value(name, old), display_value(name, new)))
    return lines


def reference_names(changes: list[dict[str, Any] | None]) -> CodeNames:
    """The names of the schools, gemeenten and swv's that these audit changes name by code, in one query."""
    codes: dict[type, set[str]] = {model: set() for model in (School, Gemeente, Swv)}
    for change in changes:
        for name, value in (change or {}).items():
            model = _REFERENCE_FIELDS.get(name)
            if model is not None and isinstance(value, list):
                codes[model].update(v for v in value if isinstance(v, str))
    parts = [select(literal(model.__name__), key, model.name).where(key.in_(sorted(codes[model])))
             for model, key in ((School, School.brin), (Gemeente, Gemeente.code), (Swv, Swv.code))]
    by_name = {model.__name__: model for model in codes}
    names: CodeNames = {model: {} for model in codes}
    for model_name, code, name in db.session.execute(union_all(*parts)).tuples():
        names[by_name[model_name]][code] = name
    return names


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
    names = reference_names([event.changes for event, _ in events])
    return [
        TimelineEntry(
            at=event.occurred_at,
            actor=actor_name or "systeem",
            description=action_label(event.action, event.changes),
            changes=describe_changes(event.changes, names, masked=event.action != "case.create"),
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
    next_deadline: Deadline | None = None


def case_rows(cases: list[Case], today: date, terms: Terms = DEFAULT_TERMS) -> list[CaseRow]:
    """The list's rows; the cases' steps should be loaded with them (queries.list_options)."""
    return [
        CaseRow(
            case=case,
            overdue=is_overdue(case.status, case.return_deadline, today),
            days_left=(case.return_deadline - today).days if case.return_deadline is not None else None,
            stage_label=stage_label(case.stage),
            next_deadline=next_deadline(case.steps, status=case.status, return_deadline=case.return_deadline,
                                        today=today, terms=terms),
        )
        for case in cases
    ]


@dataclass(frozen=True)
class PageAction:
    label: str
    url: str


def case_actions(case: Case, facts: CaseFacts) -> tuple[PageAction | None, list[PageAction]]:
    """The case page's buttons for an editor: the primary one is what the next action asks (record the next
    step, complete the running one, close when the chain is through, reopen a closed case), the others follow."""
    kind = facts.advice.kind if facts.advice else None
    do = facts.advice.do if facts.advice else None
    closing = "Signaal sluiten" if case.status == "signaal" else "Casus sluiten"
    primary: PageAction | None = None
    if do == advice.RECORD_FIRST_DAY:
        primary = PageAction("Eerste dag thuis vastleggen", url_for("cases.edit", case_id=case.id))
    elif do == advice.RECORD_STEP and kind:
        primary = PageAction(f"{spec.STEP_LABELS[kind]} vastleggen",
                             url_for("cases.new_step", case_id=case.id, kind=kind))
    elif do == advice.COMPLETE_STEP and kind:
        of_kind = [s for s in facts.steps if s.step.kind == kind]
        step = next((s for s in of_kind if not s.done), of_kind[-1] if of_kind else None)
        if step is not None:
            primary = PageAction(f"{spec.STEP_LABELS[kind]} bijwerken",
                                 url_for("cases.edit_step", case_id=case.id, step_id=step.step.id))
    elif do == advice.CLOSE:
        primary = PageAction(closing, url_for("cases.close", case_id=case.id))
    elif do == advice.REOPEN:
        primary = PageAction("Casus heropenen", url_for("cases.reopen", case_id=case.id))
    others = []
    if case.status != "closed":
        others = [PageAction("Gegevens bewerken", url_for("cases.edit", case_id=case.id)),
                  PageAction("Overdragen", url_for("cases.transfer", case_id=case.id)),
                  PageAction(closing, url_for("cases.close", case_id=case.id))]
    return primary, [action for action in others if primary is None or action.url != primary.url]
