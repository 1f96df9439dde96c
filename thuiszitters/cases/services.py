"""Case operations: register, edit, walk the chain, close, reopen, transfer.

Each operation checks the rules, changes the objects, writes its audit event in the same transaction and
flushes. The caller (view, API, CLI) commits once. Stale versions are refused before anything changes.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from thuiszitters import versioning
from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, diff, record
from thuiszitters.cases import events
from thuiszitters.cases.checks import (
    CaseInput,
    Problems,
    checked_case_update,
    checked_new_case,
    gemeente_named,
    report,
    school_named,
    swv_named,
    terms,
)
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.clock import now_utc
from thuiszitters.errors import CaseClosed, CaseNotClosed, GateRefused, InvalidParam, NotFound, ValidationFailed
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.gate import interventieteam_missing_steps, missing_predecessors, stage
from thuiszitters.escalation.terms import return_deadline
from thuiszitters.escalation.validation import validate_step
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.reference.models import Gemeente, School, Swv


def _require_editor(actor: User) -> None:
    require(actor, Capability.EDIT_CASES, "Alleen een coördinator van het samenwerkingsverband kan casussen wijzigen.")


def _check_version(case: Case, expected_version: int | None) -> None:
    versioning.check_version(case, expected_version)


def _case_history(session: Session, identity: tuple[Any, ...], version: int) -> list[dict[str, Any]]:
    """What others changed in a case after `version`, oldest first, for the stale-edit message."""
    events = session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == identity[0]).order_by(AuditEvent.id.desc()).limit(50)
    ).all()
    result = []
    for event, actor_name in reversed(events):
        versions = (event.changes or {}).get("version")
        if versions and isinstance(versions, list) and versions[1] is not None and versions[1] > version:
            result.append({
                "action": event.action,
                "actor": actor_name or "systeem",
                "at": event.occurred_at,
                "changes": {k: v for k, v in (event.changes or {}).items() if k != "version"},
            })
    return result


versioning.explain_changes_with(Case, _case_history)


def _new_reference(year: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: references are read aloud on the phone
    while True:
        reference = f"TZ-{year}-" + "".join(secrets.choice(alphabet) for _ in range(5))
        if db.session.scalar(select(Case.id).where(Case.reference == reference)) is None:
            return reference


def _touch(case: Case, today: date) -> None:
    case.updated_at = now_utc()
    case.last_activity_on = today
    case.stage = stage(case.steps)


def _snapshot(case: Case) -> dict[str, Any]:
    return {
        "status": case.status, "swv": case.swv.code if case.swv else None,
        "gemeente": case.gemeente.code if case.gemeente else None,
        "school": case.school.brin if case.school else None, "absence_kind": case.absence_kind,
        "out_of_school_since": case.out_of_school_since, "note": case.note, "outcome": case.outcome,
        "offer_started_on": case.offer_started_on, "first_name": case.pupil.first_name,
        "last_name": case.pupil.last_name, "date_of_birth": case.pupil.date_of_birth, "bsn": case.pupil.bsn,
    }


def _audit(case: Case, action: str, actor: User | None, before: dict[str, Any] | None, old_version: int | None,
           *, reason: str | None = None, object_type: str = "case", object_id: int | None = None,
           extra: dict[str, Any] | None = None) -> None:
    db.session.flush()  # the version is bumped by the flush
    changes = diff(before or {}, _snapshot(case)) if before is not None else {}
    # Personal data is logged as "changed", never its values.
    for sensitive in ("first_name", "last_name", "date_of_birth", "bsn", "note"):
        if sensitive in changes:
            changes[sensitive] = ["…", "…"]
    changes.update(extra or {})
    changes["version"] = [old_version, case.version]
    record(action, actor_id=actor.id if actor else None, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id,
           object_type=object_type, object_id=object_id if object_id is not None else case.id,
           changes=changes, reason=reason)


# --- cases ---------------------------------------------------------------------------------------------


def check_new_case(data: CaseInput, *, actor: User, today: date) -> None:
    """Refuse (ValidationFailed, every problem at once) what `create_case` would refuse; changes nothing.

    A form whose own checks failed calls this with what it could read, so its user sees the service's problems in
    the same round (a field the form could not read arrives as None and is reported by the form itself).
    """
    _require_editor(actor)
    checked_new_case(data, actor, today).problems.raise_if_any()


def create_case(data: CaseInput, *, actor: User, today: date) -> Case:
    _require_editor(actor)
    checked = checked_new_case(data, actor, today)
    checked.problems.raise_if_any()
    swv, gemeente, school, bsn = checked.swv, checked.gemeente, checked.school, checked.bsn
    first_name, last_name = checked.values["first_name"], checked.values["last_name"]
    assert swv is not None and gemeente is not None
    now = now_utc()
    since = data.out_of_school_since
    case = Case(
        reference=_new_reference(today.year),
        status=lifecycle.status_for(since),
        pupil=Pupil(first_name=first_name, last_name=last_name,
                    date_of_birth=data.date_of_birth, bsn=bsn),
        swv=swv,
        gemeente=gemeente,
        school=school,
        coordinator=actor,
        absence_kind=data.absence_kind,
        out_of_school_since=since,
        return_deadline=return_deadline(since) if since is not None else None,
        last_activity_on=today,
        created_at=now,
        updated_at=now,
    )
    db.session.add(case)
    _audit(case, "case.create", actor, {}, None)
    _note_for_the_journal(case, data.note, actor, today)
    return case


def _note_for_the_journal(case: Case, note: str | None, actor: User, today: date) -> None:
    """A note sent with the case becomes a journal entry (cases/events.py); an empty one is nothing."""
    text = (note or "").strip()
    if text:
        db.session.flush()  # the entry needs the case's id
        events.note_written.send(case, text=text, actor=actor, today=today)


def check_case_update(case: Case, values: dict[str, Any], *, actor: User, today: date) -> None:
    """Refuse (ValidationFailed, every problem at once) what `update_case` would refuse of these values; changes
    nothing (see `check_new_case`)."""
    _require_editor(actor)
    checked_case_update(case, values, today).problems.raise_if_any()


def update_case(case: Case, values: dict[str, Any], *, expected_version: int | None, actor: User,
                today: date) -> Case:
    """Change the case's own fields (pupil data, school, absence kind, dates); a note goes to the journal.

    Recording the first day out of school of a signal makes it an open case; an open case keeps one.
    """
    _require_editor(actor)
    _check_version(case, expected_version)
    if case.status == "closed":
        raise CaseClosed()
    checked = checked_case_update(case, values, today)
    checked.problems.raise_if_any()
    merged, gemeente, school, bsn = checked.values, checked.gemeente, checked.school, checked.bsn
    before, old_version = _snapshot(case), case.version
    case.pupil.first_name = merged["first_name"]
    case.pupil.last_name = merged["last_name"]
    case.pupil.date_of_birth = merged["date_of_birth"]
    case.pupil.bsn = bsn
    case.absence_kind = merged["absence_kind"]
    since = merged["out_of_school_since"]
    case.out_of_school_since = since
    case.return_deadline = return_deadline(since) if since is not None else None
    case.status = lifecycle.status_for(since)
    case.gemeente = gemeente
    case.school = school
    _touch(case, today)
    _audit(case, "case.update", actor, before, old_version)
    _note_for_the_journal(case, values.get("note"), actor, today)
    return case


def close_case(case: Case, *, outcome: str, offer_started_on: date | None, school_brin: str | None,
               note: str | None, expected_version: int | None, actor: User, today: date,
               closed_on: date | None = None) -> Case:
    """Close a case (or a signal) with an outcome (DOMAIN.md, "Case outcomes"); ``closed_on`` defaults to today.

    Offer outcomes record when the passend aanbod started; the others only the closing date.
    """
    _require_editor(actor)
    _check_version(case, expected_version)
    if case.status == lifecycle.CLOSED:
        raise CaseClosed()
    problems, school, closed_on = _close_checks(case, outcome=outcome, offer_started_on=offer_started_on,
                                                school_brin=school_brin, note=note, closed_on=closed_on, today=today)
    problems.raise_if_any()
    before, old_version = _snapshot(case), case.version
    case.status = lifecycle.CLOSED
    case.outcome = outcome
    case.offer_started_on = offer_started_on
    case.outcome_school = school
    case.outcome_note = (note or "").strip() or None
    case.closed_on = closed_on
    _touch(case, today)
    # The closing date is in the trail too: the export rebuilds a month as it stood, also after a reopen.
    _audit(case, "case.close", actor, before, old_version, extra={"closed_on": [None, closed_on.isoformat()]})
    return case


def _close_checks(case: Case, *, outcome: str, offer_started_on: date | None, school_brin: str | None,
                  note: str | None, closed_on: date | None, today: date) -> tuple[Problems, School | None, date]:
    problems = Problems()
    closed_on = closed_on or today
    school = school_named(school_brin, problems)
    report(problems, lifecycle.validate_close(
        status=case.status, outcome=outcome, offer_started_on=offer_started_on, closed_on=closed_on,
        out_of_school_since=case.out_of_school_since, today=today, school_given=bool(school_brin), note=note,
    ))
    return problems, school, closed_on


def check_close(case: Case, *, outcome: str, offer_started_on: date | None, school_brin: str | None,
                note: str | None, closed_on: date | None, actor: User, today: date) -> None:
    """Refuse (ValidationFailed, every problem at once) what `close_case` would refuse of these values; changes
    nothing. The close form runs it beside its own checks, so every wrong field is named in one round."""
    _require_editor(actor)
    _close_checks(case, outcome=outcome, offer_started_on=offer_started_on, school_brin=school_brin, note=note,
                  closed_on=closed_on, today=today)[0].raise_if_any()


def reopen_case(case: Case, *, reason: str, expected_version: int | None, actor: User, today: date) -> Case:
    _require_editor(actor)
    _check_version(case, expected_version)
    if case.status != lifecycle.CLOSED:
        raise CaseNotClosed()
    if not (reason or "").strip():
        raise ValidationFailed([InvalidParam("reason", "required", "Vul de reden voor heropenen in.")])
    before, old_version = _snapshot(case), case.version
    case.status = lifecycle.reopened_status(case.out_of_school_since)
    case.outcome = None
    case.offer_started_on = None
    case.outcome_school = None
    case.outcome_note = None
    case.closed_on = None
    _touch(case, today)
    _audit(case, "case.reopen", actor, before, old_version, reason=reason.strip()[:500])
    return case


def transfer_case(case: Case, *, swv_code: str, gemeente_code: str | None, reason: str,
                  expected_version: int | None, actor: User, today: date) -> Case:
    """Hand the case to another swv when the pupil moves; the history goes along."""
    _require_editor(actor)
    _check_version(case, expected_version)
    if case.status == "closed":
        raise CaseClosed()
    problems, swv, gemeente = _transfer_checks(case, swv_code=swv_code, gemeente_code=gemeente_code, reason=reason)
    problems.raise_if_any()
    before, old_version = _snapshot(case), case.version
    case.swv = swv
    case.gemeente = gemeente
    case.coordinator = None
    _touch(case, today)
    _audit(case, "case.transfer", actor, before, old_version, reason=reason.strip()[:500])
    return case


def _transfer_checks(case: Case, *, swv_code: str, gemeente_code: str | None, reason: str
                     ) -> tuple[Problems, Swv | None, Gemeente | None]:
    problems = Problems()
    swv = swv_named(swv_code, problems)
    gemeente = gemeente_named(gemeente_code, problems) if gemeente_code else case.gemeente
    if swv is not None and swv.id == case.swv_id:
        problems.add("swv_code", "same_swv", "De casus hoort al bij dit samenwerkingsverband.")
    if not (reason or "").strip():
        problems.add("reason", "required", "Vul de reden van de overdracht in.")
    return problems, swv, gemeente


def check_transfer(case: Case, *, swv_code: str, gemeente_code: str | None, reason: str, actor: User) -> None:
    """Refuse what `transfer_case` would refuse of these values, every problem at once; changes nothing."""
    _require_editor(actor)
    _transfer_checks(case, swv_code=swv_code, gemeente_code=gemeente_code, reason=reason)[0].raise_if_any()


# --- steps ---------------------------------------------------------------------------------------------


def _step_values(kind: str, values: dict[str, Any], problems: Problems) -> dict[str, Any]:
    allowed = {f.name for f in spec.step_fields(kind)}
    for name in sorted(set(values) - allowed):
        problems.add(name, "unknown_field", f"Het veld {name} hoort niet bij deze stap.")
    return {k: v for k, v in values.items() if k in allowed}


def _apply_step(step: Step, values: dict[str, Any], school: School | None) -> None:
    """Set the step's values; ``school`` is the one ``school_brin`` names, looked up before validation."""
    for name, value in values.items():
        if name == "school_brin":
            step.school = school
            step.school_id = school.id if school else None
        else:
            if isinstance(value, str):
                value = value.strip() or None
            setattr(step, name, value)


def _school_types(case: Case, step_school: School | None) -> dict[str, str | None]:
    """The school types the chain's rules ask about: the step's own school and the pupil's (mbo is outside)."""
    return {"step_school_type": step_school.school_type if step_school else None,
            "case_school_type": case.school.school_type if case.school else None}


@dataclass
class _StepFacts:
    """A detached copy of a step for validation before anything touches the session."""

    kind: str
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return self.values.get(name)


def _facts(step: Step | None, kind: str, values: dict[str, Any]) -> _StepFacts:
    base = {}
    if step is not None:
        for f in spec.step_fields(kind):
            if not isinstance(f.type, spec.SchoolRef):
                base[f.name] = getattr(step, f.name)
    merged = {**base, **{k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}}
    return _StepFacts(kind=kind, values=merged)


def _checked_new_step(case: Case, kind: str, values: dict[str, Any],
                      today: date) -> tuple[Problems, dict[str, Any], School | None]:
    problems = Problems()
    values = _step_values(kind, values, problems)
    facts = _facts(None, kind, values)
    school = school_named(values["school_brin"], problems) if values.get("school_brin") else None
    report(problems, validate_step(facts, today=today, out_of_school_since=case.out_of_school_since,
                                    terms=terms(), **_school_types(case, school)))
    missing_before = missing_predecessors(kind, case.steps)
    if missing_before and not facts.out_of_order_reason:
        labels = ", ".join(spec.STEP_LABELS[m] for m in missing_before)
        problems.add("out_of_order_reason", "reason_required",
                     f"Deze stap komt eerder dan verwacht (nog geen {labels}). Vul een reden in.")
    return problems, values, school


def check_new_step(case: Case, kind: str, values: dict[str, Any], *, actor: User, today: date) -> None:
    """Refuse (ValidationFailed, every problem at once) the values `add_step` would refuse; changes nothing. The
    interventieteam's gate is `add_step`'s alone (its page lists the missing steps already)."""
    _require_editor(actor)
    if kind in spec.STEP_KINDS:
        _checked_new_step(case, kind, values, today)[0].raise_if_any()


def add_step(case: Case, kind: str, values: dict[str, Any], *, expected_version: int | None, actor: User,
             today: date) -> Step:
    _require_editor(actor)
    _check_version(case, expected_version)
    if case.status == "closed":
        raise CaseClosed()
    if kind not in spec.STEP_KINDS:
        raise ValidationFailed([InvalidParam("kind", "unknown_value", "Onbekende soort stap.")])
    if kind == "interventieteam":
        missing = interventieteam_missing_steps(case.steps, today, terms())
        if missing:
            labels = ", ".join(spec.STEP_LABELS[m] for m in missing)
            raise GateRefused(
                missing,
                f"Het interventieteam kan pas worden ingeschakeld als alle eerdere stappen zijn doorlopen. "
                f"Nog niet afgerond: {labels}.",
            )
    problems, values, school = _checked_new_step(case, kind, values, today)
    problems.raise_if_any()
    step = Step(kind=kind, created_at=now_utc())
    _apply_step(step, values, school)
    old_version = case.version
    case.steps.append(step)
    _touch(case, today)
    db.session.flush()
    _audit(case, "step.create", actor, None, old_version, object_type="step", object_id=step.id,
           extra={"kind": kind, **diff({}, {k: v for k, v in values.items() if k not in _FREE_TEXT})})
    return step


# Free text is logged as "changed", never its content (it may describe the child).
_FREE_TEXT = frozenset(spec.FREE_TEXT_FIELDS)


def _checked_step_update(case: Case, step: Step, values: dict[str, Any],
                         today: date) -> tuple[Problems, dict[str, Any], School | None, _StepFacts]:
    problems = Problems()
    values = _step_values(step.kind, values, problems)
    facts = _facts(step, step.kind, values)
    previous = _facts(step, step.kind, {})
    school = (school_named(values["school_brin"], problems) if values.get("school_brin") else None) \
        if "school_brin" in values else step.school
    report(problems, validate_step(facts, today=today, previous=previous,
                                    out_of_school_since=case.out_of_school_since, terms=terms(),
                                    **_school_types(case, school)))
    return problems, values, school, previous


def check_step_update(case: Case, step: Step, values: dict[str, Any], *, actor: User, today: date) -> None:
    """Refuse (ValidationFailed, every problem at once) the values `update_step` would refuse; changes nothing."""
    _require_editor(actor)
    _checked_step_update(case, step, values, today)[0].raise_if_any()


def update_step(case: Case, step_id: int, values: dict[str, Any], *, expected_version: int | None,
                actor: User, today: date) -> Step:
    _require_editor(actor)
    step = next((s for s in case.steps if s.id == step_id), None)
    if step is None:
        raise NotFound()
    _check_version(case, expected_version)
    if case.status == "closed":
        raise CaseClosed()
    problems, values, school, previous = _checked_step_update(case, step, values, today)
    problems.raise_if_any()
    before = {k: getattr(previous, k) for k in values if k != "school_brin"}
    if "school_brin" in values:
        before["school_brin"] = step.school_brin
    _apply_step(step, values, school)
    old_version = case.version
    _touch(case, today)
    changes = diff(before, {k: v for k, v in values.items()})
    for name in _FREE_TEXT & set(changes):
        changes[name] = ["…", "…"]
    _audit(case, "step.update", actor, None, old_version, object_type="step", object_id=step.id,
           extra={"kind": step.kind, **changes})
    return step
