"""Issue 16 in the reminder sweep and the inspectie export, against the database: who hears of what, missed
reminders on the case, and who counts as a thuiszitter in the export."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests import factories
from thuiszitters.alerts.models import Alert
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
from thuiszitters.cases.models import Case, Step
from thuiszitters.clock import now_utc
from thuiszitters.exports import builder, csv_files
from thuiszitters.exports.services import build_month_export
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reminders.models import Reminder
from thuiszitters.reminders.services import send_due_reminders

TODAY = date(2026, 11, 2)


def _recipients(rule: str) -> set[str]:
    return set(db.session.scalars(
        select(OutboxMessage.recipient).join(Reminder, Reminder.id == OutboxMessage.reminder_id)
        .where(Reminder.rule == rule)))


# --- The sweep --------------------------------------------------------------------------------------------


def test_an_exemption_that_passes_its_deadline_stays_with_the_coordinator(app):
    w = factories.world()
    exempted = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, 1), absence_kind="vrijstelling_5a")
    absent = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, 1))
    for item in (exempted, absent):
        item.last_activity_on = TODAY
    db.session.commit()
    send_due_reminders(TODAY)
    db.session.commit()
    overdue = {case_id for (case_id,) in db.session.execute(
        select(Reminder.case_id).where(Reminder.rule == "overdue"))}
    assert overdue == {exempted.id, absent.id}  # both reminded
    # Only the absoluut verzuim goes to the leerplicht queue: with an exemption there is nothing to enforce.
    assert set(db.session.scalars(select(Alert.case_id))) == {absent.id}
    mailed = dict(db.session.execute(
        select(OutboxMessage.recipient, Reminder.case_id).join(Reminder, Reminder.id == OutboxMessage.reminder_id)
        .where(Reminder.rule == "overdue", OutboxMessage.recipient == "lp1@example.nl")).all())
    assert mailed == {"lp1@example.nl": absent.id}


def test_ten_weeks_without_a_decision_is_an_alert_only_for_a_pupil_enrolled_nowhere(app):
    w = factories.world()
    school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    nowhere = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 24))
    enrolled = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 24), absence_kind="relatief_verzuim",
                              school_obj=school)
    for item in (nowhere, enrolled):
        item.last_activity_on = TODAY
        db.session.add(Step(case_id=item.id, kind="aanmelding", received_on=date(2026, 8, 24), created_at=now_utc()))
    db.session.commit()
    send_due_reminders(TODAY)  # 24 Aug + 10 weeks = 2 Nov: due the day after
    assert not db.session.scalar(select(Alert.id))
    send_due_reminders(TODAY + timedelta(days=1))
    db.session.commit()
    rules = {(case_id, rule) for case_id, rule in db.session.execute(select(Reminder.case_id, Reminder.rule))}
    assert (nowhere.id, "temporary_enrolment") in rules and (enrolled.id, "aanmelding_ten_weeks") in rules
    assert (enrolled.id, "temporary_enrolment") not in rules
    assert [(a.case_id, a.kind) for a in db.session.scalars(select(Alert))] == [(nowhere.id, "temporary_enrolment")]
    assert _recipients("aanmelding_ten_weeks") == {"coord1@example.nl"}
    assert "lp1@example.nl" in _recipients("temporary_enrolment")


def test_a_signal_gets_no_reminders_about_the_return_goal(app):
    w = factories.world()
    signal = factories.case(w.swv1, w.gem1, out_of_school_since=None, status="signaal")
    signal.last_activity_on = date(2026, 10, 1)
    db.session.commit()
    send_due_reminders(TODAY)
    db.session.commit()
    assert [r for (r,) in db.session.execute(select(Reminder.rule).where(Reminder.case_id == signal.id))] == ["stale"]


def test_missed_reminders_are_shown_on_the_case_and_not_mailed(app, auth, client):
    w = factories.world()
    late = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 1, 12), reference="TZ-LATE")
    late.last_activity_on = TODAY
    db.session.commit()
    result = send_due_reminders(TODAY)
    db.session.commit()
    assert dict(result.missed) == {"halfway": 1, "deadline_approaching": 1}
    assert _recipients("halfway") == set() and _recipients("overdue")  # the overdue alert always opens
    auth.login("coord1@example.nl")
    page = client.get(f"/casussen/{late.id}").get_data(as_text=True)
    assert "Gemiste herinneringen" in page
    assert "Halverwege de termijn: wat is het plan? (23-02-2026)" in page
    assert "De terugkeerdatum nadert (29-03-2026)" in page


# --- The export -------------------------------------------------------------------------------------------

MONTH = "2026-10"
BUILT_AT = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)


def _export(app) -> tuple[dict[str, dict], dict[str, dict]]:
    build_month_export(MONTH, actor_id=None, now=BUILT_AT)
    db.session.commit()
    directory = app.config["EXPORT_DIR"] + f"/{MONTH}"
    from pathlib import Path

    cases = {row["pseudonym"]: row for row in csv_files.read_csv(Path(directory) / builder.CASES_FILE)}
    summary = {row["swv_code"]: row for row in csv_files.read_csv(Path(directory) / builder.SUMMARY_FILE)}
    return cases, summary


def _registered(case: Case, on: date) -> None:
    case.created_at = datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)


def test_the_export_counts_only_thuiszitters_and_signals_apart(app):
    w = factories.world()
    key = app.config["INSPECTIE_KEY"].encode()
    counted = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 10, 3), absence_kind="relatief_verzuim")
    not_yet = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 10, 4), absence_kind="relatief_verzuim")
    signal = factories.case(w.swv1, w.gem1, out_of_school_since=None, status="signaal")
    _registered(signal, date(2026, 10, 20))
    later_signal = factories.case(w.swv1, w.gem1, out_of_school_since=None, status="signaal")
    _registered(later_signal, date(2026, 11, 1))  # registered after the month
    opened_later = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 11, 1))
    _registered(opened_later, date(2026, 10, 10))  # a signal in October that opened in November
    exempted = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1))
    exempted.status, exempted.outcome, exempted.closed_on = "closed", "vrijstelling", date(2026, 9, 15)
    gpo = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 3))
    db.session.add(Step(case_id=gpo.id, kind="geschillencommissie", subject="toelating", filed_on=date(2026, 8, 10),
                        verdict="gegrond", verdict_on=date(2026, 9, 1), follow_up="niet_opgevolgd",
                        follow_up_on=date(2026, 10, 1), created_at=now_utc()))
    db.session.commit()

    cases, summary = _export(app)
    pseudonyms = {builder.pseudonym(key, c.id): c for c in (counted, not_yet, exempted, gpo)}
    # Relatief verzuim from 3 October passed 4 weeks on 31 October; from 4 October it had not yet.
    assert set(cases) == {p for p, c in pseudonyms.items() if c is not not_yet}
    row = cases[builder.pseudonym(key, counted.id)]
    assert (row["counted_from"], row["out_of_school_since"]) == ("2026-10-31", "2026-10-03")
    vrij = cases[builder.pseudonym(key, exempted.id)]
    assert (vrij["outcome"], vrij["goal_met"], vrij["offer_started_on"], vrij["closed_on"]) == (
        "vrijstelling", "", "", "2026-09-15")
    assert cases[builder.pseudonym(key, gpo.id)]["gpo_not_followed"] == "1"
    po = summary["PO 27-01"]
    assert po["signals_open_at_end"] == "2"  # the open signal and the one that opened only in November
    assert (po["closed"], po["closed_vrijstelling"], po["closed_within_3_months"]) == ("1", "1", "0")
    assert (po["new"], po["new_relatief_verzuim"], po["new_absoluut_verzuim"]) == ("2", "1", "1")
    assert (po["open_at_start"], po["open_at_start_absoluut_verzuim"]) == ("1", "1")  # the exemption, since June
    assert po["gpo_not_followed"] == po["gpo_not_followed_absoluut_verzuim"] == "1"


def test_a_reopened_case_closed_before_the_migration_reads_its_offer_date_as_its_closing_date(app):
    """Close events from before 0009 carry an "offer" date for a move; the export reads it as the closing date."""
    w = factories.world()
    key = app.config["INSPECTIE_KEY"].encode()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1))
    record("case.close", actor_id=None, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id,
           changes={"outcome": [None, "verhuisd"], "offer_started_on": [None, "2026-09-10"],
                    "closed_on": [None, "2026-11-20"]})
    record("case.reopen", actor_id=None, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id)
    db.session.commit()
    cases, summary = _export(app)
    row = cases[builder.pseudonym(key, case.id)]
    assert (row["status"], row["outcome"], row["closed_on"], row["offer_started_on"], row["goal_met"]) == (
        "gesloten", "verhuisd", "2026-09-10", "", "")
    assert summary["PO 27-01"]["closed_verhuisd"] == "1"
