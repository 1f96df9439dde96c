"""JSON shapes of the API (camelCase, dates YYYY-MM-DD, timestamps UTC with Z)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.facts import CaseFacts, StepFacts
from thuiszitters.cases.models import Case
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.terms import is_overdue
from thuiszitters.http.problems import camel
from thuiszitters.text import utc_timestamp


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(value: datetime | None) -> str | None:
    return utc_timestamp(value) if value is not None else None


def step_json(facts: StepFacts) -> dict[str, Any]:
    """A step as ``api.steps.step_schema`` describes it: its kind's spec fields and computed terms, camelCase."""
    step = facts.step
    body: dict[str, Any] = {"id": step.id, "kind": step.kind, "done": facts.done}
    for field in spec.step_fields(step.kind):
        value = getattr(step, field.name)
        body[field.api_name] = iso(value) if isinstance(field.type, spec.Date) else value
    for term in spec.KIND[step.kind].terms:
        body[term.api_name] = iso(facts.terms.get(term.name))
    return body


def case_json(case: Case, facts: CaseFacts) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "status": case.status,
        "pupil": {
            "firstName": case.pupil.first_name,
            "lastName": case.pupil.last_name,
            "dateOfBirth": iso(case.pupil.date_of_birth),
            "bsn": case.pupil.bsn,
            "gemeenteCode": case.gemeente.code,
        },
        "swvCode": case.swv.code,
        "gemeenteCode": case.gemeente.code,
        "schoolBrin": case.school.brin if case.school else None,
        "absenceKind": case.absence_kind,
        "outOfSchoolSince": iso(case.out_of_school_since),
        "returnDeadline": iso(facts.return_deadline),
        "daysOutOfSchool": facts.days_out_of_school,
        "overdue": facts.overdue,
        "goalMet": facts.goal_met,
        "stage": facts.stage,
        "steps": [step_json(s) for s in facts.steps],
        "warnings": [{"code": w.code, "message": w.message} for w in facts.warnings],
        "nextAction": facts.next_action,
        "outcome": None if case.outcome is None else {
            "outcome": case.outcome,
            "offerStartedOn": iso(case.offer_started_on),
            "schoolBrin": case.outcome_school.brin if case.outcome_school else None,
            "note": case.outcome_note,
            "closedOn": iso(case.closed_on),
        },
        "version": case.version,
    }


def case_list_item(case: Case, today: date) -> dict[str, Any]:
    """The list shape: the case without steps, so a page needs no step queries."""
    return {
        "id": case.id,
        "reference": case.reference,
        "status": case.status,
        "pupil": {"firstName": case.pupil.first_name, "lastName": case.pupil.last_name,
                  "dateOfBirth": iso(case.pupil.date_of_birth), "gemeenteCode": case.gemeente.code},
        "swvCode": case.swv.code,
        "gemeenteCode": case.gemeente.code,
        "absenceKind": case.absence_kind,
        "outOfSchoolSince": iso(case.out_of_school_since),
        "returnDeadline": iso(case.return_deadline),
        "daysOutOfSchool": lifecycle.case_days_out_of_school(
            status=case.status, out_of_school_since=case.out_of_school_since, today=today, outcome=case.outcome,
            offer_started_on=case.offer_started_on, closed_on=case.closed_on),
        "overdue": is_overdue(case.status, case.return_deadline, today),
        "goalMet": lifecycle.case_goal_met(status=case.status, outcome=case.outcome,
                                           return_deadline=case.return_deadline,
                                           offer_started_on=case.offer_started_on),
        "stage": case.stage,
        "version": case.version,
    }


def event_json(event: AuditEvent, actor_name: str | None) -> dict[str, Any]:
    """An event of the case's trail; `actor_name` None is the system (the trail names its actor by id only)."""
    return {
        "id": event.id,
        "at": timestamp(event.occurred_at),
        "actor": actor_name,
        "action": event.action,
        "processingActivity": event.processing_activity,
        "objectType": event.object_type,
        "objectId": event.object_id,
        # The trail stores attribute names (school_brin); the API's keys are camelCase, these too (schoolBrin).
        "changes": {camel(k): v for k, v in (event.changes or {}).items()},
        "reason": event.reason_text,
    }
