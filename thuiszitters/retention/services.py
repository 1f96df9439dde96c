"""Retention: closed cases are anonymised RETENTION_YEARS after closing (DOMAIN.md, Privacy).

What stays is what the statistics need (swv, gemeente, school, dates of the process, steps and their outcomes,
birth year). Names become "Geanonimiseerd", the BSN goes, the date of birth becomes 1 January of its year and every
free-text field is emptied. The case's documents, the pupil's network, the case's journal (with the earlier
versions of corrected entries), its plan van aanpak and its meetings are deleted: files, contacts, conversations
and agreements, none of which the statistics need.
Each case gets one audit event; the audit trail itself is kept (it holds no names).
Run daily by the scheduler (`anonymise_expired_cases(today())`) or by hand with `flask retention run`.
"""
from __future__ import annotations

import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from thuiszitters.alerts.models import Alert
from thuiszitters.audit.models import AuditNote
from thuiszitters.audit.services import ACTIVITY_RETENTION, record
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.casework.models import (
    Action,
    JournalEntry,
    JournalRevision,
    Meeting,
    Participant,
    journal_entry_participant,
    meeting_participant,
)
from thuiszitters.clock import now_utc
from thuiszitters.documents.services import delete_case_documents
from thuiszitters.escalation.spec import FREE_TEXT_FIELDS
from thuiszitters.extensions import db

log = logging.getLogger(__name__)

ANONYMISED_NAME = "Geanonimiseerd"
CASE_TEXT_FIELDS = ("note", "outcome_note")
STEP_TEXT_FIELDS = FREE_TEXT_FIELDS


def retention_cutoff(today: date, years: int) -> date:
    """Cases closed on or before this day are due for anonymisation."""
    return today - relativedelta(years=years)


def _anonymise_pupil(pupil: Pupil) -> None:
    pupil.first_name = ANONYMISED_NAME
    pupil.last_name = ANONYMISED_NAME
    pupil.bsn = None
    pupil.date_of_birth = date(pupil.date_of_birth.year, 1, 1)


def _delete_casework(case: Case) -> None:
    """The case's plan, meetings, network and journal, children first (not every SQLite connection enforces the
    cascades). Actions and meetings are free text about the pupil and name who does what: none of it is kept."""
    db.session.execute(delete(Action).where(Action.case_id == case.id))
    meetings = select(Meeting.id).where(Meeting.case_id == case.id).scalar_subquery()
    db.session.execute(delete(meeting_participant).where(meeting_participant.c.meeting_id.in_(meetings)))
    db.session.execute(delete(Meeting).where(Meeting.case_id == case.id))
    entries = select(JournalEntry.id).where(JournalEntry.case_id == case.id).scalar_subquery()
    db.session.execute(delete(JournalRevision).where(JournalRevision.entry_id.in_(entries)))
    db.session.execute(delete(journal_entry_participant).where(journal_entry_participant.c.entry_id.in_(entries)))
    db.session.execute(delete(JournalEntry).where(JournalEntry.case_id == case.id))
    db.session.execute(delete(Participant).where(Participant.case_id == case.id))


def anonymise_expired_cases(today: date) -> int:
    """Anonymise every closed case past its retention period. Idempotent; returns how many cases it changed.

    Does not commit: the caller (job or command) commits once.
    """
    cutoff = retention_cutoff(today, int(current_app.config["RETENTION_YEARS"]))
    cases = db.session.scalars(
        select(Case)
        .where(Case.status == "closed", Case.closed_on.is_not(None), Case.closed_on <= cutoff,
               Case.anonymised_at.is_(None))
        .options(selectinload(Case.steps))
        .order_by(Case.id)
    ).all()
    moment = now_utc()
    pupils: dict[int, Pupil] = {}
    for case in cases:
        for name in CASE_TEXT_FIELDS:
            setattr(case, name, None)
        for step in case.steps:
            for name in STEP_TEXT_FIELDS:
                setattr(step, name, None)
        db.session.execute(update(Alert).where(Alert.case_id == case.id).values(note=None))
        _delete_casework(case)
        # Reasons typed with a reopen or transfer: beside the trail, so they can go (the digest stays chained).
        db.session.execute(delete(AuditNote).where(AuditNote.case_id == case.id))
        # Documents are personal data through and through (an OPP, a letter): deleted with their bytes.
        delete_case_documents(case.id)
        case.anonymised_at = moment
        case.updated_at = moment
        pupils[case.pupil_id] = case.pupil
        record("case.anonymise", actor_id=None, activity=ACTIVITY_RETENTION, case_id=case.id, object_type="case",
               object_id=case.id,
               changes={"fields": [None, ["pupil", *CASE_TEXT_FIELDS, *(f"step.{n}" for n in STEP_TEXT_FIELDS),
                                          "alert.note", "audit.reason", "participants", "journal", "documents"]]},
               reason=f"gesloten op {case.closed_on.isoformat()}, bewaartermijn "
                      f"{current_app.config['RETENTION_YEARS']} jaar verstreken")
    db.session.flush()
    # A pupil can have had several periods out of school: keep the pupil as long as one of them is still kept.
    for pupil_id, pupil in pupils.items():
        still_kept = db.session.scalar(
            select(Case.id).where(Case.pupil_id == pupil_id, Case.anonymised_at.is_(None)).limit(1)
        )
        if still_kept is None:
            _anonymise_pupil(pupil)
    db.session.flush()
    if cases:
        log.info("retention: %d case(s) anonymised (closed on or before %s)", len(cases), cutoff.isoformat())
    return len(cases)


