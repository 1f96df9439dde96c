"""The admin's mail page: a mail the server refuses is parked as failed, shown, and sent again on request."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from tests.smtp_server import SmtpServer
from thuiszitters.audit.models import AuditEvent
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.delivery import deliver_outbox
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reminders.services import send_due_reminders


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), MAIL_MAX_ATTEMPTS=2)
    yield server
    server.stop()


def _overdue_case_with_refused_leerplicht_mail(w, smtp) -> None:
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-MAIL")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    smtp.inbox.refused.add("lp1@example.nl")
    deliver_outbox(now_utc())
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=now_utc()))  # skip the back-off
    db.session.commit()
    deliver_outbox(now_utc())


def test_a_refused_mail_is_parked_shown_to_the_admin_and_sent_again_once_fixed(app, auth, client, smtp):
    w = factories.world()
    _overdue_case_with_refused_leerplicht_mail(w, smtp)
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).all()
    assert [m.recipient for m in failed] == ["lp1@example.nl"]
    assert failed[0].last_error == "SMTPRecipientsRefused 550"  # the code, not the server's text
    assert {m["X-Envelope-To"] for m in smtp.inbox.take()} == {"coord1@example.nl"}

    auth.login("admin@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "lp1@example.nl" in page and "TZ-MAIL" in page and "SMTPRecipientsRefused 550" in page
    assert "Mislukt" in page and "Alle mislukte mails opnieuw versturen" in page

    smtp.inbox.refused.clear()  # the cause is fixed
    response = client.post("/beheer/mail/opnieuw", data={"csrf_token": csrf_from(page),
                                                         "message_id": str(failed[0].id)}, follow_redirects=True)
    assert "1 mail(s) opnieuw in de wachtrij gezet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(OutboxMessage, failed[0].id).status, db.session.get(OutboxMessage, failed[0].id).attempts) \
        == ("pending", 0)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.retry"))
    assert (event.actor_id, event.object_id) == (w.admin.id, failed[0].id)

    deliver_outbox(now_utc())
    assert [m["X-Envelope-To"] for m in smtp.inbox.take()] == ["lp1@example.nl"]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed[0].id).status == "sent"

    # Nothing failed any more: a second retry changes nothing and says so.
    again = client.post("/beheer/mail/opnieuw", data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "Er was geen mislukte mail (meer)" in again.get_data(as_text=True)


def test_only_admins_see_the_outbox_and_a_bad_id_is_refused(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/beheer/mail").status_code == 403
    auth.logout()
    auth.login("admin@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "Geen mislukte mails." in page
    assert client.post("/beheer/mail/opnieuw", data={"csrf_token": csrf_from(page),
                                                     "message_id": "1; drop"}).status_code == 400


def test_without_an_smtp_server_the_mail_page_shows_the_waiting_mail_to_read_in_development(app, auth, client):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-WACHT")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
    assert waiting and not app.config["MAIL_SERVER"]
    auth.login("admin@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)
    held = page.split('id="held-title"')[1].split("</section>")[0]
    assert "geen SMTP-server" in held
    for message in waiting:
        assert message.subject in held and message.body.splitlines()[0] in held
    # With a server configured, or in production, the page shows no mail contents.
    app.config["MAIL_SERVER"] = "smtp.example.nl"
    assert 'id="held-title"' not in client.get("/beheer/mail").get_data(as_text=True)
