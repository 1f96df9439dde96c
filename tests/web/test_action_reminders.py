"""The owner of an open action gets one reminder on its due day, over a real SMTP server (aiosmtpd), however often
the sweep runs and also after a sweep killed before it committed; the mail holds a link and no personal data."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import SmtpServer
from thuiszitters.alerts.models import Notification
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.delivery import deliver_outbox
from thuiszitters.reminders.services import send_due_reminders


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config())
    yield server
    server.stop()


SUBJECT = "[Thuiszitters] Een actie van u moet vandaag af"


def _sweep_and_deliver(day: date) -> None:
    send_due_reminders(day)
    db.session.commit()
    deliver_outbox(now_utc())


def _action_mails(smtp) -> list:
    """The action reminders received (the case's own reminders, such as a stale case, go out beside them)."""
    return [m for m in smtp.inbox.take() if m["Subject"] == SUBJECT]


def test_each_owner_is_mailed_once_on_the_due_day_without_personal_data(app, clock, smtp):
    clock.set_today(date(2026, 10, 1))
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Fenna",
                          last_name="Bakker", reference="TZ-2026-0077")
    parent = factories.participant(case, w.coordinator)
    due = date(2026, 10, 5)
    factories.action(case, w.coordinator, description="Fenna ophalen voor een proefdag.", due_on=due)
    factories.action(case, w.coordinator, description="School bellen.", due_on=due)
    factories.action(case, w.coordinator, owner=w.leerplicht, description="Huisbezoek bij Bakker.", due_on=due)
    factories.action(case, w.coordinator, owner=parent, description="Formulier tekenen.", due_on=due)
    later = factories.action(case, w.coordinator, description="Evalueren.", due_on=date(2026, 10, 6))
    done = factories.action(case, w.coordinator, owner=w.leerplicht,
                            description="Al gedaan.", due_on=date(2026, 10, 6))
    db.session.commit()

    clock.set_today(due)
    # A sweep killed before it committed leaves nothing behind...
    send_due_reminders(due)
    db.session.rollback()
    # ...and the sweep runs twice (a second scheduler, or the catch-up at start).
    _sweep_and_deliver(due)
    _sweep_and_deliver(due)
    received = _action_mails(smtp)
    assert sorted(m["X-Envelope-To"] for m in received) == ["coord1@example.nl", "lp1@example.nl"]
    for message in received:
        body = message.get_content()
        assert f"http://thuiszitters.test/casussen/{case.id}#plan" in body
        for secret in ("Fenna", "Bakker", "proefdag", "School bellen", "TZ-2026-0077"):
            assert secret not in body and secret not in message["Subject"]
    # In the app, the coordinator's notification counts its two actions and names the case by its reference.
    messages = db.session.scalars(select(Notification.message).where(Notification.user_id == w.coordinator.id,
                                                                     Notification.message.contains("vandaag af")))
    assert list(messages) == ["2 acties van u in casus TZ-2026-0077 moeten vandaag af zijn."]

    # The next day: only the open action due then; the one already done is not reminded of.
    clock.set_today(date(2026, 10, 6))
    later_done = db.session.get(type(done), done.id)
    later_done.status, later_done.done_on = "gedaan", date(2026, 10, 5)
    db.session.commit()
    _sweep_and_deliver(date(2026, 10, 6))
    _sweep_and_deliver(date(2026, 10, 6))
    assert [m["X-Envelope-To"] for m in _action_mails(smtp)] == ["coord1@example.nl"]
    assert later.status == "open"
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.message.contains("vandaag af"))) == 3


def test_an_action_past_its_day_is_not_mailed_late(app, clock, smtp):
    """The reminder is for the due day: a scheduler that was down that day does not mail days later."""
    clock.set_today(date(2026, 10, 1))
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    factories.action(case, w.coordinator, due_on=date(2026, 10, 2))
    db.session.commit()
    clock.set_today(date(2026, 10, 3))
    _sweep_and_deliver(date(2026, 10, 3))
    assert _action_mails(smtp) == []
