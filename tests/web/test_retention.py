"""Closed cases are anonymised five years (RETENTION_YEARS) after closing; the job logs what it did."""
from datetime import date

from sqlalchemy import select

from tests import factories
from thuiszitters.alerts.models import Alert
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_RETENTION
from thuiszitters.casework.models import (
    Action,
    JournalEntry,
    JournalRevision,
    Meeting,
    Participant,
    meeting_participant,
)
from thuiszitters.extensions import db
from thuiszitters.retention.services import anonymise_expired_cases


def _closed_case(w, closed_on: date, **kwargs):
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2020, 9, 1), bsn="111222333",
                          date_of_birth=date(2011, 6, 15), **kwargs)
    case.status, case.closed_on = "closed", closed_on
    case.note, case.outcome, case.outcome_note = "Moeder belt vaak", "maatwerk", "Noah gaat 3 dagen naar school"
    factories.step(case, "swv_inzet", started_on=date(2020, 10, 1), description="Gesprek met Noah en zijn vader")
    factories.alert(case, due_on=date(2020, 12, 2), note="Vader onbereikbaar")
    return case


def test_a_case_closed_five_years_ago_is_anonymised_and_logged(app, runner):
    w = factories.world()
    old = _closed_case(w, date(2021, 11, 2))
    recent = _closed_case(w, date(2021, 11, 3), first_name="Emma")
    db.session.commit()

    result = runner.invoke(args=["retention", "run", "--today", "2026-11-02"])
    assert result.exit_code == 0
    assert "1 casus(sen) geanonimiseerd" in result.output

    db.session.expire_all()
    assert old.anonymised_at is not None
    assert (old.pupil.first_name, old.pupil.last_name) == ("Geanonimiseerd", "Geanonimiseerd")
    assert old.pupil.bsn is None and old.pupil.date_of_birth == date(2011, 1, 1)
    assert old.note is None and old.outcome_note is None and old.steps[0].description is None
    assert db.session.scalar(select(Alert.note).where(Alert.case_id == old.id)) is None
    # What the statistics need stays.
    assert old.outcome == "maatwerk" and old.out_of_school_since == date(2020, 9, 1)
    assert old.steps[0].started_on == date(2020, 10, 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.anonymise"))
    assert (event.case_id, event.processing_activity) == (old.id, ACTIVITY_RETENTION)

    assert recent.anonymised_at is None and recent.pupil.first_name == "Emma"


def test_running_twice_changes_nothing_the_second_time(app):
    w = factories.world()
    _closed_case(w, date(2020, 1, 1))
    db.session.commit()
    assert anonymise_expired_cases(date(2026, 11, 2)) == 1
    db.session.commit()
    assert anonymise_expired_cases(date(2026, 11, 2)) == 0
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.anonymise")).all()) == 1


def test_open_cases_are_never_anonymised(app):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2019, 1, 7))
    db.session.commit()
    assert anonymise_expired_cases(date(2026, 11, 2)) == 0
    assert case.pupil.first_name == "Noah"


def test_a_pupil_with_a_later_case_keeps_its_name_until_that_case_expires(app):
    w = factories.world()
    old = _closed_case(w, date(2020, 1, 1))
    later = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    later.pupil = old.pupil
    db.session.commit()
    assert anonymise_expired_cases(date(2026, 11, 2)) == 1
    assert old.anonymised_at is not None and old.note is None
    assert old.pupil.first_name == "Noah" and old.pupil.bsn == "111222333"


def test_an_anonymised_case_disappears_from_the_coordinators_list(app, auth, client):
    w = factories.world()
    case = _closed_case(w, date(2020, 1, 1))
    db.session.commit()
    anonymise_expired_cases(date(2026, 11, 2))
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{case.id}").status_code == 404


def test_a_reopen_reason_is_shown_while_kept_and_deleted_by_retention_with_the_chain_intact(app, runner, auth, client):
    from thuiszitters.audit.models import AuditNote
    from thuiszitters.cases.services import close_case, reopen_case

    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2020, 9, 1))
    db.session.commit()
    close_case(case, outcome="maatwerk", offer_started_on=date(2020, 11, 1), note=None, school_brin=None,
               expected_version=case.version, actor=w.coordinator, today=date(2020, 11, 2))
    reopen_case(case, reason="Noah zit weer thuis na een conflict met zijn mentor", expected_version=case.version,
                actor=w.coordinator, today=date(2020, 11, 20))
    close_case(case, outcome="maatwerk", offer_started_on=date(2020, 12, 1), note=None, school_brin=None,
               expected_version=case.version, actor=w.coordinator, today=date(2020, 12, 2))
    db.session.commit()

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.reopen"))
    assert event.reason.startswith("sha256:") and "Noah" not in event.reason  # the trail keeps the digest only
    auth.login("coord1@example.nl")
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Reden: Noah zit weer thuis na een conflict met zijn mentor" in page

    assert anonymise_expired_cases(date(2026, 11, 2)) == 1
    db.session.commit()
    assert db.session.scalar(select(AuditNote).where(AuditNote.case_id == case.id,
                                                      AuditNote.text.contains("Noah"))) is None
    db.session.expire_all()
    assert db.session.get(AuditEvent, event.id).reason_text is None
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_verify_reports_a_reason_edited_behind_the_apps_back(app, runner):
    from sqlalchemy import text

    from thuiszitters.audit.models import AuditNote
    from thuiszitters.cases.services import close_case, reopen_case

    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    close_case(case, outcome="maatwerk", offer_started_on=date(2026, 10, 1), note=None, school_brin=None,
               expected_version=case.version, actor=w.coordinator, today=date(2026, 10, 2))
    reopen_case(case, reason="Plaatsing mislukt", expected_version=case.version, actor=w.coordinator,
                today=date(2026, 10, 20))
    db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    note = db.session.scalar(select(AuditNote))
    db.session.execute(text("UPDATE audit_note SET text = 'Ouders weigeren' WHERE event_id = :id"),
                       {"id": note.event_id})
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"de reden bij id {note.event_id} is gewijzigd" in result.output


def test_the_network_and_the_journal_go_with_the_anonymised_case(app, clock):
    """Participants (with their contact details), journal entries and their earlier versions are deleted; those
    of a case still kept stay."""
    clock.set_today(date(2021, 10, 1))
    w = factories.world()
    old = _closed_case(w, date(2021, 11, 2))
    kept = _closed_case(w, date(2021, 11, 3), first_name="Emma")
    for case in (old, kept):
        parent = factories.participant(case, w.coordinator, email="ouder@example.nl", phone="0612345678")
        entry = factories.journal_entry(case, w.coordinator, participants=(parent,))
        factories.journal_revision(entry)
    db.session.commit()

    assert anonymise_expired_cases(date(2026, 11, 2)) == 1
    db.session.commit()

    def count(model, case):
        if model is JournalRevision:
            return len(db.session.scalars(select(JournalRevision).join(JournalEntry)
                                          .where(JournalEntry.case_id == case.id)).all())
        return len(db.session.scalars(select(model).where(model.case_id == case.id)).all())

    assert [count(m, old) for m in (Participant, JournalEntry, JournalRevision)] == [0, 0, 0]
    assert [count(m, kept) for m in (Participant, JournalEntry, JournalRevision)] == [1, 1, 1]


def test_the_plan_and_the_meetings_go_with_the_anonymised_case(app, clock):
    """Actions (free text, who does what) and meetings (summary, who was there) are deleted with the case's other
    casework; those of a case still kept stay."""
    clock.set_today(date(2021, 10, 1))
    w = factories.world()
    cases = []
    for closed_on, name in ((date(2021, 11, 2), "Noah"), (date(2021, 11, 3), "Emma")):
        case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2021, 9, 1), first_name=name)
        parent = factories.participant(case, w.coordinator)
        meeting = factories.meeting(case, w.coordinator, present=(parent,), summary=f"MDO over {name}.", agreements=(
            {"description": f"{name} ophalen voor een proefdag.", "owner_participant_id": parent.id,
             "due_on": date(2021, 10, 8)},))
        factories.action(case, w.coordinator, description=f"School van {name} bellen.")
        assert len(meeting.actions) == 1
        case.status, case.closed_on, case.outcome = "closed", closed_on, "maatwerk"
        cases.append(case)
    db.session.commit()
    old, kept = cases

    assert anonymise_expired_cases(date(2026, 11, 2)) == 1
    db.session.commit()

    def count(model, case):
        return len(db.session.scalars(select(model).where(model.case_id == case.id)).all())

    assert [count(m, old) for m in (Action, Meeting, Participant)] == [0, 0, 0]
    assert [count(m, kept) for m in (Action, Meeting, Participant)] == [2, 1, 1]
    present = db.session.execute(select(meeting_participant)).all()
    assert len(present) == 1  # only the kept meeting's
