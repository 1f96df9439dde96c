"""The demo data reads like real use: each event on the day it happened, closures spread over past months."""
from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from tests.conftest import csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case
from thuiszitters.casework.models import Action, Meeting
from thuiszitters.clock import to_local
from thuiszitters.exports.models import ExportRun
from thuiszitters.exports.services import build_month_export, run_dir
from thuiszitters.extensions import db
from thuiszitters.seed.demo import DEMO_PASSWORD, load_demo

TODAY = date(2026, 12, 14)


def _seed(clock) -> None:
    clock.set_today(TODAY)
    assert load_demo(TODAY)
    db.session.commit()


def test_demo_events_carry_the_day_they_happened_not_the_moment_of_seeding(app, clock):
    seeded_on = TODAY
    _seed(clock)
    cases = {case.id: case for case in db.session.scalars(select(Case))}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id.is_not(None))).all()
    days = {to_local(event.occurred_at).date() for event in events}
    assert len(days) > 60  # spread over months, not one moment
    assert min(days) < date(2026, 3, 1)
    for event in events:
        day = to_local(event.occurred_at).date()
        case = cases[event.case_id]
        # A signal (issue 16) is registered before the pupil is out of school: it has no first day at home yet.
        first_day = case.out_of_school_since or to_local(case.created_at).date()
        assert first_day <= day <= seeded_on
        if event.action == "case.close":
            assert day == case.closed_on  # the closing is logged the day the case closed
        if event.action == "case.create":
            assert day == to_local(case.created_at).date()
    # The case's own timestamps follow its history too.
    assert all(to_local(case.created_at).date() <= to_local(case.updated_at).date() for case in cases.values())


def test_demo_closures_fall_in_several_past_months_so_last_months_export_has_closed_cases(app, clock):
    _seed(clock)
    closed = [case.closed_on for case in db.session.scalars(select(Case).where(Case.status == "closed"))]
    assert len({(day.year, day.month) for day in closed}) >= 3
    assert any(day.month == 11 for day in closed)
    build_month_export("2026-11", actor_id=None, now=clock.now_utc())
    db.session.commit()
    run = db.session.scalar(select(ExportRun).where(ExportRun.month == "2026-11"))
    rows = list(csv.DictReader(io.StringIO((run_dir(run) / "summary.csv").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert sum(int(row["closed"]) for row in rows) > 0


def test_the_demo_audit_trail_verifies_and_seeding_twice_changes_nothing(app, clock, runner):
    _seed(clock)
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and "In orde" in verify.output, verify.output
    count = db.session.query(AuditEvent).count()
    again = runner.invoke(args=["seed", "demo"])
    assert again.exit_code == 0 and db.session.query(AuditEvent).count() == count


def test_a_demo_case_page_shows_its_history_at_its_own_dates(app, clock, client):
    _seed(clock)
    case = db.session.scalar(select(Case).where(Case.status == "closed").order_by(Case.out_of_school_since))
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": case.coordinator.email, "password": DEMO_PASSWORD,
                                "csrf_token": csrf_from(page)})
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert case.closed_on.strftime("%d-%m-%Y") in timeline
    assert to_local(case.created_at).strftime("%d-%m-%Y") in timeline
    assert TODAY.strftime("%d-%m-%Y") not in timeline


def test_the_demo_has_a_case_with_an_mdo_and_a_plan_due_today_and_overdue(app, clock):
    """Issue 19: a case with a plan, an MDO, an action due today and one overdue, dated relative to the clock."""
    _seed(clock)
    meeting = db.session.scalar(select(Meeting))
    assert meeting is not None and meeting.kind == "mdo" and len(meeting.participants) == 2
    actions = db.session.scalars(select(Action).where(Action.case_id == meeting.case_id)).all()
    due = {(a.status, (a.due_on - TODAY).days) for a in actions}
    assert ("open", 0) in due and ("open", -4) in due and any(status == "gedaan" for status, _ in due)
    assert len([a for a in actions if a.meeting_id == meeting.id]) == 3
