"""The headers of every mail the app sends, as a real SMTP server (aiosmtpd on loopback) receives them: a Message-ID
in the app's own domain, and the marks that keep out-of-office replies from answering an automatic mail."""
from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.smtp_server import SmtpServer
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.delivery import deliver_outbox, message_id_domain
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reminders.services import send_due_reminders


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), BASE_URL="https://thuiszitters.swv-amsterdam.nl/",
                      MAIL_SENDER="thuiszitters@localhost")
    yield server
    server.stop()


def test_received_mails_carry_the_apps_domain_and_say_they_are_automatic(app, smtp):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-HDR")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()

    deliver_outbox(now_utc())

    received = smtp.inbox.take()
    assert {m["X-Envelope-To"] for m in received} == {"coord1@example.nl", "lp1@example.nl"}
    ids = [m["Message-ID"] for m in received]
    assert all(value.startswith("<outbox-") and value.endswith("@thuiszitters.swv-amsterdam.nl>") for value in ids)
    assert len(set(ids)) == len(ids)
    for message in received:
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"
        assert "localhost" not in message["Message-ID"]


def test_a_mail_sent_again_keeps_its_message_id(app, smtp):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-HDR")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    deliver_outbox(now_utc())
    first = {m["X-Envelope-To"]: m["Message-ID"] for m in smtp.inbox.take()}

    # As after a crash between sending and marking: the rows are due again.
    db.session.execute(OutboxMessage.__table__.update().values(status="pending", next_attempt_at=now_utc()))
    db.session.commit()
    deliver_outbox(now_utc())

    assert {m["X-Envelope-To"]: m["Message-ID"] for m in smtp.inbox.take()} == first


@pytest.mark.parametrize(("base_url", "domain"), [
    ("https://thuiszitters.example.nl", "thuiszitters.example.nl"),
    ("https://Thuiszitters.Example.nl.:8443/app/", "thuiszitters.example.nl"),
    ("https://bücher.example/", "xn--bcher-kva.example"),
    ("http://127.0.0.1:5000", "127.0.0.1"),
    ("http://[::1]:5000", "[::1]"),
    ("", "thuiszitters.invalid"),
    ("thuiszitters.example.nl", "thuiszitters.invalid"),  # no scheme: no host either
    ("https://exa mple.nl", "thuiszitters.invalid"),
])
def test_the_message_id_domain_is_the_host_of_the_base_url(base_url, domain):
    assert message_id_domain(base_url) == domain
