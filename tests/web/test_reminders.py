"""Reminders and overdue alerts fire exactly once, on the expected dates, and reach a real SMTP server."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import SmtpServer
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.alerts.services import acknowledge_alert
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.delivery import deliver_outbox
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reminders.models import Reminder
from thuiszitters.reminders.services import send_due_reminders


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config())
    yield server
    server.stop()


def live_day(clock, day: date) -> None:
    """What the scheduler does on a day: the sweep (here twice, as if a second scheduler ran) and delivery."""
    clock.set_today(day)
    send_due_reminders(day)
    db.session.commit()
    send_due_reminders(day)
    db.session.commit()
    deliver_outbox(now_utc())


def test_a_case_lived_day_by_day_for_five_months_gets_each_reminder_once_on_its_date(app, clock, smtp):
    w = factories.world()
    since = date(2026, 3, 2)
    case = factories.case(w.swv1, w.gem1, out_of_school_since=since, first_name="Fenna", last_name="Bakker",
                          bsn="111222333", reference="TZ-2026-0001")
    case.coordinator_id = w.coordinator.id
    factories.step(case, "aanmelding", received_on=date(2026, 3, 9))  # no decision: the zorgplicht term runs
    factories.step(case, "geschillencommissie", subject="toelating", filed_on=date(2026, 1, 10),
          verdict="gegrond", verdict_on=date(2026, 3, 22))  # the board's reaction is due 26 April
    db.session.commit()

    received: list[tuple[date, str, str, str]] = []
    day = since
    while day <= since + timedelta(days=150):
        live_day(clock, day)
        for message in smtp.inbox.take():
            received.append((day, message["X-Envelope-To"], message["Subject"], message.get_content()))
        if day == date(2026, 6, 10):  # the leerplicht reviews the first overdue alert
            alert = db.session.scalar(select(Alert).where(Alert.status == "open", Alert.kind == "overdue"))
            acknowledge_alert(w.leerplicht, alert.id, "Ouders gesproken; school gezocht.", now_utc())
            db.session.commit()
        day += timedelta(days=1)

    coordinator = [(d, s.split(" – ")[0].strip()) for d, to, s, _ in received if to == "coord1@example.nl"]
    assert coordinator == [
        (date(2026, 3, 16), "[Thuiszitters] Al twee weken geen activiteit"),
        (date(2026, 4, 13), "[Thuiszitters] Halverwege de termijn: wat is het plan?"),
        (date(2026, 4, 13), "[Thuiszitters] Beslistermijn aanmelding loopt bijna af"),
        (date(2026, 4, 21), "[Thuiszitters] Beslistermijn aanmelding verstreken zonder besluit"),
        (date(2026, 4, 26), "[Thuiszitters] Reactie schoolbestuur op oordeel Geschillencommissie ontbreekt"),
        (date(2026, 5, 19), "[Thuiszitters] De terugkeerdatum nadert"),
        # Receipt 9 March + 10 weeks, still undecided: the pupil may claim temporary enrolment (an alert).
        (date(2026, 5, 19), "[Thuiszitters] Tien weken geen besluit op de aanmelding: tijdelijke inschrijving"),
        (date(2026, 6, 3), "[Thuiszitters] Terugkeerdoel niet gehaald"),
        (date(2026, 7, 1), "[Thuiszitters] Terugkeerdoel niet gehaald"),
        (date(2026, 7, 29), "[Thuiszitters] Terugkeerdoel niet gehaald"),
    ]
    leerplicht = [d for d, to, _, _ in received if to == "lp1@example.nl"]
    assert leerplicht == [date(2026, 5, 19), date(2026, 6, 3), date(2026, 7, 1), date(2026, 7, 29)]
    assert {to for _, to, _, _ in received} == {"coord1@example.nl", "lp1@example.nl"}

    # Mails carry the reference and a link, never the pupil's name or BSN.
    for _, _, subject, body in received:
        assert "TZ-2026-0001" in subject and "TZ-2026-0001" in body
        assert f"http://thuiszitters.test/casussen/{case.id}" in body
        for secret in ("Fenna", "Bakker", "111222333"):
            assert secret not in subject and secret not in body

    # The first overdue alert was acknowledged; the repeat of 1 July opened a new one, which stays open on 29 July.
    # The temporary-enrolment alert waits for its own review.
    alerts = db.session.execute(select(Alert.kind, Alert.due_on, Alert.status).order_by(Alert.due_on)).all()
    assert alerts == [("temporary_enrolment", date(2026, 5, 19), "open"), ("overdue", date(2026, 6, 3), "acknowledged"),
                      ("overdue", date(2026, 7, 1), "open")]
    # Each user sees the same reminders in the app.
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == w.coordinator.id)) == 10
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == w.leerplicht.id)) == 4


def test_a_scheduler_down_for_ten_days_sends_the_missed_reminders_once(app, clock, smtp):
    w = factories.world()
    last_run = date(2026, 11, 2)
    # Due while the scheduler is down: a halfway reminder (5 Nov), an overdue alert (7 Nov), and a deadline
    # approaching (10 Nov).
    halfway = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 24), reference="TZ-HALF")
    overdue = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 6), reference="TZ-OVER")
    approaching = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 24), reference="TZ-NEAR")
    for obj in (halfway, overdue, approaching):
        obj.last_activity_on = last_run  # keeps "stale" out of this test
    db.session.commit()
    live_day(clock, last_run)  # sends what was already due (e.g. TZ-OVER's deadline approaching, 23 Oct)
    smtp.inbox.take()
    before = set(db.session.execute(select(Reminder.case_id, Reminder.rule, Reminder.due_on)).all())

    back = last_run + timedelta(days=10)
    live_day(clock, back)
    live_day(clock, back)
    mails = Counter((m["X-Envelope-To"], m["Subject"].split(" – ")[1]) for m in smtp.inbox.take())
    assert mails == Counter({
        ("coord1@example.nl", "casus TZ-HALF"): 1,
        ("coord1@example.nl", "casus TZ-OVER"): 1,
        ("lp1@example.nl", "casus TZ-OVER"): 1,
        ("coord1@example.nl", "casus TZ-NEAR"): 1,
    })
    keys = set(db.session.execute(select(Reminder.case_id, Reminder.rule, Reminder.due_on)).all()) - before
    assert keys == {
        (halfway.id, "halfway", date(2026, 11, 5)),
        (overdue.id, "overdue", date(2026, 11, 7)),
        (approaching.id, "deadline_approaching", date(2026, 11, 10)),
    }
    live_day(clock, back + timedelta(days=1))
    assert smtp.inbox.take() == []


def test_a_fresh_install_sends_no_old_notices_but_a_late_case_is_overdue_at_once(app, clock):
    w = factories.world()
    late = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 1, 12))
    late.last_activity_on = date(2026, 11, 1)
    db.session.commit()
    result = send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    # Halfway (Feb) and deadline approaching (March) are long past: recorded as missed, not sent (issue 16: they no
    # longer vanish). The overdue alert is current: its latest four-weekly occurrence (13 Apr + 7 * 28 = 26 Oct).
    assert dict(result.reminders) == {"overdue": 1}
    assert dict(result.missed) == {"halfway": 1, "deadline_approaching": 1}
    assert sorted(db.session.execute(select(Reminder.rule, Reminder.due_on, Reminder.missed)).all()) == [
        ("deadline_approaching", date(2026, 3, 29), True), ("halfway", date(2026, 2, 23), True),
        ("overdue", date(2026, 10, 26), False)]
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1
    mailed = db.session.scalars(select(Reminder.rule).join(OutboxMessage, OutboxMessage.reminder_id == Reminder.id))
    assert set(mailed) == {"overdue"}
    # A second sweep records nothing again.
    again = send_due_reminders(date(2026, 11, 3))
    assert not again.missed and not again.reminders


def test_closed_cases_get_no_reminders_and_a_case_without_coordinator_reaches_all_swv_coordinators(app, clock):
    w = factories.world()
    factories.user("coordinator", email="coord1b@example.nl", swvs=("PO 27-01",))
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), status="closed")
    open_case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 21))
    open_case.last_activity_on = date(2026, 11, 1)
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    rows = db.session.execute(select(OutboxMessage.recipient, Reminder.rule)
                              .join(Reminder, Reminder.id == OutboxMessage.reminder_id)).all()
    assert sorted(rows) == [("coord1@example.nl", "halfway"), ("coord1b@example.nl", "halfway")]


def test_with_the_smtp_server_down_the_mail_waits_and_goes_out_when_it_is_back(app, clock):
    server = SmtpServer()  # not started: the port refuses connections
    app.config.update(server.config())
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 21), reference="TZ-WAIT")
    case.last_activity_on = date(2026, 11, 1)
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))  # the halfway reminder, to the coordinator only
    db.session.commit()
    (message,) = db.session.scalars(select(OutboxMessage))

    start = now_utc()
    assert deliver_outbox(start).failed == 1
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.next_attempt_at == start + timedelta(minutes=1)

    # Still down a minute later: the back-off doubles.
    assert deliver_outbox(start + timedelta(minutes=1)).failed == 1
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.next_attempt_at == start + timedelta(minutes=3)

    server.start()
    try:
        assert deliver_outbox(start + timedelta(minutes=2)).sent == 0  # waits for its turn
        assert deliver_outbox(start + timedelta(minutes=3)).sent == 1
        assert deliver_outbox(start + timedelta(hours=1)).sent == 0
        mails = server.inbox.take()
    finally:
        server.stop()
    assert [m["Subject"].split(" – ")[1].strip() for m in mails] == ["casus TZ-WAIT"]
    db.session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, None)


def test_mail_goes_over_starttls_with_login(app, clock, tmp_path):
    server = SmtpServer(tls_dir=tmp_path, username="thuiszitters", password="s3cret-pass").start()
    try:
        app.config.update(server.config())
        w = factories.world()
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 21), reference="TZ-TLS")
        db.session.commit()
        send_due_reminders(date(2026, 11, 2))
        db.session.commit()
        assert deliver_outbox(now_utc()).sent >= 1
        assert any("TZ-TLS" in m["Subject"] for m in server.inbox.take())
        # A wrong password is a failure that keeps the mail for a later attempt.
        app.config["MAIL_PASSWORD"] = "wrong"
        second = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 22), reference="TZ-TLS2")
        second.last_activity_on = date(2026, 11, 3)  # only its halfway reminder is due
        db.session.commit()
        send_due_reminders(date(2026, 11, 3))
        db.session.commit()
        result = deliver_outbox(now_utc())
        assert (result.sent, result.failed) == (0, 1)
        waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
        assert len(waiting) == 1 and waiting[0].attempts == 1 and waiting[0].last_error
        assert server.inbox.take() == []
    finally:
        server.stop()


def test_without_a_mail_server_the_mail_stays_in_the_outbox(app, clock):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 21))
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    assert deliver_outbox(now_utc()).skipped
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"pending"}
