"""E-mail addresses: one check at every entry point, and a mail that can never be sent is parked as failed at
once without holding up the mails behind it (real SMTP server on loopback)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import SmtpServer
from thuiszitters.accounts.models import User
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, normalize_email
from thuiszitters.mail.delivery import deliver_outbox
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reference.models import Swv
from thuiszitters.reminders.services import send_due_reminders

INJECTED = "lp2@example.nl\r\nBcc: iedereen@example.nl"
BAD_ADDRESSES = [INJECTED, "lp2@example.nl\nX", "lp 2@example.nl", "lp2@example", "lp2", "jürgen@example.nl",
                 "lp2\u200b@example.nl"]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_the_one_check_refuses_what_a_mail_header_cannot_carry(address):
    with pytest.raises(InvalidIdentifier) as refused:
        normalize_email(address)
    assert refused.value.message.startswith(("Een e-mailadres", "Vul een geldig"))


def test_the_one_check_gives_the_form_the_mailer_sends_to():
    assert normalize_email("  Nina.Nieuw@Example.NL \n") == "nina.nieuw@example.nl"
    assert normalize_email("a@münchen.de") == "a@xn--mnchen-3ya.de"


def test_users_create_refuses_a_line_break_in_the_address(app, runner):
    factories.gemeente("GM0363")
    db.session.commit()
    result = runner.invoke(args=["users", "create", INJECTED, "--role", "leerplicht", "--gemeente", "GM0363"],
                           input="een-lang-wachtwoord-42\n")
    assert result.exit_code == 1
    assert "Een e-mailadres bevat geen spaties, regeleinden of andere onzichtbare tekens." in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_the_admin_form_refuses_a_bad_address_beside_the_field_with_the_other_problems(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": token, "email": "nina nieuw@example.nl", "name": "Nina", "role": "coordinator",
        "swvs": ["PO 27-01"], "active": "y", "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 400
    assert "Een e-mailadres bevat geen spaties" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.name == "Nina")) is None


def test_the_reference_import_refuses_a_bad_swv_address(app, runner, tmp_path):
    path = tmp_path / "swv.csv"
    path.write_text('code;name;sector;email\nPO 27-01;SWV Amstelland;po;"info@swv.nl\r\nBcc: x@y.nl"\n')
    result = runner.invoke(args=["refdata", "import", "swv", str(path)])
    assert result.exit_code == 1
    assert "regel 2" in result.output and "regeleinden" in result.output
    assert db.session.scalar(select(func.count(Swv.id))) == 0


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config())
    yield server
    server.stop()


def _queue(recipient: str, n: int) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=f"Bericht {n}", body="Er is een casus over de termijn.",
                            status="pending", attempts=0, next_attempt_at=now_utc() - timedelta(minutes=10 - n),
                            created_at=now_utc())
    db.session.add(message)
    return message


def test_an_unsendable_mail_is_parked_as_failed_at_once_and_the_others_go_out(app, smtp):
    # Rows written before addresses were checked: the bad ones come first in the queue.
    bad = [_queue(INJECTED, 0), _queue("geen-adres", 1)]
    good = [_queue(f"lp{n}@example.nl", n) for n in range(2, 5)]
    db.session.commit()

    result = deliver_outbox(now_utc())

    assert (result.sent, result.failed) == (3, 2)
    assert sorted(m["X-Envelope-To"] for m in smtp.inbox.take()) == ["lp2@example.nl", "lp3@example.nl",
                                                                       "lp4@example.nl"]
    db.session.expire_all()
    assert [(m.status, m.attempts) for m in bad] == [("failed", 1), ("failed", 1)]
    assert [m.last_error for m in bad] == ["InvalidRecipient email.whitespace", "InvalidRecipient email.invalid"]
    assert all(m.status == "sent" for m in good)
    # Nothing is retried behind anyone's back: the next run has nothing to do.
    again = deliver_outbox(now_utc() + timedelta(hours=2))
    assert (again.sent, again.failed) == (0, 0)
    assert smtp.inbox.take() == []


def test_a_reminder_to_a_user_whose_address_predates_the_check_does_not_block_the_others(app, smtp, auth,
                                                                                          client):
    w = factories.world()
    broken = User(email=INJECTED, name="Oud Account", role="leerplicht", created_at=now_utc(),
                  gemeenten=[w.gem1])
    db.session.add(broken)
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-MAIL")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()

    deliver_outbox(now_utc())

    delivered = {m["X-Envelope-To"] for m in smtp.inbox.take()}
    assert {"lp1@example.nl", "coord1@example.nl"} <= delivered
    assert not any("iedereen" in address for address in delivered)
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).all()
    assert [m.recipient for m in failed] == [INJECTED] * len(failed) and failed
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status.in_(("pending", "sending")))) == 0
    auth.login("admin@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "Mislukt" in page and "InvalidRecipient email.whitespace" in page
