"""From a case in the database to the plain `CaseSummary` the PDF builder renders, and the download service.

`summary_for_case` reads everything the summary shows in a fixed number of queries (the case with its steps
and schools, the timeline with its actors, the parties, the open alerts), however long the case's history is.
`case_summary_pdf` is the service every edge (page, API, command line) calls: it builds the PDF and writes
the "case.pdf" audit event in the caller's transaction. `case_summary_document` gives the same summary, as the
sections both renderers draw, to the HTML print view and writes "case.summary.read".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from thuiszitters.accounts.models import User, user_gemeente, user_swv
from thuiszitters.alerts.kinds import ALERT_KIND_LABELS
from thuiszitters.alerts.models import Alert
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
from thuiszitters.cases.facts import StepFacts, case_facts
from thuiszitters.cases.models import Case, Step
from thuiszitters.cases.presenters import event_text
from thuiszitters.cases.services import terms
from thuiszitters.casework import plan_presenters, plan_services
from thuiszitters.casework import presenters as casework_presenters
from thuiszitters.casework import rules as casework_rules
from thuiszitters.casework import services as casework
from thuiszitters.casework.models import Action, JournalEntry, Meeting, Participant
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require, roles_with
from thuiszitters.reference.models import School
from thuiszitters.reports.document import SummaryDocument, summary_document
from thuiszitters.reports.model import (
    CaseSummary,
    SummaryAction,
    SummaryAlert,
    SummaryEvent,
    SummaryJournalEntry,
    SummaryMeeting,
    SummaryParticipant,
    SummaryParty,
    SummaryPupil,
    SummaryStep,
)
from thuiszitters.reports.pdf import build_case_summary
from thuiszitters.text import format_date_nl

SYSTEM_ACTOR = "Systeem"

# The HTML print view of the summary: a read of the case, like every "*.read".
SUMMARY_VIEW_ACTION = "case.summary.read"

# Reads of the case (and any other "*.read") are logged but are no part of its history. The network's and the
# journal's own events neither: the summary shows the network and (when asked) the journal in their own sections.
READ_ACTIONS = frozenset({"case.read", "case.pdf", *casework_presenters.NETWORK_ACTIONS,
                          *casework_presenters.JOURNAL_ACTIONS, *plan_presenters.PLAN_ACTIONS,
                          *plan_presenters.MEETING_ACTIONS, *plan_presenters.READ_ACTIONS})

ALERT_STATUS_LABELS = {"open": "Open", "acknowledged": "Afgehandeld"}


# --- Loading: a fixed number of queries per summary ---


def _load_case(case: Case) -> Case:
    """The case with its steps (and their schools), school, outcome school and coordinator in two queries."""
    statement = (
        select(Case)
        .where(Case.id == case.id)
        .options(
            selectinload(Case.steps).joinedload(Step.school),
            joinedload(Case.school),
            joinedload(Case.outcome_school),
            joinedload(Case.coordinator),
        )
    )
    return db.session.scalars(statement).unique().one()


def _timeline_events(case: Case) -> list[tuple[AuditEvent, str | None]]:
    """The case's history, oldest first, each event with its actor's name (None: the system)."""
    statement = (
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .options(joinedload(AuditEvent.note))
        .where(AuditEvent.case_id == case.id, AuditEvent.action.not_in(READ_ACTIONS),
               AuditEvent.action.not_like("%.read"))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return [(event, actor) for event, actor in db.session.execute(statement)]


def _coordinators_of_swv(case: Case) -> list[User]:
    statement = (
        select(User)
        .join(user_swv, user_swv.c.user_id == User.id)
        .where(user_swv.c.swv_id == case.swv_id, User.role.in_(sorted(roles_with(Capability.EDIT_CASES))),
               User.active.is_(True))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(statement))


def _leerplicht_users(case: Case) -> list[User]:
    statement = (
        select(User)
        .join(user_gemeente, user_gemeente.c.user_id == User.id)
        .where(user_gemeente.c.gemeente_id == case.gemeente_id,
               User.role.in_(sorted(roles_with(Capability.REVIEW_ALERTS))), User.active.is_(True))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(statement))


def _open_alerts(case: Case) -> list[Alert]:
    statement = select(Alert).where(Alert.case_id == case.id, Alert.status == "open").order_by(Alert.due_on)
    return list(db.session.scalars(statement))


# --- Mapping (pure once loaded) ---


def _d(value: date | None) -> str:
    return format_date_nl(value) if value is not None else "—"


def _dated(pairs: list[tuple[str, date | None]]) -> list[tuple[str, str]]:
    return [(label, _d(value)) for label, value in pairs if value is not None]


def _school_text(school: School | None) -> str | None:
    return f"{school.name} ({school.brin})" if school is not None else None


def _summary_value(step: Step, field: spec.Field) -> str | None:
    """A recorded value as the chain table prints it; None when there is nothing to print."""
    if isinstance(field.type, spec.SchoolRef):
        return _school_text(step.school)
    found = getattr(step, field.name)
    if found is None or found == "":
        return None
    if isinstance(field.type, spec.Flag):
        return "ja" if found else "nee"
    if isinstance(field.type, spec.Choice):
        return field.type.labels.get(found, found)
    return str(found)


def _step(facts: StepFacts) -> SummaryStep:
    """A step as the PDF's chain table shows it, from the spec: its dates, its terms, and in the outcome column its
    other values (codes first, free text after them), each after its short label where it has one."""
    step = facts.step
    kind = spec.KIND[step.kind]
    shown = [f for f in kind.fields if f.in_summary]
    dates = _dated([(f.short_label or f.label, getattr(step, f.name)) for f in shown if isinstance(f.type, spec.Date)])
    terms_ = _dated([(term.short_label, facts.terms.get(term.name)) for term in kind.terms])
    others = [f for f in shown if not isinstance(f.type, spec.Date)]
    outcome = [
        f"{f.short_label}: {text}" if f.short_label else text
        for f in (*[f for f in others if not f.free_text], *[f for f in others if f.free_text])
        if (text := _summary_value(step, f)) is not None
    ]
    if step.out_of_order_reason:
        outcome.append(f"Eerder dan verwacht vastgelegd: {step.out_of_order_reason}")
    return SummaryStep(kind_label=facts.label, dates=dates, terms=terms_, outcome="\n".join(outcome),
                       done=facts.done)


def event_description(event: AuditEvent) -> str:
    """One Dutch paragraph for a timeline entry, worded as on the case page (cases/presenters.py)."""
    return event_text(event.action, event.changes, event.reason_text)


def _event(event: AuditEvent, actor: str | None) -> SummaryEvent:
    return SummaryEvent(at=event.occurred_at, actor=actor or SYSTEM_ACTOR, description=event_description(event))


def _user_party(role: str, user: User, detail: str) -> SummaryParty:
    return SummaryParty(role=role, name=user.name, detail=" · ".join(part for part in (detail, user.email) if part))


def _parties(case: Case) -> list[SummaryParty]:
    swv_text = f"{case.swv.name} ({case.swv.code})"
    coordinators = [case.coordinator] if case.coordinator is not None else _coordinators_of_swv(case)
    parties = [_user_party("Coördinator", user, swv_text) for user in coordinators]
    if not coordinators:
        parties.append(SummaryParty("Coördinator", "Niet toegewezen", swv_text))
    gemeente_text = f"Gemeente {case.gemeente.name} ({case.gemeente.code})"
    leerplicht = _leerplicht_users(case)
    parties += [_user_party("Leerplicht", user, gemeente_text) for user in leerplicht]
    if not leerplicht:
        parties.append(SummaryParty("Leerplicht", "Geen leerplichtambtenaar bekend", gemeente_text))
    if case.school is not None:
        parties.append(SummaryParty("School", case.school.name, case.school.brin))
    else:
        parties.append(SummaryParty("School", "Niet vastgelegd", ""))
    parties.append(SummaryParty("Samenwerkingsverband", case.swv.name,
                                " · ".join(part for part in (case.swv.code, case.swv.email) if part)))
    return parties


def _alert(alert: Alert) -> SummaryAlert:
    label = ALERT_KIND_LABELS.get(alert.kind, alert.kind.replace("_", " ").capitalize())
    return SummaryAlert(kind_label=label, due_on=alert.due_on,
                        status_label=ALERT_STATUS_LABELS.get(alert.status, alert.status))


def _outcome_label(case: Case) -> str | None:
    if case.outcome is None:
        return None
    parts = [spec.OUTCOME_LABELS.get(case.outcome, case.outcome)]
    if case.outcome_school is not None:
        parts.append(f"School: {_school_text(case.outcome_school)}")
    if case.outcome_note:
        parts.append(f"Toelichting: {case.outcome_note}")
    return "\n".join(parts)


def _goal_met_text(case: Case) -> str | None:
    """Why the goal has no yes/no: a signal, or an outcome without a passend aanbod (shown beside the rate)."""
    if case.status == "signaal":
        return "Niet van toepassing: signaal, nog geen eerste dag thuis"
    if case.status == "closed" and case.outcome not in spec.OFFER_OUTCOMES:
        return "Niet van toepassing: geen passend aanbod"
    return None


def _participant(participant: Participant, with_contact_details: bool) -> SummaryParticipant:
    card = casework_presenters.participant_card(participant)
    contact = " · ".join(part for part in (card.email, card.phone) if part) if with_contact_details else None
    return SummaryParticipant(role_label=card.role_label, name=card.name, organisation=card.organisation,
                              consent_label=card.consent, contact=contact)


def _journal_entry(entry: JournalEntry) -> SummaryJournalEntry:
    return SummaryJournalEntry(
        occurred_on=entry.occurred_on, kind_label=casework_rules.JOURNAL_KIND_LABELS.get(entry.kind, entry.kind),
        author=entry.author.name if entry.author else "onbekend",
        participants=", ".join(casework_presenters.participant_label(p) for p in entry.participants),
        text=entry.summary, corrected=bool(entry.revisions))


def _action(action: Action, today: date) -> SummaryAction:
    view = plan_presenters.action_view(action, today, False)
    return SummaryAction(description=view.description, owner=view.owner, due_on=view.due_on,
                         status_label=view.status_label, done_on=view.done_on, overdue=view.overdue)


def _meeting(meeting: Meeting, today: date, with_text: bool) -> SummaryMeeting:
    view = plan_presenters.meeting_view(meeting, today)
    return SummaryMeeting(held_on=view.held_on, kind_label=view.kind_label, participants=", ".join(view.participants),
                          agreements=[f"{a.description} ({a.owner}, uiterlijk {format_date_nl(a.due_on)}; "
                                      f"{a.status_label.lower()})" for a in view.agreements],
                          text=view.summary if with_text else None)


@dataclass(frozen=True)
class SummaryOptions:
    """What the user may add to the summary: the network's contact details, the journal."""

    contact_details: bool = False
    journal: bool = False

    def logged(self) -> dict[str, bool]:
        return {name: True for name, asked in (("contact_details", self.contact_details),
                                                ("journal", self.journal)) if asked}


def summary_for_case(case: Case, *, generated_by: User | None, today: date, now: datetime,
                     options: SummaryOptions = SummaryOptions()) -> CaseSummary:
    """Everything the PDF shows about a case, as plain data. `generated_by` None is the system (command line)."""
    case = _load_case(case)
    facts = case_facts(case, today, terms())
    pupil = case.pupil
    return CaseSummary(
        reference=case.reference,
        status_label=spec.STATUS_LABELS.get(case.status, case.status),
        absence_kind_label=spec.ABSENCE_LABELS.get(case.absence_kind, case.absence_kind),
        out_of_school_since=case.out_of_school_since,
        return_deadline=facts.return_deadline,
        days_out_of_school=facts.days_out_of_school,
        overdue=facts.overdue,
        goal_met=facts.goal_met,
        goal_met_text=_goal_met_text(case),
        outcome_label=_outcome_label(case),
        offer_started_on=case.offer_started_on,
        closed_on=case.closed_on,
        pupil=SummaryPupil(first_name=pupil.first_name, last_name=pupil.last_name,
                           date_of_birth=pupil.date_of_birth, bsn=pupil.bsn,
                           gemeente=f"{case.gemeente.name} ({case.gemeente.code})"),
        steps=[_step(step) for step in facts.steps],
        events=[_event(event, actor) for event, actor in _timeline_events(case)],
        parties=_parties(case),
        open_alerts=[_alert(alert) for alert in _open_alerts(case)],
        next_steps=[facts.next_action],
        warnings=[warning.message for warning in facts.warnings],
        generated_by=generated_by.name if generated_by is not None else SYSTEM_ACTOR,
        generated_at=now,
        note=case.note,
        network=[_participant(p, options.contact_details) for p in casework.network(case)],
        journal=[_journal_entry(e) for e in reversed(casework.journal(case))] if options.journal else None,
        with_contact_details=options.contact_details,
        plan=[_action(a, today) for a in plan_services.actions(case)],
        meetings=[_meeting(m, today, options.journal) for m in reversed(plan_services.meetings(case))],
    )


# --- The services: the PDF and the HTML print view, each logged as a read of the case ---


def _summary_for(case: Case, actor: User | None, today: date, now: datetime,
                 options: SummaryOptions) -> CaseSummary:
    if actor is not None:
        require(actor, Capability.DOWNLOAD_SUMMARY, "Alleen een coördinator kan een casusoverzicht maken.")
    return summary_for_case(case, generated_by=actor, today=today, now=now, options=options)


def case_summary_pdf(case: Case, *, actor: User | None, today: date, now: datetime,
                     via: str | None = None, options: SummaryOptions = SummaryOptions()) -> bytes:
    """The case summary PDF, with its download written to the audit trail in the caller's transaction.

    `actor` None is the system (command line). The caller has loaded the case through the user's scope.
    `via` ("web", "api", "cli") is kept in the audit event so the logboek shows how the file left the system.
    """
    pdf = build_case_summary(_summary_for(case, actor, today, now, options))
    changes: dict[str, object] = ({"via": via} if via else {}) | options.logged()
    record("case.pdf", actor_id=actor.id if actor is not None else None, activity=ACTIVITY_CASE_MANAGEMENT,
           case_id=case.id, object_type="case", object_id=case.id, changes=changes or None)
    return pdf


def case_summary_document(case: Case, *, actor: User, today: date, now: datetime,
                          options: SummaryOptions = SummaryOptions()) -> SummaryDocument:
    """The same summary as the PDF, for the HTML print view, with the read written to the audit trail in the
    caller's transaction. The caller has loaded the case through the user's scope."""
    document = summary_document(_summary_for(case, actor, today, now, options))
    record(SUMMARY_VIEW_ACTION, actor_id=actor.id, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id,
           object_type="case", object_id=case.id, changes=options.logged() or None)
    return document
