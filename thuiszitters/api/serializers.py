"""JSON shapes of the API (camelCase, dates YYYY-MM-DD, timestamps UTC with Z)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.facts import CaseFacts, StepFacts
from thuiszitters.cases.models import Case


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def step_json(facts: StepFacts) -> dict[str, Any]:
    step = facts.step
    body: dict[str, Any] = {"id": step.id, "kind": step.kind, "done": facts.done,
                            "outOfOrderReason": step.out_of_order_reason}
    if step.kind == "aanmelding":
        body |= {"schoolBrin": step.school_brin, "receivedOn": iso(step.received_on),
                 "extendedOn": iso(step.extended_on), "extensionWeeks": step.extension_weeks,
                 "decision": step.decision, "decidedOn": iso(step.decided_on),
                 "decisionDueOn": iso(facts.decision_due_on),
                 "temporaryEnrolmentFrom": iso(facts.temporary_enrolment_from)}
    elif step.kind == "swv_inzet":
        body |= {"startedOn": iso(step.started_on), "action": step.action, "description": step.description,
                 "endedOn": iso(step.ended_on)}
    elif step.kind == "consulent":
        body |= {"consulentType": step.consulent_type, "parentalConsent": step.parental_consent,
                 "requestedOn": iso(step.requested_on), "adviceOn": iso(step.advice_on),
                 "closedOn": iso(step.closed_on)}
    elif step.kind == "geschillencommissie":
        body |= {"subject": step.subject, "schoolDecisionOn": iso(step.school_decision_on),
                 "filedOn": iso(step.filed_on), "lateFilingReason": step.late_filing_reason,
                 "verdict": step.verdict, "verdictOn": iso(step.verdict_on), "followUp": step.follow_up,
                 "followUpOn": iso(step.follow_up_on), "filingDueOn": iso(facts.filing_due_on),
                 "verdictDueOn": iso(facts.verdict_due_on), "followUpDueOn": iso(facts.follow_up_due_on)}
    elif step.kind == "interventieteam":
        body |= {"reportedOn": iso(step.reported_on), "outcome": step.outcome, "closedOn": iso(step.closed_on)}
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
        "note": case.note,
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
    from thuiszitters.cases import rules

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
        "daysOutOfSchool": rules.days_out_of_school(
            case.out_of_school_since, today, case.offer_started_on if case.status == "closed" else None),
        "overdue": rules.is_overdue(case.status, case.return_deadline, today),
        "goalMet": rules.goal_met(case.return_deadline, case.offer_started_on) if case.status == "closed" else None,
        "stage": case.stage,
        "version": case.version,
    }


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": timestamp(event.occurred_at),
        "actor": event.actor.name if event.actor else None,
        "action": event.action,
        "processingActivity": event.processing_activity,
        "objectType": event.object_type,
        "objectId": event.object_id,
        "changes": {k: v for k, v in (event.changes or {}).items()},
        "reason": event.reason_text,
    }
